using System.Reflection;

namespace PhysMem.Generator.Diagnostics;

/// <summary>
/// The help link of each diagnostic: its page <c>PMEMnnnn.md</c> under the address the build gave
/// as <c>PhysMemDocsUrl</c> (or derived from <c>RepositoryUrl</c>; see PhysMem.Generator.csproj), or,
/// when the build knew no address, the page's path in the package and the repository,
/// <c>docs/diagnostics/PMEMnnnn.md</c> (in the NuGet cache beside <c>analyzers/</c>).
/// </summary>
internal static class HelpLinks
{
    /// <summary>The key of the assembly metadata that carries the address.</summary>
    public const string MetadataKey = "PhysMemDocsUrl";

    private const string PackagePath = "docs/diagnostics/";

    // Read once from this assembly, where the build stamped it; an empty value means no address was known.
    private static readonly string Folder = ReadFolder();

    /// <summary>The help link of an ID.</summary>
    /// <param name="id">A PMEMnnnn ID.</param>
    /// <returns>The link.</returns>
    public static string For(string id) => Folder + id + ".md";

    private static string ReadFolder()
    {
        foreach (var attribute in typeof(HelpLinks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == MetadataKey && !string.IsNullOrWhiteSpace(attribute.Value))
            {
                return attribute.Value!.Trim().TrimEnd('/') + "/";
            }
        }

        return PackagePath;
    }
}
