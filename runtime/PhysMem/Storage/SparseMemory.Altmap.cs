using System;
using System.Collections.Generic;

namespace PhysMem;

// Memmaps that live in the memory they describe (SPARSEMEM_VMEMMAP only): ZONE_DEVICE ranges added
// with a struct vmem_altmap (mm/memremap.c memremap_pages, include/linux/memremap.h) and hot-added
// RAM that hosts its own memmap (mm/memory_hotplug.c memmap_on_memory). The altmap of a range is
// planned in full before anything changes, so a range whose memmap does not fit is refused whole.
//
// What is honest for a simulator without device memory: the struct pages must still be readable at
// vmemmap + pfn, so they stay in the vmemmap reservation and the operating system commits them. The
// reservation counts them as hosted (VirtualMemoryReservation.CommitHosted), not as host memmap:
// CommittedMemmapBytes and MemoryAccounting.MemmapBytes do not change, SelfHostedMemmapBytes does,
// and the altmap's pfns are the ones the kernel would have taken, reported in Altmaps.
public unsafe partial class SparseMemory<TPage>
{
    // The altmaps of the ranges that have one, by base pfn; changed under the hotplug lock.
    private readonly SortedDictionary<ulong, VmemAltmap> _altmaps = new();

    /// <summary>
    /// The pages of a memory block: the unit <c>memmap_on_memory</c> gives its own altmap. PhysMem's
    /// memory blocks are one section, the kernel's <c>MIN_MEMORY_BLOCK_SIZE</c> (drivers/base/memory.c);
    /// an architecture may choose larger blocks on large machines.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong MemoryBlockPages
    {
        get
        {
            ThrowIfDisposed();
            return _pagesPerSection;
        }
    }

    /// <summary>
    /// <c>memory_block_memmap_on_memory_pages</c>: the pfns at the start of each memory block that
    /// hold the block's memmap under <c>memmap_on_memory</c>, <c>PFN_UP(block pages × sizeof(TPage))</c>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong MemmapOnMemoryPages => SelfHostedMemmap.MemmapOnMemoryPages(Layout, (ulong)sizeof(TPage), MemoryBlockPages);

    /// <summary>
    /// <c>mhp_supports_memmap_on_memory</c>: whether <see cref="AddMemory(ulong, ulong, int, bool)"/>
    /// may place a block's memmap on the block. Null when it may; otherwise which of the kernel's
    /// conditions fails, with the values (<see cref="SelfHostedMemmap.MemmapOnMemoryProblem"/>).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public string? MemmapOnMemoryProblem => SelfHostedMemmap.MemmapOnMemoryProblem(Layout, (ulong)sizeof(TPage), MemoryBlockPages);

    /// <summary>The altmaps of the ranges whose memmap lives in them, by first pfn (a snapshot).</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public IReadOnlyList<VmemAltmap> Altmaps
    {
        get
        {
            lock (_hotplugLock)
            {
                ThrowIfDisposed();
                return new List<VmemAltmap>(_altmaps.Values);
            }
        }
    }

    /// <summary>
    /// Bytes of vmemmap committed for memmaps that live in the memory they describe (the pfns of
    /// <see cref="Altmaps"/>); not part of <see cref="CommittedMemmapBytes"/>. The operating system
    /// commits them in this process all the same (see the remarks on <see cref="VmemAltmap"/>); until a
    /// removal's grace period ends they are counted here. 0 without VMEMMAP.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong SelfHostedMemmapBytes
    {
        get
        {
            ThrowIfDisposed();
            return _vmemmap ? _vmemmapReservation!.HostedBytes : 0;
        }
    }

    private ulong PmdSize => SelfHostedMemmap.PmdSize(Layout);

