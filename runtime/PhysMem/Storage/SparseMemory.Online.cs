using System;
using System.Threading;

namespace PhysMem;

// Online and offline (mm/sparse.c online_mem_sections / offline_mem_sections, mm/memory_hotplug.c
// online_pages' range rule, pfn_to_online_page).
public unsafe partial class SparseMemory<TPage>
{
    /// <summary>
    /// <c>online_mem_sections</c>: marks every section of the range <c>SECTION_IS_ONLINE</c>. Boot
    /// sections are online from the start; hot-added ones become online here.
    /// </summary>
    /// <param name="startPfn">The first pfn, a multiple of <c>pageblock_nr_pages</c>.</param>
    /// <param name="nrPages">How many pages, not 0; the range must end on a section boundary (the rule of <c>online_pages</c>).</param>
    /// <exception cref="ArgumentException">The range is empty, or its start or end is not aligned.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>.</exception>
    /// <exception cref="InvalidOperationException">A section of the range has no memmap, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void OnlineSections(ulong startPfn, ulong nrPages) => SetOnline(startPfn, nrPages, online: true);

    /// <summary><c>offline_mem_sections</c>: clears <c>SECTION_IS_ONLINE</c> on every section of the range. Same rules as <see cref="OnlineSections"/>.</summary>
    /// <param name="startPfn">The first pfn, a multiple of <c>pageblock_nr_pages</c>.</param>
    /// <param name="nrPages">How many pages, not 0; the range must end on a section boundary.</param>
    /// <exception cref="ArgumentException">The range is empty, or its start or end is not aligned.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches beyond <c>MAX_PHYSMEM_BITS</c>.</exception>
    /// <exception cref="InvalidOperationException">A section of the range has no memmap, or the call comes from inside a read section.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void OfflineSections(ulong startPfn, ulong nrPages) => SetOnline(startPfn, nrPages, online: false);

    /// <summary>
    /// <c>pfn_to_online_page</c>: the page of <paramref name="pfn"/> when its section is online and
    /// its subsection populated, else null — null too for a <c>ZONE_DEVICE</c> pfn in a section it
    /// shares with online memory (told apart by <c>SECTION_TAINT_ZONE_DEVICE</c> and the device page
    /// maps). Lock-free. The page stays committed only while the caller is inside a read section (see
    /// <see cref="EnterReadSection"/>) or no removal runs.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The page, or null.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public TPage* PfnToOnlinePage(ulong pfn)
    {
        ThrowIfDisposed();
        ulong nr = pfn >> _pfnSectionShift;
        if (nr >= _nrMemSections)
        {
            return null;
        }

        MemSection* ms = NrToSectionCore(nr);
        if (ms == null)
        {
            return null;
        }

        ulong word = (ulong)Volatile.Read(ref ms->SectionMemMap);
        if ((word & IsOnline) == 0 || !PfnSectionValidCore(ms, pfn))
        {
            return null;
        }

        if ((word & _sectionTaintZoneDevice) != 0 && Volatile.Read(ref _devicePagemaps).Contains(pfn))
        {
            return null;
        }

        // The page from the word read above, not a second read that a removal could have cleared.
        return _vmemmap ? _vmemmapBase + pfn : (TPage*)(word & _sectionMapMask) + pfn;
    }

    /// <summary><c>online_device_section</c>: the section is online and tainted by <c>ZONE_DEVICE</c> memory. False for null, or without ZONE_DEVICE.</summary>
    /// <param name="section">The section, or null.</param>
    /// <returns>True when both <c>SECTION_IS_ONLINE</c> and <c>SECTION_TAINT_ZONE_DEVICE</c> are set.</returns>
    public bool OnlineDeviceSection(MemSection* section)
    {
        ThrowIfDisposed();
        ulong flags = IsOnline | _sectionTaintZoneDevice;
        return section != null && _sectionTaintZoneDevice != 0 && ((ulong)Volatile.Read(ref section->SectionMemMap) & flags) == flags;
    }

    private void SetOnline(ulong startPfn, ulong nrPages, bool online)
    {
        string verb = online ? "online" : "offline";
        lock (_hotplugLock)
        {
            CheckHotplugCall();
            if (nrPages == 0)
            {
                throw new ArgumentException("Cannot " + verb + " an empty range (0 pages at pfn 0x" + Hex(startPfn) + ").", nameof(nrPages));
            }

            if (nrPages > _maxPfn || startPfn > _maxPfn - nrPages)
            {
                throw new ArgumentOutOfRangeException(nameof(nrPages), "The range pfn 0x" + Hex(startPfn) + " + 0x" + Hex(nrPages) + " pages reaches beyond MAX_PHYSMEM_BITS = " + Str(Layout.MaxPhysmemBits) + ".");
            }

            ulong end = startPfn + nrPages;
            ulong pageblock = 1UL << _pageblockOrder;
            if ((startPfn & (pageblock - 1)) != 0 || (end & (_pagesPerSection - 1)) != 0)
            {
                throw new ArgumentException("Memory is " + verb + "d from a pageblock boundary (" + Str((long)pageblock) + " pages) to a section boundary ("
                    + Str((long)_pagesPerSection) + " pages), as online_pages requires; " + Pfns(startPfn, end) + " is not.", nameof(nrPages));
            }

            ulong first = startPfn >> _pfnSectionShift;
            ulong last = (end - 1) >> _pfnSectionShift;
            for (ulong nr = first; nr <= last; nr++)
            {
                if (!ValidSection(NrToSectionCore(nr)))
                {
                    throw new InvalidOperationException("Section " + Str((long)nr) + " has no memory map, so " + Pfns(startPfn, end) + " cannot be " + verb + "d; nothing was changed.");
                }
            }

            for (ulong nr = first; nr <= last; nr++)
            {
                MemSection* ms = NrToSectionCore(nr);
                ulong word = (ulong)ms->SectionMemMap;
                Volatile.Write(ref ms->SectionMemMap, (nuint)(online ? word | IsOnline : word & ~IsOnline));
            }
        }
    }
}
