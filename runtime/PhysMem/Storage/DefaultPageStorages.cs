namespace PhysMem;

/// <summary>
/// <see cref="SparseMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: the SPARSEMEM
/// storage (section table, memmaps, usage maps) for a layout known at run time.
/// </summary>
public sealed class SparseMemory : SparseMemory<Page>
{
    /// <inheritdoc cref="SparseMemory{TPage}.SparseMemory(MemoryLayout, MemoryMap)"/>
    public SparseMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <inheritdoc cref="SparseMemory{TPage}.SparseMemory(MemoryLayout, MemoryMap, ZoneRule?)"/>
    public SparseMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }

    /// <inheritdoc cref="SparseMemory{TPage}.SparseMemory(MemoryLayout, MemoryMap, ZoneRule?, StorageLimits?)"/>
    public SparseMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, limits)
    {
    }
}

/// <summary>
/// <see cref="FlatMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: one <c>mem_map</c>
/// for a FLATMEM layout known at run time.
/// </summary>
public sealed class FlatMemory : FlatMemory<Page>
{
    /// <inheritdoc cref="FlatMemory{TPage}.FlatMemory(MemoryLayout, MemoryMap)"/>
    public FlatMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <inheritdoc cref="FlatMemory{TPage}.FlatMemory(MemoryLayout, MemoryMap, ZoneRule?)"/>
    public FlatMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }

    /// <inheritdoc cref="FlatMemory{TPage}.FlatMemory(MemoryLayout, MemoryMap, ZoneRule?, StorageLimits?)"/>
    public FlatMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, limits)
    {
    }
}

/// <summary>
/// <see cref="DiscontigMemory{TPage}"/> over the default 64-byte <see cref="Page"/>: one
/// <c>node_mem_map</c> per node for a DISCONTIGMEM layout known at run time.
/// </summary>
public sealed class DiscontigMemory : DiscontigMemory<Page>
{
    /// <inheritdoc cref="DiscontigMemory{TPage}.DiscontigMemory(MemoryLayout, MemoryMap)"/>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map)
        : base(layout, map, null)
    {
    }

    /// <inheritdoc cref="DiscontigMemory{TPage}.DiscontigMemory(MemoryLayout, MemoryMap, ZoneRule?)"/>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : base(layout, map, zoneRule)
    {
    }

    /// <inheritdoc cref="DiscontigMemory{TPage}.DiscontigMemory(MemoryLayout, MemoryMap, ZoneRule?, StorageLimits?)"/>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, limits)
    {
    }
}
