using System;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// How much memmap a range can host itself, from the layout alone: the kernel's rules for
/// <c>memmap_on_memory</c> (mm/memory_hotplug.c) and the memmap a <c>ZONE_DEVICE</c> range takes from
/// its altmap. <see cref="SparseMemory{TPage}"/> applies them when memory is added; <c>physmem map</c>
/// prints them for a map.
/// </summary>
public static class SelfHostedMemmap
{
    /// <summary>
    /// <c>memory_block_memmap_on_memory_pages</c>: the pages at the start of a memory block that hold
    /// its memmap, <c>PFN_UP(block pages × sizeof(struct page))</c>.
    /// </summary>
    /// <param name="layout">The layout (its <c>PAGE_SHIFT</c>).</param>
    /// <param name="structPageSize">Bytes of one page descriptor.</param>
    /// <param name="blockPages">Pages in a memory block.</param>
    /// <returns>The pages.</returns>
    public static ulong MemmapOnMemoryPages(MemoryLayout layout, ulong structPageSize, ulong blockPages)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ulong pageSize = 1UL << layout.PageShift;
        return (blockPages * structPageSize + pageSize - 1) / pageSize;
    }

    /// <summary>
    /// <c>mhp_supports_memmap_on_memory</c> with the generic <c>arch_supports_memmap_on_memory</c>, in
    /// the kernel's order: null when a memory block may host its memmap, otherwise the condition that
    /// fails, with the values.
    /// </summary>
    /// <param name="layout">The layout.</param>
    /// <param name="structPageSize">Bytes of one page descriptor.</param>
    /// <param name="blockPages">Pages in a memory block.</param>
    /// <returns>Null, or why not.</returns>
    public static string? MemmapOnMemoryProblem(MemoryLayout layout, ulong structPageSize, ulong blockPages)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!layout.IsVmemmap)
        {
            return "memmap_on_memory needs SPARSEMEM_VMEMMAP (CONFIG_MHP_MEMMAP_ON_MEMORY depends on it); this layout is " + layout.Describe() + ".";
        }

        ulong pageSize = 1UL << layout.PageShift;
        ulong vmemmapSize = blockPages * structPageSize;
        ulong memmapPages = MemmapOnMemoryPages(layout, structPageSize, blockPages);
        ulong pageblock = layout.PageblockNrPages;
        string block = "a memory block of " + N(blockPages) + " pages has " + N(vmemmapSize) + " bytes of memmap (" + N(structPageSize) + "-byte pages)";
        if (vmemmapSize % pageSize != 0)
        {
            return "memmap_on_memory needs the memmap of a memory block to fill whole pages: " + block + ", not a multiple of PAGE_SIZE = " + N(pageSize) + ".";
        }

        if (memmapPages % pageblock != 0)
        {
            return "memmap_on_memory needs the memmap to fill whole pageblocks, so that the rest of the block starts on one: " + block + ", " + N(memmapPages)
                + " pages, not a multiple of pageblock_nr_pages = " + N(pageblock) + ".";
        }

        if (memmapPages == blockPages)
        {
            return "memmap_on_memory would leave no usable memory: " + block + ", the whole block.";
        }

        // The generic arch_supports_memmap_on_memory: the memmap spans whole PMDs, so that populating
        // it never takes altmap pages for another block's memmap.
        ulong pmd = PmdSize(layout);
        return vmemmapSize % pmd != 0
            ? "memmap_on_memory needs the memmap of a memory block to span whole PMDs: " + block + ", not a multiple of PMD_SIZE = " + N(pmd) + "."
            : null;
    }

    /// <summary>
    /// The pages a <c>ZONE_DEVICE</c> range of whole sections gives its altmap for its memmap:
    /// <c>nrPages × sizeof(struct page)</c> in pages (the <c>alloc</c> of its <see cref="VmemAltmap"/>;
    /// a reserve before it may add alignment, <see cref="VmemAltmap.Align"/>).
    /// </summary>
    /// <param name="layout">The layout (its <c>PAGE_SHIFT</c>).</param>
    /// <param name="structPageSize">Bytes of one page descriptor.</param>
    /// <param name="nrPages">Pages in the range.</param>
    /// <returns>The pages.</returns>
    public static ulong DeviceMemmapPages(MemoryLayout layout, ulong structPageSize, ulong nrPages) => MemmapOnMemoryPages(layout, structPageSize, nrPages);

    // PMD_SIZE with 8-byte page-table entries: PAGE_SIZE × PAGE_SIZE / 8 (2 MiB for 4 KiB pages).
    internal static ulong PmdSize(MemoryLayout layout) => 1UL << (2 * layout.PageShift - 3);

    private static string N(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
