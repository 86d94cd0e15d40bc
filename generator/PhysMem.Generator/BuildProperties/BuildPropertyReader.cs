using System.Collections.Generic;
using Microsoft.CodeAnalysis.Diagnostics;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.BuildProperties;

/// <summary>
/// The <c>PhysMem_*</c> MSBuild properties (made visible to the compiler by the package's props),
/// read once per compilation into a small equatable <see cref="BuildOptions"/>.
/// </summary>
internal static class BuildPropertyReader
{
    /// <summary>Every MSBuild property PhysMem reads: <c>PhysMem_Kconfig</c>, <c>PhysMem_VmcoreInfo</c>, <c>PhysMem_Arch</c>, and one per input.</summary>
    public static IReadOnlyList<string> PropertyNames { get; } = BuildPropertyNames();

    /// <summary>The <c>PhysMem_*</c> properties that are set, from the global analyzer options.</summary>
    public static BuildOptions ReadBuildOptions(AnalyzerConfigOptions global)
    {
        var set = new List<BuildProperty>();
        foreach (var name in PropertyNames)
        {
            if (global.TryGetValue("build_property." + name, out string? value) && !string.IsNullOrWhiteSpace(value))
            {
                set.Add(new BuildProperty(name, value.Trim()));
            }
        }

        return set.Count == 0 ? BuildOptions.Empty : new BuildOptions(set.ToEquatableArray());
    }

    private static string[] BuildPropertyNames()
    {
        var names = new List<string> { BuildOptions.KconfigProperty, BuildOptions.VmcoreInfoProperty, BuildOptions.ArchProperty };
        foreach (var input in InputTable.All)
        {
            if (input.MsBuildProperty is { } property)
            {
                names.Add(property);
            }
        }

        return names.ToArray();
    }
}