    /// <summary>
    /// Hot-adds <c>ZONE_DEVICE</c> memory whose memmap lives at its start, as <c>memremap_pages</c>
    /// does with a <c>struct vmem_altmap</c> (persistent memory in <c>devm</c> mode): like
    /// <see cref="AddDeviceMemory(ulong, ulong, int)"/>, but the struct pages of the range are taken
    /// from its own pfns after <paramref name="altmapReserve"/>, by <c>altmap_alloc_block_buf</c>
    /// (mm/sparse-vmemmap.c): a whole section's memmap as PMD-sized blocks aligned to their size, a
    /// part of a section page by page. Subsections added into a boot section's holes reuse its boot
    /// memmap, as the kernel does, and take nothing from the altmap. The memmap is counted in
    /// <see cref="SelfHostedMemmapBytes"/>, not <see cref="CommittedMemmapBytes"/>. Every pfn of the
    /// range has a page (<see cref="PfnToPage"/> and <see cref="PageToPfn"/> work as for any section);
    /// the first one its owner may use is <see cref="VmemAltmap.FirstUsablePfn"/>. Removing the range
    /// (<see cref="RemoveMemory"/>, whole) gives the altmap back.
    /// </summary>
    /// <param name="startPfn">The first pfn, the altmap's <c>base_pfn</c>; a multiple of <c>PAGES_PER_SUBSECTION</c>.</param>
    /// <param name="nrPages">How many pages; a multiple of <c>PAGES_PER_SUBSECTION</c>, not 0.</param>
    /// <param name="nid">The node, below <c>MAX_NUMNODES</c>.</param>
    /// <param name="altmapReserve">Pfns at the start the owner keeps (an nvdimm's info block), not used for the memmap.</param>
    /// <param name="altmapFree">Pfns after those that the memmap may use; the owner's data starts after them.</param>
    /// <returns>The altmap as it stands after the memmap was taken from it.</returns>
    /// <exception cref="ArgumentException">The range is empty or not aligned, <c>reserve + free</c> is larger than the range, the free pfns cannot hold the range's memmap, or the memmap does not start and end on whole pages.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>, or the node is not below <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="InvalidOperationException">The layout has no <c>ZONE_DEVICE</c> or no VMEMMAP, part of the range is present, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    /// <exception cref="VirtualMemoryException">The memmap could not be committed; what this call had added is removed again.</exception>
    /// <exception cref="StorageLimitException">The memmap, tables or usage blocks the storage would then hold go over its limits (self-hosted memmap counts: this process holds it); nothing was added.</exception>
    public VmemAltmap AddDeviceMemory(ulong startPfn, ulong nrPages, int nid, ulong altmapReserve, ulong altmapFree)
    {
        ThrowIfDisposed();
        if (altmapReserve > nrPages || altmapFree > nrPages - altmapReserve)
        {
            throw new ArgumentException("The altmap's reserve (" + Str((long)altmapReserve) + " pfns) and free (" + Str((long)altmapFree) + " pfns) do not fit the range of " + Str((long)nrPages)
                + " pages at pfn 0x" + Hex(startPfn) + ".", nameof(altmapFree));
        }

        return Add(startPfn, nrPages, nid, device: true, new AltmapRequest(altmapReserve, altmapFree, PerBlock: false))[0];
    }

