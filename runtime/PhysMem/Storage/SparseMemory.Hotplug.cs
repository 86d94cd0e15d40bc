using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace PhysMem;

// Memory hotplug after boot (mm/memory_hotplug.c __add_pages / __remove_pages, mm/sparse.c
// sparse_add_section / sparse_remove_section): the public calls, their checks, and the walk over the
// sections a range touches. Every check runs before anything changes, so a refused request leaves
// the storage exactly as it was.
public unsafe partial class SparseMemory<TPage>
{
    /// <summary>
    /// Hot-adds memory on node <paramref name="nid"/>: <c>__add_pages</c> calling
    /// <c>sparse_add_section</c> for each section the range touches. A section that had no memory gets
    /// its root (EXTREME, on demand), a usage block, a memmap for exactly the added range (VMEMMAP;
    /// classic allocates a whole section's), initialised pages (zone from <see cref="ZoneRule"/>, node
    /// <paramref name="nid"/>, pageblocks <c>MIGRATE_MOVABLE</c>), and then, last, its section word:
    /// present with a memmap, neither early nor online (see <see cref="OnlineSections"/>). Adding into
    /// the unpopulated subsections of a boot section reuses the boot memmap, as the kernel does.
    /// </summary>
    /// <param name="startPfn">The first pfn; a multiple of <c>PAGES_PER_SUBSECTION</c> (VMEMMAP) or <c>PAGES_PER_SECTION</c> (classic).</param>
    /// <param name="nrPages">How many pages; a multiple of the same, not 0.</param>
    /// <param name="nid">The node, below <c>MAX_NUMNODES</c>.</param>
    /// <exception cref="ArgumentException">The range is empty or not aligned (the kernel's <c>EINVAL</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>, or the node is not below <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="InvalidOperationException">Part of the range is already present (<c>EEXIST</c>), or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    /// <exception cref="VirtualMemoryException">The memmap could not be committed; what this call had added is removed again.</exception>
    /// <exception cref="StorageLimitException">The memmap, tables or usage blocks the storage would then hold go over the limits it was built with; nothing was added.</exception>
    public void AddMemory(ulong startPfn, ulong nrPages, int nid) => Add(startPfn, nrPages, nid, device: false);

    /// <summary>
    /// Hot-adds <c>ZONE_DEVICE</c> memory (what <c>memremap_pages</c> does through
    /// <c>arch_add_memory</c>): like <see cref="AddMemory(ulong, ulong, int)"/>, but the pages get <c>ZONE_DEVICE</c> and
    /// are never online, and a section the range starts or ends inside of is marked
    /// <c>SECTION_TAINT_ZONE_DEVICE</c> (mm/memory_hotplug.c move_pfn_range_to_zone), so that
    /// <see cref="PfnToOnlinePage"/> tells device pfns from online memory sharing the section.
    /// </summary>
    /// <param name="startPfn">The first pfn; a multiple of <c>PAGES_PER_SUBSECTION</c>.</param>
    /// <param name="nrPages">How many pages; a multiple of <c>PAGES_PER_SUBSECTION</c>, not 0.</param>
    /// <param name="nid">The node, below <c>MAX_NUMNODES</c>.</param>
    /// <exception cref="ArgumentException">The range is empty or not aligned.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>, or the node is not below <c>MAX_NUMNODES</c>.</exception>
    /// <exception cref="InvalidOperationException">The layout has no <c>ZONE_DEVICE</c> or no VMEMMAP (the kernel's ZONE_DEVICE needs both), part of the range is present, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    /// <exception cref="VirtualMemoryException">The memmap could not be committed.</exception>
    /// <exception cref="StorageLimitException">The memmap, tables or usage blocks the storage would then hold go over the limits it was built with; nothing was added.</exception>
    public void AddDeviceMemory(ulong startPfn, ulong nrPages, int nid) => Add(startPfn, nrPages, nid, device: true);

