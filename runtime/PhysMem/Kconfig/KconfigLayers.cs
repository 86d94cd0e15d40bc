using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>One input from one source, as text: <c>SectionSizeBits = 27 (kconfig linux.config:412)</c>.</summary>
/// <param name="Name">The input (see <see cref="KconfigValues.Names"/>).</param>
/// <param name="Value">The value, as <see cref="KconfigValues.Format"/> writes it.</param>
/// <param name="Source">Where it came from: <c>attribute</c>, <c>msbuild PhysMem_Model</c>, <c>kconfig linux.config:12</c>, <c>preset X86_64</c>.</param>
internal sealed record LayeredInput(string Name, string Value, string Source);

/// <summary>An input a layer could not take: the value is not one of the input's type.</summary>
/// <param name="Input">The input as given.</param>
/// <param name="Error">What is wrong with it.</param>
internal sealed record RejectedInput(LayeredInput Input, string Error);

/// <summary>
/// Merges the layers a model's inputs come from, highest precedence first — the attribute, then
/// MSBuild properties, then a <c>VMCOREINFO</c> note (what the kernel booted with), then the kernel
/// <c>.config</c>, then the architecture preset; what none of
/// them sets takes PhysMem's default in <see cref="LayoutOptions.Resolve"/>. A value is taken from
/// the highest layer that sets it, with the pairs that describe one thing treated as one:
/// <c>NrCpus</c>/<c>NrCpusBits</c>, <c>Zones</c>/<c>MaxNrZones</c> (and <c>ZoneDevice</c>, folded into
/// a lower layer's zone list), and a non-SPARSEMEM <c>Model</c> drops the SPARSEMEM variants of lower layers.
/// </summary>
internal static class KconfigLayers
{
    /// <summary>Merges <paramref name="layers"/> (highest precedence first).</summary>
    /// <param name="layers">The layers' inputs.</param>
    /// <param name="chosen">Receives the inputs taken, each with its source: layer by layer, each layer's in its own order.</param>
    /// <param name="rejected">Receives inputs whose text is not a value of their type.</param>
    /// <returns>The merged options (unset where no layer spoke).</returns>
    public static LayoutOptions Merge(IReadOnlyList<IReadOnlyList<LayeredInput>> layers, List<LayeredInput> chosen, List<RejectedInput> rejected)
    {
        var options = new LayoutOptions();
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        int first = chosen.Count;
        for (int layer = 0; layer < layers.Count; layer++)
        {
            foreach (var input in layers[layer])
            {
                if (layerOf.ContainsKey(input.Name) || IsShadowed(input.Name, layer, layerOf, options))
                {
                    // A value a higher layer overrides must still be a value: a typo is reported even when unused.
                    if (!KconfigValues.TrySet(new LayoutOptions(), input.Name, input.Value, out string? unused))
                    {
                        rejected.Add(new RejectedInput(input, unused ?? "not a valid value"));
                    }

                    continue;
                }

                if (!KconfigValues.TrySet(options, input.Name, input.Value, out string? error))
                {
                    rejected.Add(new RejectedInput(input, error ?? "not a valid value"));
                    continue;
                }

                layerOf[input.Name] = layer;
                chosen.Add(input with { Value = KconfigValues.Format(options, input.Name) ?? input.Value });
            }
        }

        // A higher layer's ZoneDevice edits a lower layer's zone list rather than contradicting it.
        if (layerOf.TryGetValue("ZoneDevice", out int deviceLayer) && layerOf.TryGetValue("Zones", out int zonesLayer)
            && zonesLayer > deviceLayer && options.Zones is Zones zones && options.ZoneDevice is bool device)
        {
            options.Zones = device ? zones | Zones.Device : zones & ~Zones.Device;
            options.ZoneDevice = null;
            int zonesAt = chosen.FindIndex(first, c => c.Name == "Zones");
            int deviceAt = chosen.FindIndex(first, c => c.Name == "ZoneDevice");
            chosen[zonesAt] = new LayeredInput("Zones", options.Zones.Value.ToString(), chosen[zonesAt].Source + " + " + chosen[deviceAt].Source);
            chosen.RemoveAt(deviceAt);
        }

        return options;
    }

    /// <summary>The inputs an architecture preset gives, as a layer.</summary>
    public static IReadOnlyList<LayeredInput> PresetLayer(Arch arch)
    {
        var preset = new LayoutOptions();
        var layer = new List<LayeredInput>();
        if (ArchPresets.TryApply(arch, preset, out var filled))
        {
            foreach (var name in filled)
            {
                layer.Add(new LayeredInput(name, KconfigValues.Format(preset, name)!, "preset " + arch));
            }
        }

        return layer;
    }

    /// <summary>The inputs a kernel configuration settled, as a layer (sources <c>kconfig FILE:LINE why</c>).</summary>
    public static IReadOnlyList<LayeredInput> KconfigLayer(KconfigResult kconfig)
    {
        var layer = new List<LayeredInput>();
        foreach (var s in kconfig.Settings)
        {
            layer.Add(new LayeredInput(s.Name, s.Value, SourceOf(kconfig.FileName, s)));
        }

        return layer;
    }

    /// <summary><c>kconfig linux.config:412 (CONFIG_NR_CPUS=8192, order_base_2 …)</c>.</summary>
    public static string SourceOf(string fileName, KconfigSetting setting) =>
        "kconfig " + fileName + (setting.Line > 0 ? ":" + setting.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty) + " (" + setting.Why + ")";

    /// <summary>
    /// Whether a preset and a kernel configuration are of one architecture (the 4- and 5-level
    /// x86-64 presets are; so are arm64's page sizes), so the preset may fill what the configuration leaves.
    /// </summary>
    public static bool SameArchitecture(Arch preset, KconfigResult kconfig) =>
        kconfig.ArchName is null || Family(preset.ToString()) == (kconfig.Preset is Arch own ? Family(own.ToString()) : kconfig.ArchName);

    /// <summary>The architecture of a preset, as <see cref="KconfigResult.ArchName"/> names it.</summary>
    public static string Family(string preset) => preset switch
    {
        "X86_64" or "X86_64_5Level" => "x86_64",
        "X86_32" or "X86_32_Pae" => "x86 (32-bit)",
        "Arm64_4K" or "Arm64_16K" or "Arm64_64K" or "Arm64_4K_Pre512" => "arm64",
        "Riscv64" => "riscv64",
        "Ppc64" => "powerpc64",
        "S390" => "s390",
        "LoongArch64" => "loongarch64",
        "Sparc64" => "sparc64",
        "Arm" => "arm",
        _ => preset,
    };

    // Whether a higher layer (strictly higher: within one layer both forms stay, and Resolve reports
    // them if they disagree) already decided the thing this input describes.
    private static bool IsShadowed(string name, int layer, Dictionary<string, int> layerOf, LayoutOptions options)
    {
        bool Above(string other) => layerOf.TryGetValue(other, out int at) && at < layer;
        return name switch
        {
            "NrCpus" => Above("NrCpusBits"),
            "NrCpusBits" => Above("NrCpus"),
            "Zones" => Above("MaxNrZones"),
            "MaxNrZones" => Above("Zones"),
            "ZoneDevice" => Above("Zones") || Above("MaxNrZones"),
            "Vmemmap" or "Extreme" => Above("Model") && options.Model is Model m && m != Model.Sparse,
            _ => false,
        };
    }
}
