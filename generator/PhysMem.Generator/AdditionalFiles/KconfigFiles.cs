using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.AdditionalFiles;

/// <summary>
/// The kernel configurations among the AdditionalFiles: which ones some model names, and each read
/// once by the shared <see cref="KconfigReader"/> into an equatable <see cref="KconfigInput"/>.
/// </summary>
internal static class KconfigFiles
{
    /// <summary>
    /// The file names some model asks for: its own (<c>Kconfig</c>, <c>VmcoreInfo</c>), or the one the
    /// MSBuild property names for every model (<c>PhysMem_Kconfig</c>, <c>PhysMem_VmcoreInfo</c>).
    /// </summary>
    public static EquatableArray<string> WantedNames(IReadOnlyList<string?> fromAttributes, string? fromBuild)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in fromAttributes)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name!.Trim());
            }
        }

        if (fromBuild is { } global)
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
            var at = p.Column > 0 ? LocationInfo.InText(text, file.Path, p.Line, p.Column, p.Length) : LineLocation(text, file.Path, p.Line);
            diagnostics.Add(new KconfigDiagnostic(p.Diagnostic.Id, p.Line, at, p.Diagnostic.Arguments.ToEquatableArray()));
        }

        string archSource = "kconfig " + name + (result.ArchLine > 0 ? ":" + result.ArchLine.ToString(CultureInfo.InvariantCulture) : string.Empty) + " (" + (result.ArchName ?? "unknown") + ")";
        return new KconfigInput(file.Path, true, values.ToEquatableArray(), diagnostics.ToEquatableArray(), result.Preset?.ToString(), result.ArchName, archSource);
    }

    /// <summary>The whole line <paramref name="line"/> (1-based) of the file; the start of the file for 0.</summary>
    internal static LocationInfo? LineLocation(SourceText text, string path, int line)
    {
        if (line < 1 || line > text.Lines.Count)
        {
            return new LocationInfo(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
        }

        var span = text.Lines[line - 1].Span;
        return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
    }
}