    /// <summary>
    /// Hot-removes memory: <c>__remove_pages</c> calling <c>sparse_remove_section</c> for each section
    /// the range touches. The range is RAM (every section it touches must be offline, see
    /// <see cref="OfflineSections"/>; the kernel's <c>EBUSY</c>) or lies wholly in
    /// <c>ZONE_DEVICE</c> memory. Its subsection bits are cleared; a section left empty first loses
    /// <c>SECTION_HAS_MEM_MAP</c> (so <see cref="PfnValid"/> fails before anything is given back), then
    /// its usage block (unless it came from the boot buffer) and its word (classic: its flags at once,
    /// its memmap pointer when the memmap is freed, so that <see cref="PageToPfn"/> of a page a reader
    /// still holds stays right). The memmap of the range
    /// (VMEMMAP, non-boot sections), or the whole memmap of an emptied section, is decommitted and
    /// returned to no-access, or freed, once every read section that began before this call has
    /// ended; until then it stays committed (<see cref="Synchronize()"/> waits for that).
    /// </summary>
    /// <param name="startPfn">The first pfn; aligned as for <see cref="AddMemory(ulong, ulong, int)"/>.</param>
    /// <param name="nrPages">How many pages; aligned as for <see cref="AddMemory(ulong, ulong, int)"/>, not 0.</param>
    /// <exception cref="ArgumentException">The range is empty, not aligned, mixes device memory with RAM, or cuts through a range whose memmap lives in it (a <see cref="VmemAltmap"/>: such a range goes whole).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>.</exception>
    /// <exception cref="InvalidOperationException">Part of the range is not present (the kernel's "section already deactivated"), a RAM section is still online, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void RemoveMemory(ulong startPfn, ulong nrPages)
    {
        lock (_hotplugLock)
        {
            CheckHotplugCall();
            ulong end = CheckSpan(startPfn, nrPages, "remove");
            bool device = _devicePagemaps.Overlaps(startPfn, end);
            if (device && !_devicePagemaps.Covers(startPfn, end))
            {
                throw new ArgumentException("The range " + Pfns(startPfn, end) + " mixes ZONE_DEVICE memory with RAM; remove each on its own.", nameof(nrPages));
            }

            for (ulong pfn = startPfn, chunk; pfn < end; pfn += chunk)
            {
                chunk = ChunkPages(pfn, end);
                CheckRemovable(pfn, chunk, device);
            }

            CheckAltmapsRemovable(startPfn, end);

            // A boot section deferred init has not reached is initialized first (or waited for), so
            // no worker writes memmap a removal gives back.
            EnsureDeferredInit(startPfn, end);

            for (ulong pfn = startPfn, chunk; pfn < end; pfn += chunk)
            {
                chunk = ChunkPages(pfn, end);
                SectionDeactivate(pfn, chunk);
            }

            _reclaimer.EndRemoval();
            DropAltmaps(startPfn, end);
            if (device)
            {
                Volatile.Write(ref _devicePagemaps, _devicePagemaps.Without(startPfn, end));
            }
            else
            {
                Volatile.Write(ref _memblock, _memblock.Without(startPfn, end));
            }

            PublishPresentSections();
            _reclaimer.TryReclaim();
        }
    }

    private List<VmemAltmap> Add(ulong startPfn, ulong nrPages, int nid, bool device, AltmapRequest? altmap = null)
    {
        lock (_hotplugLock)
        {
            CheckHotplugCall();
            if (device)
            {
                CheckDeviceSupported();
            }

            ulong end = CheckSpan(startPfn, nrPages, "add");
            if (nid < 0 || nid >= Layout.MaxNumnodes)
            {
                throw new ArgumentOutOfRangeException(nameof(nid), "Node " + Str(nid) + " is not below MAX_NUMNODES = " + Str(Layout.MaxNumnodes) + " (NODES_SHIFT = " + Str(Layout.NodesShift) + ").");
            }

            for (ulong pfn = startPfn, chunk; pfn < end; pfn += chunk)
            {
                chunk = ChunkPages(pfn, end);
                CheckAbsent(pfn, chunk);
            }

            var altmaps = altmap is { } request ? PlanAltmaps(startPfn, end, request) : new List<VmemAltmap>();
            CheckHotAddLimits(startPfn, end);
            WaitForPendingMemmap(startPfn, end);
            EnsureDeferredInit(startPfn, end);
            ulong done = startPfn;
            try
            {
                for (ulong chunk; done < end; done += chunk)
                {
                    chunk = ChunkPages(done, end);
                    AddSection(done, chunk, nid, device, hosted: altmap != null);
                }
            }
            catch
            {
                // Take back what this call published; it is reclaimed like any removal.
                for (ulong pfn = startPfn, chunk; pfn < done; pfn += chunk)
                {
                    chunk = ChunkPages(pfn, done);
                    SectionDeactivate(pfn, chunk);
                }

                _reclaimer.EndRemoval();
                PublishPresentSections();
                throw;
            }

            if (device)
            {
                Volatile.Write(ref _devicePagemaps, _devicePagemaps.With(new PfnRange(startPfn, end, nid)));
            }
            else
            {
                Volatile.Write(ref _memblock, _memblock.With(new PfnRange(startPfn, end, nid)));
            }

            CommitAltmaps(altmaps);
            PublishPresentSections();
            _reclaimer.TryReclaim();
            return altmaps;
        }
    }

    // The pages from pfn to the next section boundary or 'end', whichever comes first.
    private ulong ChunkPages(ulong pfn, ulong end)
    {
        ulong toBoundary = _pagesPerSection - (pfn & (_pagesPerSection - 1));
        return end - pfn < toBoundary ? end - pfn : toBoundary;
    }

