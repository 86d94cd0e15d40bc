namespace PhysMem.Benchmarks.GenericMath;

/// <summary>
/// A memory model's layout as static abstract members of a struct: the "generic math" way to get
/// constants into one shared implementation. <see cref="GenericMathModel{TConfig}"/> is written
/// once against this interface; for each struct that implements it the JIT compiles a separate
/// copy of every method, in which these members are constants and the branches on
/// <see cref="IsFlat"/>, <see cref="IsVmemmap"/> and <see cref="IsExtreme"/> fold away.
/// </summary>
public interface IModelConfig
{
    /// <summary>FLATMEM (otherwise SPARSEMEM).</summary>
    static abstract bool IsFlat { get; }

    /// <summary>CONFIG_SPARSEMEM_VMEMMAP.</summary>
    static abstract bool IsVmemmap { get; }

    /// <summary>CONFIG_SPARSEMEM_EXTREME.</summary>
    static abstract bool IsExtreme { get; }

    /// <summary>PAGE_SHIFT.</summary>
    static abstract int PageShift { get; }

    /// <summary>ARCH_PFN_OFFSET (FLATMEM).</summary>
    static abstract ulong ArchPfnOffset { get; }

    /// <summary>PFN_SECTION_SHIFT.</summary>
    static abstract int PfnSectionShift { get; }

    /// <summary>NR_MEM_SECTIONS.</summary>
    static abstract ulong NrMemSections { get; }

    /// <summary>SECTIONS_PER_ROOT.</summary>
    static abstract ulong SectionsPerRoot { get; }

    /// <summary>NR_SECTION_ROOTS.</summary>
    static abstract ulong NrSectionRoots { get; }

    /// <summary>PAGE_SECTION_MASK.</summary>
    static abstract ulong PageSectionMask { get; }

    /// <summary>PFN_SUBSECTION_SHIFT.</summary>
    static abstract int PfnSubsectionShift { get; }

    /// <summary>SECTION_MAP_MASK at the host's word width.</summary>
    static abstract ulong HostSectionMapMask { get; }

    /// <summary>SECTIONS_PGSHIFT.</summary>
    static abstract int SectionsPgshift { get; }

    /// <summary>SECTIONS_MASK.</summary>
    static abstract ulong SectionsMask { get; }

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
}
