using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// Every input of a memory model, one row each, in the order the generated header lists them: the
/// one table the attribute reader, the MSBuild properties, the kernel <c>.config</c> reader, the range
/// checks, the generated header and <c>Layout</c> literal and the command-line tool iterate. Built
/// once; nothing in it is per model.
/// </summary>
/// <remarks>
/// Adding an input is a row here, the properties it names on <see cref="LayoutOptions"/>,
/// <see cref="LayoutSpec"/> and <c>[MemoryModel]</c> (real properties, so users see them; tests check
/// them against the table), and its default or formula in <see cref="LayoutOptions.Resolve"/>.
/// </remarks>
internal static class InputTable
{
    // The architecture symbols whose headers (arch/*/include/asm/sparsemem.h, page.h) decide the
    // page size, the section size and the physical address width.
    private static readonly string[] Arches = { "X86_64", "X86_32", "X86_PAE", "ARM64", "RISCV", "PPC64", "S390", "LOONGARCH", "SPARC64", "ARM" };

    private static readonly string[] None = Array.Empty<string>();

    /// <summary>Every input, in the header's order.</summary>
    public static IReadOnlyList<InputDescriptor> All { get; } = new InputDescriptor[]
    {
        new InputDescriptor<Model>(
            new("Model", "CONFIG_FLATMEM / CONFIG_DISCONTIGMEM / CONFIG_SPARSEMEM", ModelSet.All, "Sparse", new[] { "SPARSEMEM", "FLATMEM", "DISCONTIGMEM" }),
            InputFormats.Model, o => o.Model, (o, v) => o.Model = v, s => s.Model),
        new InputDescriptor<int>(
            new("PageShift", "PAGE_SHIFT", ModelSet.All, "12 (4 KiB pages)", Concat(new[] { "PAGE_SHIFT", "ARM64_4K_PAGES", "ARM64_16K_PAGES", "ARM64_64K_PAGES", "PPC_4K_PAGES", "PPC_16K_PAGES", "PPC_64K_PAGES", "PPC_256K_PAGES", "PAGE_SIZE_4KB", "PAGE_SIZE_16KB", "PAGE_SIZE_64KB" }, Arches),
                new InputCli("--page-shift", "PAGE_SHIFT: log2 of the page size, 12 to 18."),
                Fixed("PageShift", 12, 18, "the kernel's page sizes run from 4 KiB (12) to 256 KiB (18)")),
            InputFormats.Int, o => o.PageShift, (o, v) => o.PageShift = v, s => s.PageShift),
        new InputDescriptor<int>(
            new("BitsPerLong", "BITS_PER_LONG", ModelSet.All, "64", new[] { "64BIT" },
                new InputCli("--bits-per-long", "BITS_PER_LONG: 32 or 64, the width of page->flags."),
                Fixed("BitsPerLong", 32, 64, "BITS_PER_LONG is 32 or 64", 32, 64)),
            InputFormats.Int, o => o.BitsPerLong, (o, v) => o.BitsPerLong = v, s => s.BitsPerLong),
        new InputDescriptor<int>(
            new("SectionSizeBits", "SECTION_SIZE_BITS", ModelSet.Sparse, "27 (128 MiB sections, x86-64)", Arches,
                new InputCli("--section-size-bits", "SECTION_SIZE_BITS: log2 of the section size in bytes.")),
            InputFormats.Int, o => o.SectionSizeBits, (o, v) => o.SectionSizeBits = v, s => s.SectionSizeBits),
        new InputDescriptor<int>(
            new("MaxPhysmemBits", "MAX_PHYSMEM_BITS", ModelSet.Sparse, "46 (x86-64, 4-level paging)", Concat(new[] { "X86_5LEVEL", "ARM64_PA_BITS", "MAX_PHYSMEM_BITS" }, Arches),
                new InputCli("--max-physmem-bits", "MAX_PHYSMEM_BITS: log2 of the physical address space.")),
            InputFormats.Int, o => o.MaxPhysmemBits, (o, v) => o.MaxPhysmemBits = v, s => s.MaxPhysmemBits),
        new InputDescriptor<bool>(
            new("Vmemmap", "CONFIG_SPARSEMEM_VMEMMAP", ModelSet.Sparse, "false", new[] { "SPARSEMEM_VMEMMAP" },
                new InputCli("--vmemmap", "CONFIG_SPARSEMEM_VMEMMAP: one virtually contiguous memmap.")),
            InputFormats.Bool, o => o.Vmemmap, (o, v) => o.Vmemmap = v, s => s.Vmemmap),
        new InputDescriptor<bool>(
            new("Extreme", "CONFIG_SPARSEMEM_EXTREME", ModelSet.Sparse, "false", new[] { "SPARSEMEM_EXTREME" },
                new InputCli("--extreme", "CONFIG_SPARSEMEM_EXTREME: a two-level section table, roots allocated on demand.")),
            InputFormats.Bool, o => o.Extreme, (o, v) => o.Extreme = v, s => s.Extreme),
        new InputDescriptor<ulong>(
            new("ArchPfnOffset", "ARCH_PFN_OFFSET", ModelSet.Flat, "0", None,
                new InputCli("--arch-pfn-offset", "ARCH_PFN_OFFSET (FLATMEM): the pfn of mem_map[0].")),
            InputFormats.Hex, o => o.ArchPfnOffset, (o, v) => o.ArchPfnOffset = v, s => s.ArchPfnOffset),
        new InputDescriptor<bool>(
            new("HolesInMemmap", "CONFIG_ARCH_HAS_HOLES_MEMORYMODEL", ModelSet.Flat, "false", None),
            InputFormats.Bool, o => o.HolesInMemmap, (o, v) => o.HolesInMemmap = v, s => s.HolesInMemmap),
        new InputDescriptor<int>(
            new("NodesShift", "CONFIG_NODES_SHIFT", ModelSet.All, "0 (no NUMA)", new[] { "NUMA", "NODES_SHIFT" },
                new InputCli("--nodes-shift", "CONFIG_NODES_SHIFT: log2 of MAX_NUMNODES, 0 (no NUMA) to 10."),
                Fixed("NodesShift", 0, 10, "CONFIG_NODES_SHIFT ranges from 1 to 10 (0 means no NUMA)")),
            InputFormats.Int, o => o.NodesShift, (o, v) => o.NodesShift = v, s => s.NodesShift),
        new InputDescriptor<Zones>(
            new("Zones", "enum zone_type", ModelSet.All, "Dma, Dma32, Normal, Movable on 64-bit; Dma, Normal, HighMem, Movable on 32-bit", new[] { "ZONE_DMA", "ZONE_DMA32", "HIGHMEM", "ZONE_DEVICE" }),
            InputFormats.Zones, o => o.Zones, (o, v) => o.Zones = v, s => s.Zones),
        new InputDescriptor<int>(
            new("MaxNrZones", "MAX_NR_ZONES", ModelSet.All, "0 (the number of Zones)", None,
                new InputCli("--zones", "MAX_NR_ZONES as a number (default: the zones of the word size, 4)."),
                Fixed("MaxNrZones", 0, 64, "MAX_NR_ZONES counts zones; 0 means the number of Zones given"),
                ListedAtDefault: false),
            InputFormats.Int, o => o.MaxNrZones, (o, v) => o.MaxNrZones = v, s => s.MaxNrZones),
        new InputDescriptor<bool>(
            new("ZoneDevice", "CONFIG_ZONE_DEVICE", ModelSet.Sparse, "false", None,
                new InputCli("--zone-device", "CONFIG_ZONE_DEVICE: adds ZONE_DEVICE and the SECTION_TAINT_ZONE_DEVICE bit.")),
            InputFormats.Bool, o => o.ZoneDevice, (o, v) => o.ZoneDevice = v, null),
        new InputDescriptor<bool>(
            new("VmemmapPreinit", "CONFIG_SPARSEMEM_VMEMMAP_PREINIT", ModelSet.Sparse, "false (kernels before 6.15 have no such bit)", new[] { "SPARSEMEM_VMEMMAP_PREINIT" },
                new InputCli("--vmemmap-preinit", "CONFIG_SPARSEMEM_VMEMMAP_PREINIT (6.15+): the SECTION_IS_VMEMMAP_PREINIT bit (needs --vmemmap)."),
                Since: "6.15"),
            InputFormats.Bool, o => o.VmemmapPreinit, (o, v) => o.VmemmapPreinit = v, s => s.VmemmapPreinit),
        new InputDescriptor<bool>(
            new("DeferredStructPageInit", "CONFIG_DEFERRED_STRUCT_PAGE_INIT", ModelSet.Sparse, "false", new[] { "DEFERRED_STRUCT_PAGE_INIT" },
                new InputCli("--deferred-struct-page-init", "CONFIG_DEFERRED_STRUCT_PAGE_INIT: the storage initializes pages above first_deferred_pfn on worker threads.")),
            InputFormats.Bool, o => o.DeferredStructPageInit, (o, v) => o.DeferredStructPageInit = v, s => s.DeferredStructPageInit),
        new InputDescriptor<int>(
            new("NrPageflags", "NR_PAGEFLAGS", ModelSet.All, "25 on 64-bit, 22 on 32-bit (x86, 6.17)", new[] { "MMU", "MEMORY_FAILURE", "PAGE_IDLE_FLAG", "ARCH_USES_PG_UNCACHED", "ARCH_USES_PG_ARCH_X", "ARCH_USES_PG_ARCH_2", "ARCH_USES_PG_ARCH_3", "KASAN_HW_TAGS" },
                new InputCli("--nr-pageflags", "NR_PAGEFLAGS: page-flag bits at the bottom of page->flags."),
                bpl => new InputRange("NrPageflags", 0, bpl, null, "NR_PAGEFLAGS counts bits of a " + bpl.ToString(CultureInfo.InvariantCulture) + "-bit page->flags")),
            InputFormats.Int, o => o.NrPageflags, (o, v) => o.NrPageflags = v, s => s.NrPageflags),
        new InputDescriptor<bool>(
            new("NumaBalancing", "CONFIG_NUMA_BALANCING", ModelSet.All, "false", new[] { "NUMA_BALANCING" },
                new InputCli("--numa-balancing", "CONFIG_NUMA_BALANCING: keep last_cpupid in page->flags (needs --nodes-shift).")),
            InputFormats.Bool, o => o.NumaBalancing, (o, v) => o.NumaBalancing = v, s => s.NumaBalancing),
        new InputDescriptor<int>(
            new("NrCpusBits", "NR_CPUS_BITS", ModelSet.All, "0", new[] { "SMP", "NR_CPUS" },
                new InputCli("--nr-cpus-bits", "NR_CPUS_BITS: bits of a cpu number in last_cpupid (or give --nr-cpus)."),
                Fixed("NrCpusBits", 0, 16, "NR_CPUS_BITS is order_base_2(NR_CPUS), at most 16")),
            InputFormats.Int, o => o.NrCpusBits, (o, v) => o.NrCpusBits = v, s => s.NrCpusBits),
        new InputDescriptor<int>(
            new("NrCpus", "CONFIG_NR_CPUS", ModelSet.All, "unset (NrCpusBits decides)", None,
                new InputCli("--nr-cpus", "CONFIG_NR_CPUS; gives NR_CPUS_BITS = order_base_2(NR_CPUS).", SourceShowsValue: true)),
            InputFormats.Int, o => o.NrCpus, (o, v) => o.NrCpus = v, null),
        new InputDescriptor<int>(
            new("KasanTagWidth", "KASAN_TAG_WIDTH", ModelSet.All, "0 (no tags)", new[] { "KASAN_SW_TAGS", "KASAN_HW_TAGS" },
                new InputCli("--kasan-tag-width", "KASAN_TAG_WIDTH: 0, 4 (hardware tags) or 8 (software tags)."),
                Fixed("KasanTagWidth", 0, 8, "KASAN_TAG_WIDTH is 0 (no tags), 4 (hardware tags) or 8 (software tags)", 0, 4, 8)),
            InputFormats.Int, o => o.KasanTagWidth, (o, v) => o.KasanTagWidth = v, s => s.KasanTagWidth),
        new InputDescriptor<bool>(
            new("LruGen", "CONFIG_LRU_GEN", ModelSet.All, "false", new[] { "LRU_GEN" },
                new InputCli("--lru-gen", "CONFIG_LRU_GEN: the multi-generational LRU's generation and reference bits.")),
            InputFormats.Bool, o => o.LruGen, (o, v) => o.LruGen = v, s => s.LruGen),
        new InputDescriptor<bool>(
            new("PageExtension", "CONFIG_PAGE_EXTENSION", ModelSet.All, "false", new[] { "PAGE_EXTENSION" },
                new InputCli("--page-extension", "CONFIG_PAGE_EXTENSION: struct mem_section grows by two words.")),
            InputFormats.Bool, o => o.PageExtension, (o, v) => o.PageExtension = v, s => s.PageExtension),
        new InputDescriptor<int>(
            new("MaxPageOrder", "MAX_PAGE_ORDER", ModelSet.All, "10", new[] { "ARCH_FORCE_MAX_ORDER", "FORCE_MAX_ZONEORDER" },
                new InputCli("--max-page-order", "MAX_PAGE_ORDER: the largest order the buddy allocator hands out."),
                Fixed("MaxPageOrder", 0, 20, "MAX_PAGE_ORDER runs from 0 to 20")),
            InputFormats.Int, o => o.MaxPageOrder, (o, v) => o.MaxPageOrder = v, s => s.MaxPageOrder),
        new InputDescriptor<int>(
            new("PageBlockMaxOrder", "CONFIG_PAGE_BLOCK_MAX_ORDER", ModelSet.All, "0: MAX_PAGE_ORDER, as before 6.16", new[] { "PAGE_BLOCK_MAX_ORDER", "PAGE_BLOCK_ORDER" },
                new InputCli("--page-block-max-order", "CONFIG_PAGE_BLOCK_MAX_ORDER (6.16+): the upper limit of pageblock_order, 1 to MAX_PAGE_ORDER."),
                Fixed("PageBlockMaxOrder", 0, 20, "CONFIG_PAGE_BLOCK_MAX_ORDER runs from 1 to ARCH_FORCE_MAX_ORDER (mm/Kconfig); 0 means MAX_PAGE_ORDER"),
                Since: "6.16"),
            InputFormats.Int, o => o.PageBlockMaxOrder, (o, v) => o.PageBlockMaxOrder = v, s => s.PageBlockMaxOrder),
        new InputDescriptor<int>(
            new("PageblockOrder", "pageblock_order", ModelSet.All, "one PMD of pages, at most MaxPageOrder (9 with 4 KiB pages)", None,
                Range: Fixed("PageblockOrder", 0, 20, "pageblock_order runs from 0 to 20")),
            InputFormats.Int, o => o.PageblockOrder, (o, v) => o.PageblockOrder = v, s => s.PageblockOrder),
        new InputDescriptor<bool>(
            new("MemoryIsolation", "CONFIG_MEMORY_ISOLATION", ModelSet.All, "true", new[] { "MEMORY_ISOLATION" }),
            InputFormats.Bool, o => o.MemoryIsolation, (o, v) => o.MemoryIsolation = v, s => s.MemoryIsolation),
        new InputDescriptor<int>(
            new("StructPageSize", "sizeof(struct page)", ModelSet.All, "64", None,
                Range: Fixed("StructPageSize", 8, 4096, "sizeof(struct page) is between 8 and 4096 bytes"),
                OnAttribute: false),
            InputFormats.Int, null, null, s => s.StructPageSize),
    };

    private static readonly Dictionary<string, int> IndexByName = Index();

    /// <summary>The row named <paramref name="name"/>, or null.</summary>
    public static InputDescriptor? Find(string name) => IndexByName.TryGetValue(name, out int i) ? All[i] : null;

    /// <summary>The row's position in <see cref="All"/>, or <see cref="int.MaxValue"/> for a name that is not an input.</summary>
    public static int IndexOf(string name) => IndexByName.TryGetValue(name, out int i) ? i : int.MaxValue;

    private static Dictionary<string, int> Index()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < All.Count; i++)
        {
            index.Add(All[i].Name, i);
        }

        return index;
    }

    // A range that does not depend on the word size: one instance, returned for every model.
    private static Func<int, InputRange?> Fixed(string name, long min, long max, string why, params long[] allowed)
    {
        var range = new InputRange(name, min, max, allowed.Length == 0 ? null : allowed, why);
        return _ => range;
    }

    private static string[] Concat(string[] first, string[] second)
    {
        var all = new string[first.Length + second.Length];
        first.CopyTo(all, 0);
        second.CopyTo(all, first.Length);
        return all;
    }
}
