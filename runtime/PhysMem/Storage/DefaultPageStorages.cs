namespace PhysMem;

/// <summary>
/// <see cref="SparseMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: the SPARSEMEM
/// storage (section table, memmaps, usage maps) for a layout known at run time.
/// </summary>
public sealed class SparseMemory : SparseMemory<Page>
{
    /// <summary>Builds the storage for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <exception cref="System.ArgumentException">The layout is not SPARSEMEM, or a range's node is beyond <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for the vmemmap or the section table could not be reserved or committed.</exception>
    public SparseMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <summary>Builds the storage for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="System.ArgumentException">The layout is not SPARSEMEM, or a range's node is beyond <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for the vmemmap or the section table could not be reserved or committed.</exception>
    public SparseMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }
}

/// <summary>
/// <see cref="FlatMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: one <c>mem_map</c>
/// for a FLATMEM layout known at run time.
/// </summary>
public sealed class FlatMemory : FlatMemory<Page>
{
    /// <summary>Builds <c>mem_map</c> for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A FLATMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <exception cref="System.ArgumentException">The layout is not FLATMEM, the map has no whole page, a range lies below <c>ARCH_PFN_OFFSET</c>, or a node is beyond <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for <c>mem_map</c> could not be reserved.</exception>
    public FlatMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <summary>Builds <c>mem_map</c> for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A FLATMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="System.ArgumentException">The layout is not FLATMEM, the map has no whole page, a range lies below <c>ARCH_PFN_OFFSET</c>, or a node is beyond <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for <c>mem_map</c> could not be reserved.</exception>
    public FlatMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }
}

/// <summary>
/// <see cref="DiscontigMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: one
/// <c>node_mem_map</c> per node for a DISCONTIGMEM layout known at run time.
/// </summary>
public sealed class DiscontigMemory : DiscontigMemory<Page>
{
    /// <summary>Builds one memmap per node for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A DISCONTIGMEM layout.</param>
    /// <param name="map">The physical memory; each range's node says which node it belongs to.</param>
    /// <exception cref="System.ArgumentException">The layout is not DISCONTIGMEM, a node is beyond <c>MAX_NUMNODES</c>, or two nodes' spans overlap.</exception>
    /// <exception cref="VirtualMemoryException">Address space for a node's memmap could not be reserved.</exception>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <summary>Builds one memmap per node for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A DISCONTIGMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="System.ArgumentException">The layout is not DISCONTIGMEM, the map is empty, a node is beyond <c>MAX_NUMNODES</c>, or two nodes' spans overlap.</exception>
    /// <exception cref="VirtualMemoryException">Address space for a node's memmap could not be reserved.</exception>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }
}