    private void CheckHotplugCall()
    {
        ThrowIfDisposed();
        if (_reclaimer.CurrentThreadInside)
        {
            throw new InvalidOperationException("Memory hotplug is not allowed inside a read section of the same storage (it may wait for readers, this one included); leave the section first.");
        }
    }

    private void CheckDeviceSupported()
    {
        if (!_vmemmap || _sectionTaintZoneDevice == 0)
        {
            throw new InvalidOperationException("ZONE_DEVICE memory needs a layout with SPARSEMEM_VMEMMAP and the Device zone (CONFIG_ZONE_DEVICE depends on SPARSEMEM_VMEMMAP); this one is "
                + Layout.Describe() + " with zones " + Layout.Spec.Zones + ".");
        }
    }

    // check_pfn_span and mhp_range_allowed: not empty, aligned to a subsection (VMEMMAP) or a section
    // (classic), inside MAX_PHYSMEM_BITS. Returns the end pfn.
    private ulong CheckSpan(ulong startPfn, ulong nrPages, string verb)
    {
        if (nrPages == 0)
        {
            throw new ArgumentException("Cannot " + verb + " an empty range (0 pages at pfn 0x" + Hex(startPfn) + ").", nameof(nrPages));
        }

        ulong align = _vmemmap ? _pagesPerSubsection : _pagesPerSection;
        if (((startPfn | nrPages) & (align - 1)) != 0)
        {
            throw new ArgumentException(
                "Memory is hot-" + verb + "ed in whole " + (_vmemmap ? "subsections" : "sections") + " of " + Str((long)align) + " pages (" + ByteSize.Format(align << _pageShift) + ") in "
                + Layout.Describe() + ", but pfn 0x" + Hex(startPfn) + " + 0x" + Hex(nrPages) + " pages is not aligned to that.", nameof(nrPages));
        }

        if (nrPages > _maxPfn || startPfn > _maxPfn - nrPages)
        {
            throw new ArgumentOutOfRangeException(nameof(nrPages), "The range pfn 0x" + Hex(startPfn) + " + 0x" + Hex(nrPages) + " pages reaches beyond MAX_PHYSMEM_BITS = "
                + Str(Layout.MaxPhysmemBits) + " (the first pfn the model cannot describe is 0x" + Hex(_maxPfn) + ").");
        }

        return startPfn + nrPages;
    }

    // fill_subsection_map's EEXIST (VMEMMAP), or a section that has a memmap already (classic).
    private void CheckAbsent(ulong pfn, ulong nrPages)
    {
        MemSection* ms = NrToSectionCore(pfn >> _pfnSectionShift);
        if (ms == null)
        {
            return;
        }

        bool overlaps = _vmemmap
            ? ms->Usage != null && SubsectionMaskIntersects(ms->Usage, pfn, nrPages)
            : ((ulong)ms->SectionMemMap & HasMemMap) != 0;
        if (overlaps)
        {
            throw new InvalidOperationException("Memory at " + Pfns(pfn, pfn + nrPages) + " (section " + Str((long)(pfn >> _pfnSectionShift)) + ") is already present (EEXIST); nothing was added.");
        }
    }

    // sparse_remove_section's valid_section check and clear_subsection_map's test that every bit
    // to clear is set; and, for RAM, the offline check of the memory-block layer (EBUSY).
    private void CheckRemovable(ulong pfn, ulong nrPages, bool device)
    {
        ulong nr = pfn >> _pfnSectionShift;
        MemSection* ms = NrToSectionCore(nr);
        ulong word = ms == null ? 0 : (ulong)ms->SectionMemMap;
        if ((word & HasMemMap) == 0 || (_vmemmap && !SubsectionMaskCovered(ms->Usage, pfn, nrPages)))
        {
            throw new InvalidOperationException("Memory at " + Pfns(pfn, pfn + nrPages) + " (section " + Str((long)nr) + ") is not "
                + ((word & HasMemMap) == 0 ? "present" : "all present: some of its subsections were never added or are removed already") + "; nothing was removed.");
        }

        if (!device && (word & IsOnline) != 0)
        {
            throw new InvalidOperationException("Section " + Str((long)nr) + " is online (EBUSY): offline it (OfflineSections) before removing " + Pfns(pfn, pfn + nrPages) + "; nothing was removed.");
        }
    }

    private void PublishPresentSections()
    {
        var array = new ulong[_present.Count];
        _present.CopyTo(array);
        Volatile.Write(ref _presentSections, array);
    }

    private static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Pfns(ulong start, ulong end) => "pfn 0x" + Hex(start) + "-0x" + Hex(end - 1);
}
