namespace PhysMem;

/// <summary>
/// A memmap that lives in the memory it describes: the kernel's <c>struct vmem_altmap</c>
/// (include/linux/memremap.h) as it stands after the range was added, one per
/// <see cref="SparseMemory{TPage}.AddDeviceMemory(ulong, ulong, int, ulong, ulong)"/> range and one
/// per memory block of <see cref="SparseMemory{TPage}.AddMemory(ulong, ulong, int, bool)"/> with
/// <c>memmapOnMemory</c>.
/// </summary>
/// <remarks>
/// <para>The range starts with <see cref="Reserve"/> pfns its owner keeps for itself (an nvdimm's
/// info block), then <see cref="Free"/> pfns the memmap may be taken from. <c>altmap_alloc_block_buf</c>
/// (mm/sparse-vmemmap.c) hands out the memmap from there in blocks aligned to their own size
/// (a PMD's worth for a whole section, one page otherwise): <see cref="Alloc"/> pfns hold struct pages,
/// <see cref="Align"/> pfns were skipped to align them. The first pfn the owner may use is
/// <see cref="FirstUsablePfn"/>, past the whole reservation (mm/memremap.c <c>pfn_first</c>,
/// <c>vmem_altmap_offset</c>), whatever part of <see cref="Free"/> the memmap used.</para>
/// <para>Removing the range gives the pfns back with it; the kernel warns when <c>alloc</c> is
/// not 0 by then (<c>altmap_free</c>), which cannot happen here: the storage forgets the altmap
/// with the range.</para>
/// </remarks>
/// <param name="BasePfn">The first pfn of the range (<c>base_pfn</c>).</param>
/// <param name="EndPfn">The last pfn of the range, inclusive, as the kernel's <c>end_pfn</c>.</param>
/// <param name="Reserve">Pfns at the start kept by the owner, not used for the memmap (<c>reserve</c>).</param>
/// <param name="Free">Pfns after <paramref name="Reserve"/> the memmap may use (<c>free</c>).</param>
/// <param name="Alloc">Pfns that hold the range's memmap (<c>alloc</c>).</param>
/// <param name="Align">Pfns skipped to align the memmap blocks (<c>align</c>).</param>
/// <param name="MemmapOnMemory">True for hot-added RAM that hosts its own memmap (<c>memmap_on_memory</c>); false for <c>ZONE_DEVICE</c> memory.</param>
public sealed record VmemAltmap(ulong BasePfn, ulong EndPfn, ulong Reserve, ulong Free, ulong Alloc, ulong Align, bool MemmapOnMemory)
{
    /// <summary><c>vmem_altmap_offset</c>: pfns from <see cref="BasePfn"/> before the first usable one (<c>reserve + free</c>).</summary>
    public ulong Offset => Reserve + Free;

    /// <summary><c>pfn_first</c>: the first pfn the owner may use, past the reservation and the memmap.</summary>
    public ulong FirstUsablePfn => BasePfn + Offset;

    /// <summary>Pages in the range: <c>end_pfn - base_pfn + 1</c>.</summary>
    public ulong NrPages => EndPfn - BasePfn + 1;
}
