using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// Checks a <see cref="LayoutSpec"/>'s inputs before any arithmetic: ranges of single values and the
/// Kconfig dependencies between options (mm/Kconfig, init/Kconfig). The kernel's own build-time
/// errors on the derived values are raised by the layout calculation itself.
/// </summary>
internal static class LayoutValidator
{
    /// <summary>The input names, as the attribute's named properties spell them.</summary>
    internal static class Inputs
    {
        public const string Model = "Model";
        public const string PageShift = "PageShift";
        public const string BitsPerLong = "BitsPerLong";
        public const string SectionSizeBits = "SectionSizeBits";
        public const string MaxPhysmemBits = "MaxPhysmemBits";
        public const string Vmemmap = "Vmemmap";
        public const string Extreme = "Extreme";
        public const string ArchPfnOffset = "ArchPfnOffset";
        public const string HolesInMemmap = "HolesInMemmap";
        public const string NodesShift = "NodesShift";
        public const string Zones = "Zones";
        public const string MaxNrZones = "MaxNrZones";
        public const string ZoneDevice = "ZoneDevice";
        public const string NrPageflags = "NrPageflags";
        public const string NumaBalancing = "NumaBalancing";
        public const string NrCpusBits = "NrCpusBits";
        public const string KasanTagWidth = "KasanTagWidth";
        public const string LruGen = "LruGen";
        public const string PageExtension = "PageExtension";
        public const string MaxPageOrder = "MaxPageOrder";
        public const string PageblockOrder = "PageblockOrder";
        public const string StructPageSize = "StructPageSize";
    }

