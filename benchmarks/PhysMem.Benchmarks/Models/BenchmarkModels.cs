namespace PhysMem.Benchmarks.Models;

// The models the benchmarks compare, one per memory model the generator supports, and
// DISCONTIGMEM with two and with eight nodes. All are x86-64 shaped: 4 KiB pages, 128 MiB
// sections, 46-bit physical addresses, 64 nodes (NODES_SHIFT = 6) so that page_to_nid reads a real
// field. The SPARSEMEM and FLATMEM models run over BenchmarkMemory.Map; a DISCONTIGMEM model's
// memory is its [MemoryBank]s (its node lookup is compiled from them), so it has its own map and
// streams.

/// <summary>FLATMEM: one <c>mem_map</c> from pfn 0 to the end of memory.</summary>
[MemoryModel(Model.Flat, NodesShift = 6)]
public partial class FlatModel
{
}

/// <summary>Classic SPARSEMEM with the static section table (<c>mem_section[NR_MEM_SECTIONS]</c>).</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6)]
public partial class ClassicStaticModel
{
}

/// <summary>Classic SPARSEMEM with SPARSEMEM_EXTREME (roots allocated on demand).</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Extreme = true)]
public partial class ClassicExtremeModel
{
}

/// <summary>SPARSEMEM_VMEMMAP with SPARSEMEM_EXTREME: what an x86-64 distribution kernel builds.</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, Extreme = true)]
public partial class VmemmapModel
{
}

/// <summary>Classic SPARSEMEM (static table) with deferred struct page init: time-to-usable.</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, DeferredStructPageInit = true)]
public partial class ClassicStaticDeferredModel
{
}

/// <summary>Classic SPARSEMEM_EXTREME with deferred struct page init: time-to-usable.</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Extreme = true, DeferredStructPageInit = true)]
public partial class ClassicExtremeDeferredModel
{
}

/// <summary>SPARSEMEM_VMEMMAP (EXTREME) with deferred struct page init: time-to-usable.</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, Extreme = true, DeferredStructPageInit = true)]
public partial class VmemmapDeferredModel
{
}

/// <summary>
/// arm64 with 4 KiB pages (SPARSEMEM_VMEMMAP, EXTREME) built without ZONE_DMA and ZONE_DMA32, which
/// arm64 allows (mm/Kconfig: both are optional where the architecture selects ARCH_HAS_ZONE_DMA_SET):
/// all memory is ZONE_NORMAL, so deferred init keeps no lower zone up front.
/// </summary>
[MemoryModel(Arch.Arm64_4K, Zones = Zones.Normal | Zones.Movable)]
public partial class Arm64NormalOnlyModel
{
}

/// <summary>The same arm64 model with deferred struct page init: one section per node up front, as the kernel's defer_init keeps it.</summary>
[MemoryModel(Arch.Arm64_4K, Zones = Zones.Normal | Zones.Movable, DeferredStructPageInit = true)]
public partial class Arm64NormalOnlyDeferredModel
{
}

/// <summary>
/// DISCONTIGMEM, two nodes of 8 GiB with a 7 GiB hole between them: node 0 is a PC's low memory,
/// memory up to the 32-bit PCI hole and 5 GiB above 4 GiB; node 1 is 16-24 GiB.
/// </summary>
[MemoryModel(Model.Discontig, NodesShift = 6)]
[MemoryBank(0x1000, 0x9_E000)]
[MemoryBank(0x10_0000, 0xBFF0_0000)]
[MemoryBank(0x1_0000_0000, 0x1_4000_0000)]
[MemoryBank(0x4_0000_0000, 0x2_0000_0000, Node = 1)]
public partial class DiscontigTwoNodeModel
{
}

/// <summary>
/// DISCONTIGMEM, eight nodes of 1 to 4 GiB (16 GiB in all): nodes 0-3 back to back from pfn 0
/// (node 0 with the PC's holes below 4 GiB), a 2 GiB hole, nodes 4-7 back to back from 12 GiB.
/// </summary>
[MemoryModel(Model.Discontig, NodesShift = 6)]
[MemoryBank(0x1000, 0x9_E000)]
[MemoryBank(0x10_0000, 0xBFF0_0000)]
[MemoryBank(0x1_0000_0000, 0x4000_0000)]
[MemoryBank(0x1_4000_0000, 0x8000_0000, Node = 1)]
[MemoryBank(0x1_C000_0000, 0x4000_0000, Node = 2)]
[MemoryBank(0x2_0000_0000, 0x8000_0000, Node = 3)]
[MemoryBank(0x3_0000_0000, 0x4000_0000, Node = 4)]
[MemoryBank(0x3_4000_0000, 0x8000_0000, Node = 5)]
[MemoryBank(0x3_C000_0000, 0x4000_0000, Node = 6)]
[MemoryBank(0x4_0000_0000, 0xC000_0000, Node = 7)]
public partial class DiscontigEightNodeModel
{
}
