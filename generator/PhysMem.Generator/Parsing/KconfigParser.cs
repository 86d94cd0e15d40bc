using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PhysMem.Generator.Model;

namespace PhysMem.Generator.Parsing;

/// <summary>
/// Reads the whole-project inputs that are not C#: the <c>PhysMem_*</c> MSBuild properties, and
/// the kernel configurations among the AdditionalFiles, each parsed once by the shared
/// <see cref="KconfigReader"/> into an equatable <see cref="KconfigInput"/>.
/// </summary>
internal static class KconfigParser
{
    /// <summary>Every MSBuild property PhysMem reads: <c>PhysMem_Kconfig</c>, <c>PhysMem_Arch</c>, and one per input.</summary>
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

    /// <summary>The configuration names some model asks for (its own <c>Kconfig</c>, or <c>PhysMem_Kconfig</c>).</summary>
    public static EquatableArray<string> WantedNames(IReadOnlyList<string?> fromAttributes, BuildOptions build)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in fromAttributes)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name!.Trim());
            }
        }

        if (build.Get(BuildOptions.KconfigProperty) is { } global)
        {
            names.Add(global);
        }

        return new EquatableArray<string>(new List<string>(names).ToArray());
    }

    /// <summary>
    /// Whether the AdditionalFile at <paramref name="path"/> is the one named <paramref name="name"/>:
    /// the same path, or (for a relative name) a path that ends with it at a folder boundary.
    /// </summary>
    public static bool Matches(string path, string name)
    {
        string p = path.Replace('\\', '/');
        string n = name.Trim().Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal))
        {
            n = n.Substring(2);
        }

        if (n.Length == 0)
        {
            return false;
        }

        if (string.Equals(p, n, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        bool rooted = n.StartsWith("/", StringComparison.Ordinal) || (n.Length > 1 && n[1] == ':');
        return !rooted && p.EndsWith("/" + n, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether any wanted name matches <paramref name="path"/>.</summary>
    public static bool IsWanted(string path, EquatableArray<string> names)
    {
        foreach (var n in names)
        {
            if (Matches(path, n))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads and parses one configuration; only the digest is kept, never the text.</summary>
    public static KconfigInput Read(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return new KconfigInput(file.Path, false, EquatableArray<KconfigValue>.Empty, EquatableArray<KconfigDiagnostic>.Empty, null, null, string.Empty);
        }

        // Messages and the generated header name the file, not the machine's path to it.
        string name = System.IO.Path.GetFileName(file.Path);
        var result = KconfigReader.Read(text.ToString(), name);
        var values = new List<KconfigValue>();
        foreach (var s in result.Settings)
        {
            values.Add(new KconfigValue(s.Name, s.Value, KconfigLayers.SourceOf(name, s), LineLocation(text, file.Path, s.Line)));
        }

        var diagnostics = new List<KconfigDiagnostic>();
        foreach (var p in result.Problems)
        {
            var at = p.Column > 0 ? TextLocation(text, file.Path, p.Line, p.Column, p.Length) : LineLocation(text, file.Path, p.Line);
            diagnostics.Add(new KconfigDiagnostic(p.Diagnostic.Id, p.Line, at, p.Diagnostic.Arguments.ToEquatableArray()));
        }

        string archSource = "kconfig " + name + (result.ArchLine > 0 ? ":" + result.ArchLine.ToString(CultureInfo.InvariantCulture) : string.Empty) + " (" + (result.ArchName ?? "unknown") + ")";
        return new KconfigInput(file.Path, true, values.ToEquatableArray(), diagnostics.ToEquatableArray(), result.Preset?.ToString(), result.ArchName, archSource);
    }

    /// <summary>The whole line <paramref name="line"/> (1-based) of the file; the start of the file for 0.</summary>
    private static LocationInfo? LineLocation(SourceText text, string path, int line)
    {
        if (line < 1 || line > text.Lines.Count)
        {
            return new LocationInfo(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
        }

        var span = text.Lines[line - 1].Span;
        return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>
    /// The text at 1-based <paramref name="line"/> and <paramref name="column"/>, <paramref name="length"/>
    /// characters long (cut at the end of the line); the start of the file for a line not in it.
    /// </summary>
    internal static LocationInfo TextLocation(SourceText text, string path, int line, int column, int length)
    {
        if (line < 1 || line > text.Lines.Count)
        {
            return new LocationInfo(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
        }

        var l = text.Lines[line - 1];
        int start = Math.Min(l.Start + Math.Max(column - 1, 0), l.End);
        var span = new TextSpan(start, Math.Max(0, Math.Min(length, l.End - start)));
        return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
    }

    private static string[] BuildPropertyNames()
    {
        var names = new List<string> { BuildOptions.KconfigProperty, BuildOptions.ArchProperty };
        foreach (var input in KconfigValues.Names)
        {
            names.Add(BuildOptions.Prefix + input);
        }

        return names.ToArray();
    }
}
