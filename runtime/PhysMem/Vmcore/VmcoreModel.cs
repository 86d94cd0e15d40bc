using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PhysMem;

/// <summary>
/// The memory model of a dump's kernel: the layout built from the <c>VMCOREINFO</c> note (page size,
/// section size, physical address width, EXTREME; these are the kernel's boot-time choices and win over
/// anything else), then the kernel's configuration for what the note does not say (zones, nodes and the
/// other <c>page-&gt;flags</c> fields), then the configuration's architecture preset; the same layering
/// as the <c>.config</c> path. The struct page offsets come from the note.
/// </summary>
internal sealed class VmcoreModel
{
    private VmcoreModel(MemoryLayout layout, IReadOnlyList<LayeredInput> chosen, bool flagsFromKconfig, IReadOnlyList<string> notes)
    {
        Layout = layout;
        Chosen = chosen;
        FlagsLayoutKnown = flagsFromKconfig;
        Notes = notes;
        PageFlags = new PageFlags(layout);
        ZoneRule = new ZoneRule(layout);
        ZoneNames = DumpStatistics.ZoneNames(layout.Spec);
    }

    /// <summary>The layout.</summary>
    public MemoryLayout Layout { get; }

    /// <summary>Every input taken, with its source (<c>vmcoreinfo NUMBER(MAX_PHYSMEM_BITS)=46</c>, <c>kconfig FILE:LINE (...)</c>, <c>preset X86_64</c>).</summary>
    public IReadOnlyList<LayeredInput> Chosen { get; }

    /// <summary>Whether a kernel configuration gave where node and zone sit in <c>page-&gt;flags</c>; without one they are not read from the flags.</summary>
    public bool FlagsLayoutKnown { get; }

    /// <summary>What the reader had to decide or could not use, in words.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The <c>page-&gt;flags</c> fields of <see cref="Layout"/> (node and zone are read from them only when <see cref="FlagsLayoutKnown"/>).</summary>
    public PageFlags PageFlags { get; }

    /// <summary>The zones by address, for when the flags layout is not known.</summary>
    public ZoneRule ZoneRule { get; }

    /// <summary>The configured zones' names in index order, as /proc/zoneinfo writes them.</summary>
    public string[] ZoneNames { get; }

    /// <summary>Builds the model of <paramref name="info"/>, with <paramref name="kconfig"/> when given.</summary>
    /// <param name="info">The note.</param>
    /// <param name="kconfig">The kernel's configuration, read by <see cref="KconfigReader"/>, or null.</param>
    /// <param name="vmemmap">Whether the decoded sections say SPARSEMEM_VMEMMAP (for notes that do not say it), or null.</param>
    /// <exception cref="VmcoreException">The note lacks a key the model needs, or the layout code refuses the inputs.</exception>
    public static VmcoreModel Build(VmcoreInfo info, KconfigResult? kconfig, bool? vmemmap)
    {
        var settled = new List<KeyValuePair<string, string>>();
        var fromNote = VmcoreDump.Wrap(() => VmcoreLayoutInputs.Read(info, settled));
        if (fromNote.Vmemmap is null && vmemmap is bool v)
        {
            fromNote.Vmemmap = v;
            settled.Add(new("Vmemmap", "every section_mem_map decodes to " + (v ? "one base" : "its own memmap")));
        }

        var notes = new List<string>();
        var dumpLayer = new List<LayeredInput>
        {
            new("BitsPerLong", "64", "vmcoreinfo (an x86-64 dump)"),
        };
        foreach (var s in settled)
        {
            dumpLayer.Add(new LayeredInput(s.Key, KconfigValues.Format(fromNote, s.Key)!, "vmcoreinfo " + s.Value));
        }

        var layers = new List<IReadOnlyList<LayeredInput>> { dumpLayer };
        if (kconfig is not null)
        {
            if (kconfig.HasErrors)
            {
                throw new VmcoreException(kconfig.FileName + ": the kernel configuration has errors: "
                    + string.Join("; ", kconfig.Problems.Where(p => p.Diagnostic.Descriptor.Severity == LayoutSeverity.Error).Select(p => p.Diagnostic.Message)));
            }

            var kconfigLayer = KconfigLayers.KconfigLayer(kconfig);
            foreach (var k in kconfigLayer)
            {
                if (dumpLayer.FirstOrDefault(d => d.Name == k.Name) is { } d && d.Value != k.Value)
                {
                    notes.Add(k.Name + ": the dump's " + d.Value + " (" + d.Source + ") is used, not the configuration's " + k.Value + " (" + k.Source + "): the kernel chose it at boot");
                }
            }

            layers.Add(kconfigLayer);
            if (kconfig.Preset is Arch preset)
            {
                layers.Add(KconfigLayers.PresetLayer(preset));
            }
        }
        else
        {
            // Without the configuration the flags' node and zone fields are unknown; the x86-64
            // preset fills the rest so that the section arithmetic is complete.
            layers.Add(KconfigLayers.PresetLayer(fromNote.MaxPhysmemBits == 52 ? Arch.X86_64_5Level : Arch.X86_64));
            notes.Add("no kernel configuration given: node and zone are not read from page->flags; each page's zone follows x86-64's zone limits by address (ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB) and every page is counted in node 0");
        }

        var chosen = new List<LayeredInput>();
        var rejected = new List<RejectedInput>();
        var options = KconfigLayers.Merge(layers, chosen, rejected);
        var problems = new List<LayoutDiagnostic>();
        var spec = options.Resolve(problems);
        var result = MemoryLayout.Compute(spec);
        var errors = problems.Concat(result.Diagnostics).Where(d => d.Descriptor.Severity == LayoutSeverity.Error).ToList();
        if (result.Layout is null || errors.Count > 0 || rejected.Count > 0)
        {
            throw new VmcoreException(info.Source + ": the model the dump describes is refused: "
                + string.Join("; ", errors.Select(e => e.Id + " " + e.Message).Concat(rejected.Select(r => r.Input.Name + " = " + r.Input.Value + " (" + r.Input.Source + "): " + r.Error))));
        }

        return new VmcoreModel(result.Layout, chosen, kconfig is not null, notes);
    }

    /// <summary>The value of <c>OFFSET(member)</c>, or the fallback the kernel's headers give when the note omits it; the fallback is noted.</summary>
    public static int OffsetOr(VmcoreInfo info, string member, int fallback, List<string> notes)
    {
        if (info.Offset(member) is ulong o)
        {
            return checked((int)o);
        }

        notes.Add("OFFSET(" + member + ") is not in the note: " + fallback.ToString(CultureInfo.InvariantCulture) + " is used (the struct page layout of the kernel's headers)");
        return fallback;
    }
}