    /// <summary>
    /// Hot-adds memory, as <see cref="AddMemory(ulong, ulong, int)"/>; with
    /// <paramref name="memmapOnMemory"/> every memory block (<see cref="MemoryBlockPages"/>) hosts its
    /// own memmap in its first <see cref="MemmapOnMemoryPages"/> pfns (<c>memory_hotplug.memmap_on_memory</c>,
    /// <c>MHP_MEMMAP_ON_MEMORY</c>; one altmap per block, as mm/memory_hotplug.c has done since Linux 6.6).
    /// Those pfns have pages but are never usable memory; their pageblocks are <c>MIGRATE_UNMOVABLE</c>
    /// (<c>mhp_init_memmap_on_memory</c>). The memmap is counted in <see cref="SelfHostedMemmapBytes"/>.
    /// Where the kernel quietly puts the memmap in ordinary RAM when its conditions fail, this call
    /// refuses with the reason (<see cref="MemmapOnMemoryProblem"/>), so that a model never claims
    /// what the kernel would not do.
    /// </summary>
    /// <param name="startPfn">The first pfn; with <paramref name="memmapOnMemory"/> a multiple of <see cref="MemoryBlockPages"/>.</param>
    /// <param name="nrPages">How many pages; aligned as <paramref name="startPfn"/>, not 0.</param>
    /// <param name="nid">The node, below <c>MAX_NUMNODES</c>.</param>
    /// <param name="memmapOnMemory">Whether each block hosts its own memmap.</param>
    /// <returns>The altmaps of the blocks, by first pfn; empty without <paramref name="memmapOnMemory"/>.</returns>
    /// <exception cref="ArgumentException">The range is empty or not aligned (to memory blocks with <paramref name="memmapOnMemory"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>, or the node is not below <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="memmapOnMemory"/> is not supported (see <see cref="MemmapOnMemoryProblem"/>), part of the range is present, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    /// <exception cref="VirtualMemoryException">The memmap could not be committed; what this call had added is removed again.</exception>
    /// <exception cref="StorageLimitException">The memmap, tables or usage blocks the storage would then hold go over its limits; nothing was added.</exception>
    public IReadOnlyList<VmemAltmap> AddMemory(ulong startPfn, ulong nrPages, int nid, bool memmapOnMemory)
    {
        if (!memmapOnMemory)
        {
            Add(startPfn, nrPages, nid, device: false);
            return Array.Empty<VmemAltmap>();
        }

        ThrowIfDisposed();
        string? problem = MemmapOnMemoryProblem;
        if (problem != null)
        {
            throw new InvalidOperationException(problem + " Add the memory without memmapOnMemory.");
        }

        if (((startPfn | nrPages) & (MemoryBlockPages - 1)) != 0)
        {
            throw new ArgumentException("memmap_on_memory adds whole memory blocks of " + Str((long)MemoryBlockPages) + " pages, but pfn 0x" + Hex(startPfn) + " + 0x" + Hex(nrPages)
                + " pages is not aligned to that.", nameof(nrPages));
        }

        return Add(startPfn, nrPages, nid, device: false, new AltmapRequest(0, MemmapOnMemoryPages, PerBlock: true));
    }

    // Every altmap the range [start, end) touches must lie wholly inside it (the kernel removes a
    // pgmap, or a memory block, whole).
    private void CheckAltmapsRemovable(ulong start, ulong end)
    {
        foreach (var altmap in _altmaps.Values)
        {
            bool touches = altmap.BasePfn < end && start <= altmap.EndPfn;
            if (touches && (altmap.BasePfn < start || altmap.EndPfn >= end))
            {
                throw new ArgumentException("The range " + Pfns(start, end) + " cuts through " + Pfns(altmap.BasePfn, altmap.EndPfn + 1)
                    + ", whose memmap lives in its first pfns; remove that range whole.", nameof(end));
            }
        }
    }

    private void DropAltmaps(ulong start, ulong end)
    {
        foreach (var altmap in new List<VmemAltmap>(_altmaps.Values))
        {
            if (altmap.BasePfn >= start && altmap.EndPfn < end)
            {
                _altmaps.Remove(altmap.BasePfn);
            }
        }
    }

