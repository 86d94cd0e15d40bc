namespace PhysMem;

/// <summary>
/// The physical memory models of the Linux kernel, as selected by Kconfig
/// (<c>CONFIG_FLATMEM</c>, <c>CONFIG_DISCONTIGMEM</c>, <c>CONFIG_SPARSEMEM</c>).
/// </summary>
/// <remarks>
/// The SPARSEMEM variants (<c>SPARSEMEM_EXTREME</c>, <c>SPARSEMEM_VMEMMAP</c>) are options of
/// <see cref="Sparse"/>: see <c>MemoryModelAttribute.Extreme</c> and <c>MemoryModelAttribute.Vmemmap</c>.
/// </remarks>
public enum Model
{
    /// <summary>One <c>mem_map</c> array covering every pfn from <c>ARCH_PFN_OFFSET</c> up (<c>CONFIG_FLATMEM</c>).</summary>
    Flat = 0,

    /// <summary>One <c>node_mem_map</c> per node (<c>CONFIG_DISCONTIGMEM</c>, removed from the kernel in 5.14).</summary>
    Discontig = 1,

    /// <summary>Memory described in sections (<c>CONFIG_SPARSEMEM</c>), optionally with a virtual memmap.</summary>
    Sparse = 2,
}

/// <summary>
/// The zones of <c>enum zone_type</c> (include/linux/mmzone.h), as a set: a zone's index is its
/// position after the disabled entries are removed, exactly as the kernel numbers them.
/// </summary>
[System.Flags]
public enum Zones
{
    /// <summary>No zone given: the default set for the word size is used.</summary>
    None = 0,

    /// <summary><c>ZONE_DMA</c> (<c>CONFIG_ZONE_DMA</c>).</summary>
    Dma = 1 << 0,

    /// <summary><c>ZONE_DMA32</c> (<c>CONFIG_ZONE_DMA32</c>, 64-bit only).</summary>
    Dma32 = 1 << 1,

    /// <summary><c>ZONE_NORMAL</c>: always present in the kernel.</summary>
    Normal = 1 << 2,

    /// <summary><c>ZONE_HIGHMEM</c> (<c>CONFIG_HIGHMEM</c>, 32-bit only).</summary>
    HighMem = 1 << 3,

    /// <summary><c>ZONE_MOVABLE</c>: always present in the kernel.</summary>
    Movable = 1 << 4,

    /// <summary><c>ZONE_DEVICE</c> (<c>CONFIG_ZONE_DEVICE</c>).</summary>
    Device = 1 << 5,
}
