using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// Every input of a memory model's arithmetic, fully resolved (no "unset" values): what the kernel
/// knows from its <c>.config</c> and its architecture headers when it is compiled.
/// </summary>
/// <remarks>
/// A value-equatable record: the source generator caches on it, and the runtime builds the same
/// <see cref="MemoryLayout"/> from it with <see cref="MemoryLayout.Create(LayoutSpec)"/>.
/// The defaults are x86-64's sizes with every option off (see <see cref="LayoutDefaults"/>).
/// </remarks>
public sealed record LayoutSpec
{
    /// <summary>The memory model (<c>CONFIG_FLATMEM</c>, <c>CONFIG_DISCONTIGMEM</c>, <c>CONFIG_SPARSEMEM</c>).</summary>
    public Model Model { get; init; } = Model.Sparse;

    /// <summary><c>PAGE_SHIFT</c>: log2 of the page size.</summary>
    public int PageShift { get; init; } = LayoutDefaults.PageShift;

    /// <summary><c>BITS_PER_LONG</c>: 32 or 64; the width of <c>page-&gt;flags</c>.</summary>
    public int BitsPerLong { get; init; } = LayoutDefaults.BitsPerLong;

    /// <summary><c>SECTION_SIZE_BITS</c> (SPARSEMEM): log2 of the section size in bytes.</summary>
    public int SectionSizeBits { get; init; } = LayoutDefaults.SectionSizeBits;

    /// <summary><c>MAX_PHYSMEM_BITS</c> (SPARSEMEM): log2 of the highest physical address the model describes.</summary>
    public int MaxPhysmemBits { get; init; } = LayoutDefaults.MaxPhysmemBits;

    /// <summary><c>CONFIG_SPARSEMEM_VMEMMAP</c>: one virtually contiguous memmap.</summary>
    public bool Vmemmap { get; init; }

    /// <summary><c>CONFIG_SPARSEMEM_EXTREME</c>: a two-level section table whose roots are allocated on demand.</summary>
    public bool Extreme { get; init; }

    /// <summary>
    /// <c>CONFIG_SPARSEMEM_VMEMMAP_PREINIT</c> (6.15+, with <see cref="Vmemmap"/>): adds the
    /// <c>SECTION_IS_VMEMMAP_PREINIT</c> bit to <c>section_mem_map</c>'s flags, which moves
    /// <c>SECTION_MAP_LAST_BIT</c> and <c>SECTION_MAP_MASK</c> up by one.
    /// </summary>
    public bool VmemmapPreinit { get; init; }

    /// <summary>
    /// <c>CONFIG_DEFERRED_STRUCT_PAGE_INIT</c> (64-bit SPARSEMEM): the storage initializes each node's
    /// pages up to its <c>first_deferred_pfn</c> while it is built and the rest on worker threads
    /// afterwards (<c>SparseMemory.WaitForDeferredInit</c>, <c>SparseMemory.PageInitialized</c>). It
    /// changes no arithmetic of the layout.
    /// </summary>
    public bool DeferredStructPageInit { get; init; }

    /// <summary><c>ARCH_PFN_OFFSET</c> (FLATMEM): the first pfn that <c>mem_map</c> describes.</summary>
    public ulong ArchPfnOffset { get; init; }

    /// <summary><c>CONFIG_ARCH_HAS_HOLES_MEMORYMODEL</c> (FLATMEM): parts of <c>mem_map</c> over holes are released and <c>pfn_valid</c> knows the holes.</summary>
    public bool HolesInMemmap { get; init; }

    /// <summary><c>CONFIG_NODES_SHIFT</c>: log2 of <c>MAX_NUMNODES</c>; 0 without NUMA.</summary>
    public int NodesShift { get; init; }

    /// <summary>The zones configured (<c>enum zone_type</c>); their count is <c>MAX_NR_ZONES</c>.</summary>
    public Zones Zones { get; init; } = LayoutDefaults.Zones64;

    /// <summary><c>NR_PAGEFLAGS</c>: the number of page-flag bits at the bottom of <c>page-&gt;flags</c>.</summary>
    public int NrPageflags { get; init; } = LayoutDefaults.NrPageflags64;