    // Plans the altmaps of [start, end) as the sections would be populated, before anything changes:
    // which chunks take their memmap from an altmap, and each altmap's alloc and align afterwards.
    private List<VmemAltmap> PlanAltmaps(ulong start, ulong end, AltmapRequest request)
    {
        var plans = new List<VmemAltmap>();
        ulong entry = (ulong)sizeof(TPage);
        ulong granule = Math.Max(1UL << _pageShift, _vmemmapReservation!.OsPageSize);
        VmemAltmap? current = null;
        for (ulong pfn = start, chunk; pfn < end; pfn += chunk)
        {
            chunk = ChunkPages(pfn, end);
            if (current == null || request.PerBlock && pfn > current.EndPfn)
            {
                ulong blockEnd = request.PerBlock ? pfn + MemoryBlockPages : end;
                current = new VmemAltmap(pfn, blockEnd - 1, request.Reserve, request.Free, 0, 0, request.PerBlock);
                plans.Add(current);
            }

            MemSection* ms = NrToSectionCore(pfn >> _pfnSectionShift);
            if (ms != null && ((ulong)ms->SectionMemMap & IsEarly) != 0 && chunk < _pagesPerSection)
            {
                continue; // the boot memmap is reused; nothing is populated
            }

            if ((pfn * entry | chunk * entry) % granule != 0)
            {
                throw new ArgumentException("The memmap of " + Pfns(pfn, pfn + chunk) + " (" + Str((long)entry) + "-byte pages) does not start and end on whole pages of "
                    + Str((long)granule) + " bytes, so it cannot be taken from an altmap.", nameof(start));
            }

            // x86 vmemmap_populate: PMD blocks for a whole section's memmap, base pages otherwise.
            ulong bytes = chunk * entry;
            bool huge = chunk == _pagesPerSection && bytes % PmdSize == 0 && (pfn * entry) % PmdSize == 0;
            ulong blockPfns = huge ? PmdSize >> _pageShift : 1;
            for (ulong n = bytes / (huge ? PmdSize : 1UL << _pageShift); n > 0; n--)
            {
                current = AltmapAllocBlock(current, blockPfns, pfn, chunk);
                plans[^1] = current;
            }
        }

        return plans;
    }

    // altmap_alloc_block_buf: nr pfns aligned to the lowest set bit of nr, after reserve + alloc + align.
    private VmemAltmap AltmapAllocBlock(VmemAltmap altmap, ulong nr, ulong pfn, ulong chunk)
    {
        ulong next = altmap.BasePfn + altmap.Reserve + altmap.Alloc + altmap.Align;
        ulong alignTo = nr & (~nr + 1);
        ulong pad = ((next + alignTo - 1) & ~(alignTo - 1)) - next;
        ulong used = altmap.Alloc + altmap.Align;
        ulong left = altmap.Free > used ? altmap.Free - used : 0;
        if (nr + pad > left)
        {
            throw new ArgumentException("The altmap of " + Pfns(altmap.BasePfn, altmap.EndPfn + 1) + " (reserve " + Str((long)altmap.Reserve) + ", free " + Str((long)altmap.Free)
                + " pfns) cannot hold the memmap of " + Pfns(pfn, pfn + chunk) + ": it has " + Str((long)left) + " free pfns left and the next block needs " + Str((long)nr) + " + "
                + Str((long)pad) + " to align it (the kernel's ENOMEM); nothing was added.", "altmapFree");
        }

        return altmap with { Alloc = altmap.Alloc + nr, Align = altmap.Align + pad };
    }

    // After the sections are in: remember the altmaps; memmap_on_memory pageblocks become unmovable.
    private void CommitAltmaps(List<VmemAltmap> altmaps)
    {
        foreach (var altmap in altmaps)
        {
            _altmaps.Add(altmap.BasePfn, altmap);
            if (!altmap.MemmapOnMemory)
            {
                continue;
            }

            ulong pageblock = Layout.PageblockNrPages;
            for (ulong pfn = altmap.BasePfn; pfn < altmap.FirstUsablePfn; pfn += pageblock)
            {
                UpdatePageblockBits(NrToSectionCore(pfn >> _pfnSectionShift)->Usage, pfn, MemoryLayout.PageblockMigratetypeMask, MigrateUnmovable);
            }
        }
    }

    private readonly record struct AltmapRequest(ulong Reserve, ulong Free, bool PerBlock);
}
