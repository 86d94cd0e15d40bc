namespace PhysMem.Benchmarks.Models;

// The four models the benchmarks compare, one per memory model the generator supports
// (DISCONTIGMEM is not implemented yet). All are x86-64 shaped: 4 KiB pages, 128 MiB sections,
// 46-bit physical addresses, 64 nodes (NODES_SHIFT = 6) so that page_to_nid reads a real field.

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