    /// <summary><c>CONFIG_NUMA_BALANCING</c>: keep the last cpu and pid that touched a page.</summary>
    public bool NumaBalancing { get; init; }

    /// <summary><c>NR_CPUS_BITS</c> (kernel/bounds.c): bits of the cpu number in last_cpupid.</summary>
    public int NrCpusBits { get; init; }

    /// <summary><c>KASAN_TAG_WIDTH</c>: 0, 4 (hardware tags) or 8 (software tags).</summary>
    public int KasanTagWidth { get; init; }

    /// <summary><c>CONFIG_LRU_GEN</c>: the multi-generational LRU keeps a generation and reference bits in the flags.</summary>
    public bool LruGen { get; init; }

    /// <summary><c>CONFIG_PAGE_EXTENSION</c>: <c>struct mem_section</c> grows by two words.</summary>
    public bool PageExtension { get; init; }

    /// <summary><c>MAX_PAGE_ORDER</c>: the largest order the buddy allocator hands out.</summary>
    public int MaxPageOrder { get; init; } = LayoutDefaults.MaxPageOrder;

    /// <summary>
    /// <c>CONFIG_PAGE_BLOCK_MAX_ORDER</c> (6.17+; <c>CONFIG_PAGE_BLOCK_ORDER</c> in 6.16): the upper
    /// limit of <c>pageblock_order</c>, 1 to <see cref="MaxPageOrder"/>. 0 means the configuration
    /// does not set it, so <c>PAGE_BLOCK_MAX_ORDER</c> is <c>MAX_PAGE_ORDER</c> (include/linux/mmzone.h),
    /// as in every kernel before 6.16.
    /// </summary>
    public int PageBlockMaxOrder { get; init; }

    /// <summary><c>pageblock_order</c>: log2 of the pages in one pageblock.</summary>
    public int PageblockOrder { get; init; } = LayoutDefaults.PageblockOrder;

    /// <summary><c>CONFIG_MEMORY_ISOLATION</c>: adds the isolate bit, so <c>NR_PAGEBLOCK_BITS</c> is 8 rather than 4.</summary>
    public bool MemoryIsolation { get; init; } = true;

    /// <summary><c>sizeof(struct page)</c> in bytes: the stride of every memmap.</summary>
    public int StructPageSize { get; init; } = LayoutDefaults.StructPageSize;

    /// <summary>
    /// <c>MAX_NR_ZONES</c> given as a number rather than a zone list; 0 means "the number of
    /// <see cref="Zones"/>". Only the count matters to the layout arithmetic.
    /// </summary>
    public int MaxNrZones { get; init; }

    /// <summary>
    /// Every input of the spec, in <see cref="InputTable"/>'s order, with its value as text and as a
    /// C# expression: the list the generated header and <c>physmem emit</c>'s attribute are written from.
    /// </summary>
    /// <returns>The inputs.</returns>
    internal IReadOnlyList<LayoutInput> Inputs()
    {
        var inputs = new List<LayoutInput>(InputTable.All.Count);
        foreach (var input in InputTable.All)
        {
            if (input.OnSpec)
            {
                inputs.Add(new LayoutInput(input.Name, input.Text(this), input.CSharp(this), input.Applies(this), input.OnAttribute));
            }
        }

        return inputs;
    }

    /// <summary><c>CONFIG_ZONE_DEVICE</c>: true when <see cref="Zones"/> holds <see cref="PhysMem.Zones.Device"/>.</summary>
    public bool ZoneDevice => (Zones & Zones.Device) != 0;
}

/// <summary>One input of a <see cref="LayoutSpec"/>: its name, its value as text and as C#, and whether the model uses it.</summary>
/// <param name="Name">The input's name, as the attribute spells it.</param>
/// <param name="Text">The value as people read it.</param>
/// <param name="CSharp">The value as a C# expression (fully qualified).</param>
/// <param name="Applies">Whether the model uses it (section inputs only for SPARSEMEM, ARCH_PFN_OFFSET only for FLATMEM, ...).</param>
/// <param name="OnAttribute">Whether <c>[MemoryModel]</c> has a property for it.</param>
internal sealed record LayoutInput(string Name, string Text, string CSharp, bool Applies, bool OnAttribute = true);
