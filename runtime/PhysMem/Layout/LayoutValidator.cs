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
        public const string VmemmapPreinit = "VmemmapPreinit";
        public const string DeferredStructPageInit = "DeferredStructPageInit";
        public const string NrPageflags = "NrPageflags";
        public const string NumaBalancing = "NumaBalancing";
        public const string NrCpusBits = "NrCpusBits";
        public const string KasanTagWidth = "KasanTagWidth";
        public const string LruGen = "LruGen";
        public const string PageExtension = "PageExtension";
        public const string MaxPageOrder = "MaxPageOrder";
        public const string PageBlockMaxOrder = "PageBlockMaxOrder";
        public const string PageblockOrder = "PageblockOrder";
        public const string StructPageSize = "StructPageSize";
    }

    public static void Validate(LayoutSpec s, List<LayoutDiagnostic> problems)
    {
        bool InRange(string name, long value, int wordBits)
        {
            var range = InputRanges.Get(name, wordBits)!;
            if (range.Contains(value))
            {
                return true;
            }

            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { name }, name, Str(value), range.Why));
            return false;
        }

        if (s.Model is not (Model.Flat or Model.Discontig or Model.Sparse))
        {
            problems.Add(Diag(DiagnosticCatalog.InvalidArgument, new[] { Inputs.Model }, Inputs.Model, "'" + Str((long)s.Model) + "' is not a Model (Flat, Discontig or Sparse)"));
            return;
        }

        if (!InRange(Inputs.BitsPerLong, s.BitsPerLong, 64))
        {
            return;
        }

        int bpl = s.BitsPerLong;
        InRange(Inputs.PageShift, s.PageShift, bpl);
        InRange(Inputs.NodesShift, s.NodesShift, bpl);
        InRange(Inputs.NrPageflags, s.NrPageflags, bpl);
        InRange(Inputs.NrCpusBits, s.NrCpusBits, bpl);
        InRange(Inputs.MaxPageOrder, s.MaxPageOrder, bpl);
        InRange(Inputs.PageBlockMaxOrder, s.PageBlockMaxOrder, bpl);
        InRange(Inputs.PageblockOrder, s.PageblockOrder, bpl);
        InRange(Inputs.StructPageSize, s.StructPageSize, bpl);
        InRange(Inputs.MaxNrZones, s.MaxNrZones, bpl);
        if (s.StructPageSize % 8 != 0)
        {
            problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { Inputs.StructPageSize }, Inputs.StructPageSize, Str(s.StructPageSize), "sizeof(struct page) is a multiple of 8 bytes"));
        }

        InRange(Inputs.KasanTagWidth, s.KasanTagWidth, bpl);

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

        if ((s.Zones & Zones.Dma32) != 0 && bpl != 64)
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.Zones, Inputs.BitsPerLong }, "Zones.Dma32", "a 64-bit kernel", "BitsPerLong is " + Str(bpl), "ZONE_DMA32 is offered on 64-bit architectures only (mm/Kconfig: depends on !X86_32; arm64, x86-64, riscv, loongarch and mips64 select it)"));
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

        // fs/Kconfig (6.15+): HUGETLB_PAGE_OPTIMIZE_VMEMMAP, which depends on SPARSEMEM_VMEMMAP, is
        // what selects SPARSEMEM_VMEMMAP_PREINIT (if ARCH_WANT_HUGETLB_VMEMMAP_PREINIT: x86-64).
        if (s.VmemmapPreinit && !(sparse && s.Vmemmap))
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.VmemmapPreinit, Inputs.Vmemmap, Inputs.Model }, "VmemmapPreinit", "Model.Sparse with Vmemmap",
                sparse ? "Vmemmap is false" : model,
                "SPARSEMEM_VMEMMAP_PREINIT is selected only by HUGETLB_PAGE_OPTIMIZE_VMEMMAP, which depends on SPARSEMEM_VMEMMAP (fs/Kconfig, 6.15)"));
        }

        if (s.DeferredStructPageInit && !(sparse && bpl == 64))
        {
            problems.Add(Diag(DiagnosticCatalog.DependencyNotMet, new[] { Inputs.DeferredStructPageInit, Inputs.Model, Inputs.BitsPerLong }, "DeferredStructPageInit", "Model.Sparse on a 64-bit kernel",
                sparse ? "BitsPerLong is " + Str(bpl) : model,
                "DEFERRED_STRUCT_PAGE_INIT depends on SPARSEMEM and 64BIT (mm/Kconfig)"));
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
