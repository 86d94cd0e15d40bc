using System;

namespace PhysMem.Benchmarks.GenericMath;

/// <summary>
/// A memory model's layout as static abstract members of a struct: the "generic math" way to get
/// constants into one shared implementation. <see cref="GenericMathModel{TConfig}"/> is written
/// once against this interface; for each struct that implements it the JIT compiles a separate
/// copy of every method, in which these members are constants and the branches on
/// <see cref="IsFlat"/>, <see cref="IsDiscontig"/>, <see cref="IsVmemmap"/> and <see cref="IsExtreme"/> fold away.
/// </summary>
/// <remarks>
/// DISCONTIGMEM adds the node lookup: the node spans and the memory banks as constant tables
/// (<see cref="NodeStarts"/>...), which the one implementation searches. Members that only some
/// models have are <c>static virtual</c> with a neutral default, so a config names what its model has.
/// </remarks>
public interface IModelConfig
{
    /// <summary>FLATMEM (otherwise SPARSEMEM).</summary>
    static virtual bool IsFlat => false;

    /// <summary>CONFIG_SPARSEMEM_VMEMMAP.</summary>
    static virtual bool IsVmemmap => false;

    /// <summary>CONFIG_SPARSEMEM_EXTREME.</summary>
    static virtual bool IsExtreme => false;

    /// <summary>PAGE_SHIFT.</summary>
    static abstract int PageShift { get; }

    /// <summary>ARCH_PFN_OFFSET (FLATMEM).</summary>
    static virtual ulong ArchPfnOffset => 0;

    /// <summary>PFN_SECTION_SHIFT.</summary>
    static virtual int PfnSectionShift => 0;

    /// <summary>NR_MEM_SECTIONS.</summary>
    static virtual ulong NrMemSections => 0;

    /// <summary>SECTIONS_PER_ROOT.</summary>
    static virtual ulong SectionsPerRoot => 1;

    /// <summary>NR_SECTION_ROOTS.</summary>
    static virtual ulong NrSectionRoots => 0;

    /// <summary>PAGE_SECTION_MASK.</summary>
    static virtual ulong PageSectionMask => 0;

    /// <summary>PFN_SUBSECTION_SHIFT.</summary>
    static virtual int PfnSubsectionShift => 0;

    /// <summary>SECTION_MAP_MASK at the host's word width.</summary>
    static virtual ulong HostSectionMapMask => 0;

    /// <summary>SECTIONS_PGSHIFT.</summary>
    static virtual int SectionsPgshift => 0;

    /// <summary>SECTIONS_MASK.</summary>
    static virtual ulong SectionsMask => 0;

    /// <summary>NODES_PGSHIFT.</summary>
    static abstract int NodesPgshift { get; }

    /// <summary>NODES_MASK.</summary>
    static abstract ulong NodesMask { get; }

    /// <summary>ZONES_PGSHIFT.</summary>
    static abstract int ZonesPgshift { get; }

    /// <summary>ZONES_MASK.</summary>
    static abstract ulong ZonesMask { get; }

    /// <summary>NODE_NOT_IN_PAGE_FLAGS.</summary>
    static abstract bool NodeNotInPageFlags { get; }

    /// <summary>DISCONTIGMEM.</summary>
    static virtual bool IsDiscontig => false;

    /// <summary>DISCONTIGMEM: <c>node_start_pfn</c> of node <c>i</c>, ascending (node <c>i</c> is entry <c>i</c>).</summary>
    static virtual ReadOnlySpan<ulong> NodeStarts => [];

    /// <summary>DISCONTIGMEM: the pfn after node <c>i</c>'s span.</summary>
    static virtual ReadOnlySpan<ulong> NodeEnds => [];

    /// <summary>DISCONTIGMEM: the first pfn of each memory bank, ascending.</summary>
    static virtual ReadOnlySpan<ulong> BankStarts => [];

    /// <summary>DISCONTIGMEM: the pfn after each memory bank.</summary>
    static virtual ReadOnlySpan<ulong> BankEnds => [];
}