    public static void Validate(LayoutSpec s, List<LayoutDiagnostic> problems)
    {
        void Range(string name, long value, long min, long max, string why)
        {
            if (value < min || value > max)
            {
                problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { name }, name, Str(value), why));
            }
        }

        if (s.Model is not (Model.Flat or Model.Discontig or Model.Sparse))
        {
            problems.Add(Diag(DiagnosticCatalog.InvalidArgument, new[] { Inputs.Model }, Inputs.Model, "'" + Str((long)s.Model) + "' is not a Model (Flat, Discontig or Sparse)"));
            return;
        }

        if (s.BitsPerLong is not (32 or 64))
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.BitsPerLong }, Inputs.BitsPerLong, Str(s.BitsPerLong), "BITS_PER_LONG is 32 or 64"));
            return;
        }

        int bpl = s.BitsPerLong;
        Range(Inputs.PageShift, s.PageShift, 12, 18, "the kernel's page sizes run from 4 KiB (12) to 256 KiB (18)");
        Range(Inputs.NodesShift, s.NodesShift, 0, 10, "CONFIG_NODES_SHIFT ranges from 1 to 10 (0 means no NUMA)");
        Range(Inputs.NrPageflags, s.NrPageflags, 0, bpl, "NR_PAGEFLAGS counts bits of a " + Str(bpl) + "-bit page->flags");
        Range(Inputs.NrCpusBits, s.NrCpusBits, 0, 16, "NR_CPUS_BITS is order_base_2(NR_CPUS), at most 16");
        Range(Inputs.MaxPageOrder, s.MaxPageOrder, 0, 20, "MAX_PAGE_ORDER runs from 0 to 20");
        Range(Inputs.PageblockOrder, s.PageblockOrder, 0, 20, "pageblock_order runs from 0 to 20");
        Range(Inputs.StructPageSize, s.StructPageSize, 8, 4096, "sizeof(struct page) is between 8 and 4096 bytes");
        Range(Inputs.MaxNrZones, s.MaxNrZones, 0, 64, "MAX_NR_ZONES counts zones; 0 means the number of Zones given");
        if (s.StructPageSize % 8 != 0)
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.StructPageSize }, Inputs.StructPageSize, Str(s.StructPageSize), "sizeof(struct page) is a multiple of 8 bytes"));
        }

        if (s.KasanTagWidth is not (0 or 4 or 8))
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.KasanTagWidth }, Inputs.KasanTagWidth, Str(s.KasanTagWidth), "KASAN_TAG_WIDTH is 0 (no tags), 4 (hardware tags) or 8 (software tags)"));
        }

        const int knownZones = (int)(Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.HighMem | Zones.Movable | Zones.Device);
        if (((int)s.Zones & ~knownZones) != 0)
        {
            problems.Add(Diag(DiagnosticCatalog.InvalidArgument, new[] { Inputs.Zones }, Inputs.Zones, "0x" + ((int)s.Zones).ToString("X", CultureInfo.InvariantCulture) + " holds bits that are not zones"));
        }
        else if (s.MaxNrZones == 0 && (s.Zones & (Zones.Normal | Zones.Movable)) != (Zones.Normal | Zones.Movable))
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.Zones }, Inputs.Zones, s.Zones.ToString(), "every kernel has ZONE_NORMAL and ZONE_MOVABLE, so Zones must include Normal and Movable"));
        }

        if ((s.Zones & Zones.HighMem) != 0 && bpl != 32)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.Zones, Inputs.BitsPerLong }, "Zones.HighMem", "a 32-bit kernel", "BitsPerLong is " + Str(bpl), "CONFIG_HIGHMEM is offered on 32-bit architectures only"));
        }

        bool sparse = s.Model == Model.Sparse;
        string model = "the model is " + s.Model;
        if (s.Vmemmap && !sparse)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.Vmemmap, Inputs.Model }, "Vmemmap", "Model.Sparse", model, "SPARSEMEM_VMEMMAP depends on SPARSEMEM"));
        }

        if (s.Extreme && !sparse)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.Extreme, Inputs.Model }, "Extreme", "Model.Sparse", model, "SPARSEMEM_EXTREME depends on SPARSEMEM"));
        }

        if (s.ArchPfnOffset != 0 && s.Model != Model.Flat)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.ArchPfnOffset, Inputs.Model }, "ArchPfnOffset", "Model.Flat", model, "ARCH_PFN_OFFSET is where FLATMEM's mem_map starts; other models index by absolute pfn"));
        }

        if (s.ArchPfnOffset != 0 && s.PageShift is >= 12 and <= 18 && (s.ArchPfnOffset >> (64 - s.PageShift)) != 0)
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.ArchPfnOffset }, Inputs.ArchPfnOffset, "0x" + s.ArchPfnOffset.ToString("X", CultureInfo.InvariantCulture), "its physical address does not fit in 64 bits with PAGE_SHIFT " + Str(s.PageShift)));
        }

        if (s.HolesInMemmap && s.Model != Model.Flat)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.HolesInMemmap, Inputs.Model }, "HolesInMemmap", "Model.Flat", model, "ARCH_HAS_HOLES_MEMORYMODEL is a FLATMEM option"));
        }

        if (s.ZoneDevice && !(sparse && s.Vmemmap && bpl == 64))
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.ZoneDevice, Inputs.Vmemmap, Inputs.Model, Inputs.BitsPerLong }, "ZoneDevice", "Model.Sparse with Vmemmap on a 64-bit kernel",
                sparse ? (s.Vmemmap ? "BitsPerLong is " + Str(bpl) : "Vmemmap is false") : model,
                "ZONE_DEVICE depends on MEMORY_HOTPLUG (64BIT), MEMORY_HOTREMOVE and SPARSEMEM_VMEMMAP"));
        }

        if (s.LruGen && !(bpl == 64 || !sparse || s.Vmemmap))
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.LruGen, Inputs.BitsPerLong, Inputs.Vmemmap }, "LruGen", "a 64-bit kernel, a non-sparse model or Vmemmap", "the model is 32-bit classic SPARSEMEM", "LRU_GEN depends on 64BIT || !SPARSEMEM || SPARSEMEM_VMEMMAP, for space in page->flags"));
        }

        if (s.NumaBalancing && s.NodesShift == 0)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.NumaBalancing, Inputs.NodesShift }, "NumaBalancing", "NUMA (NodesShift > 0)", "NodesShift is 0", "NUMA_BALANCING depends on NUMA"));
        }
    }

    internal static LayoutDiagnostic Diag(DiagnosticDescriptorInfo descriptor, string[] blame, params string[] args) =>
        new(descriptor, args, blame);

    internal static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
