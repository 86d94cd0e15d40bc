using System.Collections.Generic;
using System.CommandLine;
using PhysMem.Explorer.Output;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem presets</c>: every architecture preset with its main values, read from the preset
/// itself (<see cref="ArchPresets.TryApply"/> on empty options, then resolved and computed).
/// </summary>
internal static class PresetsCommand
{
    /// <summary>Creates the <c>presets</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("presets", "List the architecture presets that 'layout --arch NAME' starts from, with their PAGE_SHIFT, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS and model, and whether the reference could confirm every value.");
        command.SetAction(parse =>
        {
            var w = parse.InvocationConfiguration.Output;
            var table = new TextTable();
            table.Add("preset", "PAGE_SHIFT", "SSB", "MPB", "NODES_SHIFT", "MAX_PAGE_ORDER", "model", "values");
            bool anyRefused = false;
            foreach (var arch in ArchPresets.All)
            {
                var options = new LayoutOptions();
                ArchPresets.TryApply(arch, options, out _);
                var spec = options.Resolve(new List<LayoutDiagnostic>());
                var result = MemoryLayout.Compute(spec);
                string model = result.Layout?.Describe() ?? "refused: " + string.Join(", ", Ids(result.Diagnostics));
                anyRefused |= result.Layout is null;
                table.Add(
                    arch.ToString(),
                    Decimal(spec.PageShift),
                    Decimal(spec.SectionSizeBits),
                    Decimal(spec.MaxPhysmemBits),
                    Decimal(spec.NodesShift),
                    Decimal(spec.MaxPageOrder),
                    model,
                    ArchPresets.IsPartlyUnverified(arch) ? "partly UNVERIFIED" : "verified");
            }

            table.Write(w, indent: string.Empty);
            w.WriteLine();
            w.WriteLine("SSB = SECTION_SIZE_BITS, MPB = MAX_PHYSMEM_BITS. 'partly UNVERIFIED': the reference could not confirm some of the preset's values.");
            w.WriteLine("Show one with: physmem layout --arch NAME (any other option overrides the preset's value).");
            return anyRefused ? ExplorerApp.ExitRefused : ExplorerApp.ExitOk;
        });
        return command;
    }

    private static IEnumerable<string> Ids(IEnumerable<LayoutDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Descriptor.Severity == LayoutSeverity.Error)
            {
                yield return d.Id;
            }
        }
    }
}
