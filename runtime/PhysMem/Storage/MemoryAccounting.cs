namespace PhysMem;

/// <summary>
/// What one storage holds at a moment (<see cref="SparseMemory{TPage}.GetAccounting"/>), in host bytes.
/// </summary>
/// <remarks>
/// Memory given up by a hot-remove is not returned at once: it waits for the grace period (every
/// read section that could still see it has ended, see <see cref="ReadSection"/>). Until then it is
/// counted in <see cref="MemmapBytes"/> and <see cref="PendingMemmapBytes"/>, and its usage block in
/// <see cref="CachedUsageBytes"/>. <see cref="SparseMemory{TPage}.Synchronize()"/> waits for the grace period
/// and reclaims it.
/// </remarks>
/// <param name="ReservedBytes">Virtual address space reserved: the vmemmap (SPARSEMEM_VMEMMAP) and the static section table (without EXTREME).</param>
/// <param name="MemmapBytes">Memmap memory committed in host RAM: the vmemmap's committed pages, or the classic per-section memmap blocks; includes the host part of <see cref="PendingMemmapBytes"/>. Memmap that lives in the memory it describes is in <see cref="SelfHostedMemmapBytes"/> instead.</param>
/// <param name="PendingMemmapBytes">Memmap removed from the tables and waiting for the grace period before it is decommitted or freed (host or self-hosted).</param>
/// <param name="SectionTableBytes">The section table: the committed static table, or (EXTREME) the root-pointer array plus the roots; includes <see cref="RootBytes"/>.</param>
/// <param name="RootBytes">The EXTREME roots allocated on demand (<c>sparse_index_init</c>); never freed before the storage is, as in the kernel. 0 without EXTREME.</param>
/// <param name="AllocatedRoots">How many EXTREME roots are allocated.</param>
/// <param name="UsageBytes">Usage blocks (subsection map and pageblock flags): the boot buffers and every block hot-add allocated, attached or cached.</param>
/// <param name="CachedUsageBytes">Of <see cref="UsageBytes"/>, the blocks no section uses: released by hot-remove and kept for the next hot-add, so that a lock-free reader holding a stale pointer still reads memory that exists.</param>
/// <param name="HeapBytes">Every unmanaged heap block of this storage (roots, root array, usage blocks, classic memmaps).</param>
/// <param name="HeapAllocations">How many heap blocks those are.</param>
/// <param name="PresentSections">Sections marked present.</param>
/// <param name="OnlineSections">Present sections marked online.</param>
public sealed record MemoryAccounting(
    ulong ReservedBytes,
    ulong MemmapBytes,
    ulong PendingMemmapBytes,
    ulong SectionTableBytes,
    ulong RootBytes,
    int AllocatedRoots,
    ulong UsageBytes,
    ulong CachedUsageBytes,
    ulong HeapBytes,
    int HeapAllocations,
    int PresentSections,
    int OnlineSections)
{
    /// <summary>
    /// Vmemmap committed for memmaps that live in the memory they describe (a <see cref="VmemAltmap"/>:
    /// <c>ZONE_DEVICE</c> memory added with an altmap, or hot-added memory with <c>memmap_on_memory</c>),
    /// including such memmap waiting for its grace period. Not part of <see cref="MemmapBytes"/>: the
    /// kernel takes these pages from the range itself, not from RAM. A simulator has no device memory,
    /// so this process commits them all the same (see <see cref="SparseMemory{TPage}.SelfHostedMemmapBytes"/>).
    /// </summary>
    public ulong SelfHostedMemmapBytes { get; init; }
}
