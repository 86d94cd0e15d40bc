using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PhysMem.Generator.Diagnostics;

/// <summary>
/// Roslyn descriptors for the shared <see cref="DiagnosticCatalog"/>: one per ID, with a help
/// link to the ID's documentation page in the repository (<c>docs/diagnostics/PMEMnnnn.md</c>).
/// </summary>
internal static class Descriptors
{
    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Build();

    public static DiagnosticDescriptor Get(string id) => ById[id];

    public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var info in DiagnosticCatalog.All)
        {
            var severity = info.Severity switch
            {
                LayoutSeverity.Error => DiagnosticSeverity.Error,
                LayoutSeverity.Warning => DiagnosticSeverity.Warning,
                _ => DiagnosticSeverity.Info,
            };

            map[info.Id] = new DiagnosticDescriptor(info.Id, info.Title, info.MessageFormat, "PhysMem." + info.Category, severity,
                isEnabledByDefault: true, helpLinkUri: info.HelpLink);

        }

        return map;
    }
}
