using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
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
        var json = CliOptions.Flag("--json", "Print the presets as JSON (the schema is in docs/cli-json.md).");
        var command = new Command("presets", "List the architecture presets that 'layout --arch NAME' starts from, with their PAGE_SHIFT, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS and model, and whether the reference could confirm every value.")
        {
            json,
        };
        command.SetAction(parse =>
        {
            var w = parse.InvocationConfiguration.Output;
            var presets = ArchPresets.All.Select(Preset.Of).ToList();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(w, writer => WriteJson(writer, presets));
            }
            else
            {
                var table = new TextTable(header: true);
                table.Add("preset", "PAGE_SHIFT", "SSB", "MPB", "NODES_SHIFT", "MAX_PAGE_ORDER", "model", "values");
                foreach (var p in presets)
                {
                    string[] cells =
                    {
                        p.Arch.ToString(),
                        Decimal(p.Spec.PageShift),
                        Decimal(p.Spec.SectionSizeBits),
                        Decimal(p.Spec.MaxPhysmemBits),
                        Decimal(p.Spec.NodesShift),
                        Decimal(p.Spec.MaxPageOrder),
                        p.Model ?? "refused: " + string.Join(", ", p.Refusals),
                        p.Verified ? "verified" : "partly UNVERIFIED",
                    };
                    if (p.Model is null)
                    {
                        table.AddMarked(cells);
                    }
                    else
                    {
                        table.Add(cells);
                    }
                }

                table.Write(w, indent: string.Empty);
                w.WriteLine();
                w.WriteLine("SSB = SECTION_SIZE_BITS, MPB = MAX_PHYSMEM_BITS. 'partly UNVERIFIED': some values were read from the kernel's headers but not checked against a booted kernel, or depend on a configuration choice (README's presets table says which).");
                w.WriteLine("Show one with: physmem layout --arch NAME (any other option overrides the preset's value).");
            }

            return presets.Any(p => p.Model is null) ? ExplorerApp.ExitRefused : ExplorerApp.ExitOk;
        });
        return command;
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter json, IEnumerable<Preset> presets)
    {
        json.WriteStartObject();
        json.WriteStartArray("presets");
        foreach (var p in presets)
        {
            json.WriteStartObject();
            json.WriteString("name", p.Arch.ToString());
            json.WriteString("model", p.Model);
            json.WriteBoolean("verified", p.Verified);
            json.WriteStartObject("values");
            json.WriteNumber("PAGE_SHIFT", p.Spec.PageShift);
            json.WriteNumber("SECTION_SIZE_BITS", p.Spec.SectionSizeBits);
            json.WriteNumber("MAX_PHYSMEM_BITS", p.Spec.MaxPhysmemBits);
            json.WriteNumber("NODES_SHIFT", p.Spec.NodesShift);
            json.WriteNumber("MAX_PAGE_ORDER", p.Spec.MaxPageOrder);
            json.WriteEndObject();
            json.WriteStartArray("refused");
            foreach (string id in p.Refusals)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One preset as the command shows it.</summary>
    /// <param name="Arch">The preset.</param>
    /// <param name="Spec">Its inputs, resolved.</param>
    /// <param name="Model">The model it computes to, or null when the layout code refuses it.</param>
    /// <param name="Refusals">The ids of the errors that refuse it.</param>
    /// <param name="Verified">Whether the reference confirms every value of the preset.</param>
    private sealed record Preset(Arch Arch, LayoutSpec Spec, string? Model, IReadOnlyList<string> Refusals, bool Verified)
    {
        public static Preset Of(Arch arch)
        {
            var options = new LayoutOptions();
            ArchPresets.TryApply(arch, options, out _);
            var spec = options.Resolve(new List<LayoutDiagnostic>());
            var result = MemoryLayout.Compute(spec);
            var refusals = result.Diagnostics.Where(d => d.Descriptor.Severity == LayoutSeverity.Error).Select(d => d.Id).ToList();
            return new Preset(arch, spec, result.Layout?.Describe(), refusals, !ArchPresets.IsPartlyUnverified(arch));
        }
    }
}
