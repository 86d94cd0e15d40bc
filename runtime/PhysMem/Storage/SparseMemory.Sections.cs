using System;
using System.Threading;

namespace PhysMem;

// One section's part of a hotplug call (mm/sparse.c): section_activate + sparse_add_section, and
// section_deactivate. Both run under the hotplug lock, after the caller's checks. Publication order:
// everything a reader can reach from a section word (memmap, usage block, pages) is written first
// and the word, the usage pointer and the subsection bits are stored last with release semantics;
// removal clears them first and hands the memory to the reclaimer, which gives it back after the
// grace period.
public unsafe partial class SparseMemory<TPage>
{
    private void AddSection(ulong pfn, ulong nrPages, int nid, bool device, bool hosted)
    {
        ulong nr = pfn >> _pfnSectionShift;

        // sparse_index_init: a root allocated here stays, as in the kernel, even if the rest fails.
        MemSection* ms = _sections.Ensure(nr);
        ulong word = (ulong)ms->SectionMemMap;
        bool reuseBootMemmap = (word & IsEarly) != 0 && nrPages < _pagesPerSection;
        ulong* usage = ms->Usage;
        bool newUsage = usage == null;
        TPage* biased = _vmemmapBase;
        void* classicMemmap = null;
        ulong memmapOffset = pfn * (ulong)sizeof(TPage);
        ulong memmapLength = nrPages * (ulong)sizeof(TPage);

        // set_section_nid; like the kernel's table it is never cleared, so it may come first.
        _sectionToNode[nr] = nid;

        // The steps that can fail come first and are undone here; nothing is published yet.
        try
        {
            if (newUsage)
            {
                usage = _reclaimer.AllocateUsage();
            }

            if (!_vmemmap)
            {
                // Classic: kvmalloc of a whole section's memmap.
                classicMemmap = _blocks.AllocateZeroed(_memmapBytesPerSection, 4096);
                biased = (TPage*)classicMemmap - SectionNrToPfnCore(nr);
            }
            else if (!reuseBootMemmap)
            {
                // populate_section_memmap for exactly the added range; from the range's altmap
                // (hosted: the range's own pfns, not host RAM) when it has one.
                if (hosted)
                {
                    _vmemmapReservation!.CommitHosted(memmapOffset, memmapLength);
                }
                else
                {
                    _vmemmapReservation!.Commit(memmapOffset, memmapLength);
                }
            }
        }
        catch
        {
            if (newUsage && usage != null)
            {
                _reclaimer.FreeUsage(usage);
            }

            throw;
        }

        if (classicMemmap != null)
        {
            _classicMemmapBytes += _memmapBytesPerSection;
        }
        else if (!reuseBootMemmap)
        {
            _liveMemmap.Add(memmapOffset, memmapOffset + memmapLength);
            if (nrPages == _pagesPerSection)
            {
                _vmemmapReservation!.AdviseHugePages(memmapOffset, memmapLength);
            }
        }

        InitPages(biased, pfn, pfn + nrPages, nid, device);
        InitPageblocks(usage, pfn, pfn + nrPages);
        if (nr > _highestPresentSectionNr)
        {
            Volatile.Write(ref _highestPresentSectionNr, nr);
        }

        // mm/memory_hotplug.c: a ZONE_DEVICE range that starts or ends inside this section taints it,
        // before its pfns become valid.
        ulong taint = device && ((pfn | (pfn + nrPages)) & (_pagesPerSection - 1)) != 0 ? _sectionTaintZoneDevice : 0;
        if ((word & HasMemMap) != 0)
        {
            // A section with a memmap already (VMEMMAP): only the word's taint and the new subsections.
            if (taint != 0)
            {
                Volatile.Write(ref ms->SectionMemMap, (nuint)(word | taint));
            }

            SetSubsectionBits(usage, pfn, nrPages);
            return;
        }

        // A fresh section: its usage block is complete before the pointer, the pointer before the word.
        if (_vmemmap)
        {
            SetSubsectionBits(usage, pfn, nrPages);
        }

        if (newUsage)
        {
            Volatile.Write(ref *(nint*)&ms->Usage, (nint)usage);
        }

        // sparse_init_one_section with flags 0: present, has a memmap, not early, not yet online.
        TPage* memmap = biased + SectionNrToPfnCore(nr);
        Volatile.Write(ref ms->SectionMemMap, (nuint)((word & ~_sectionMapMask) | (ulong)EncodeCore(memmap, nr) | MarkedPresent | HasMemMap | taint));
        _present.Add(nr);
    }

    // section_deactivate: clear the subsection bits; if the section is now empty clear HAS_MEM_MAP,
    // drop a hot-added usage block, and retire the whole memmap; otherwise retire only the range's
    // memmap (boot sections keep theirs until they empty). The word becomes 0 last (classic: when
    // the memmap is freed).
    private void SectionDeactivate(ulong pfn, ulong nrPages)
    {
        ulong nr = pfn >> _pfnSectionShift;
        MemSection* ms = NrToSectionCore(nr);
        ulong word = (ulong)ms->SectionMemMap;
        bool early = (word & IsEarly) != 0;
        ulong* usage = ms->Usage;
        bool empty = !_vmemmap || ClearSubsectionBits(usage, pfn, nrPages);
        TPage* memmap = null;
        if (empty)
        {
            Volatile.Write(ref ms->SectionMemMap, (nuint)(word & ~HasMemMap));
            if (_reclaimer.IsHotUsage(usage))
            {
                // Boot usage blocks stay with their section and are reused if it comes back.
                Volatile.Write(ref *(nint*)&ms->Usage, 0);
                _reclaimer.RetireUsage(usage);
            }

            memmap = (TPage*)((word & _sectionMapMask) + SectionNrToPfnCore(nr) * (ulong)sizeof(TPage));
        }

        if (!_vmemmap && memmap != null)
        {
            _reclaimer.RetireClassicMemmap(memmap, nr);
        }
        else if (_vmemmap && !early)
        {
            RetireVmemmap(pfn * (ulong)sizeof(TPage), nrPages * (ulong)sizeof(TPage));
        }
        else if (_vmemmap && empty)
        {
            RetireVmemmap(SectionNrToPfnCore(nr) * (ulong)sizeof(TPage), _memmapBytesPerSection);
        }

        if (empty)
        {
            // Classic: the word keeps the memmap pointer (no flags: not present, not valid) until the
            // memmap is freed, so that page_to_pfn of a page a reader still holds gives its pfn.
            Volatile.Write(ref ms->SectionMemMap, _vmemmap ? 0 : (nuint)(word & _sectionMapMask));
            _present.Remove(nr);
        }
    }

    // The pages of [pfn, end): everything but Flags cleared, then the links (zone, node, section)
    // stored in Flags. Word by word, so that a reader of a page that was already valid (a hole of a
    // boot section) sees each word either old or new.
    private void InitPages(TPage* biased, ulong pfn, ulong end, int nid, bool device)
    {
        int deviceZone = device ? ZoneRule.IndexOf(Zones.Device) : -1;
        while (pfn < end)
        {
            ulong zoneEnd = device ? end : ZoneRule.ZoneEnd(pfn);
            ulong stop = zoneEnd < end && zoneEnd > pfn ? zoneEnd : end;
            ulong links = 0;
            PageFlags.SetLinks(ref links, device ? deviceZone : ZoneRule.ZoneFor(pfn), nid, pfn);
            for (; pfn < stop; pfn++)
            {
                PageDescriptor<TPage>.Reinitialise(biased + pfn, links);
            }
        }
    }

    // The subsection bits of [pfn, pfn + nrPages) within one section, as word index and mask pairs.
    private void SubsectionMask(ulong pfn, ulong nrPages, Span<ulong> masks)
    {
        ulong first = (pfn >> _pfnSubsectionShift) & _subsectionIndexMask;
        ulong last = ((pfn + nrPages - 1) >> _pfnSubsectionShift) & _subsectionIndexMask;
        masks.Clear();
        for (ulong bit = first; bit <= last; bit++)
        {
            masks[(int)(bit >> 6)] |= 1UL << (int)(bit & 63);
        }
    }

    private bool SubsectionMaskIntersects(ulong* map, ulong pfn, ulong nrPages)
    {
        Span<ulong> masks = stackalloc ulong[_subsectionWords];
        SubsectionMask(pfn, nrPages, masks);
        for (int i = 0; i < masks.Length; i++)
        {
            if ((map[i] & masks[i]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool SubsectionMaskCovered(ulong* map, ulong pfn, ulong nrPages)
    {
        if (map == null)
        {
            return false;
        }

        Span<ulong> masks = stackalloc ulong[_subsectionWords];
        SubsectionMask(pfn, nrPages, masks);
        for (int i = 0; i < masks.Length; i++)
        {
            if ((map[i] & masks[i]) != masks[i])
            {
                return false;
            }
        }

        return true;
    }

    // fill_subsection_map after its checks: OR the bits in, each word with release semantics.
    private void SetSubsectionBits(ulong* map, ulong pfn, ulong nrPages)
    {
        Span<ulong> masks = stackalloc ulong[_subsectionWords];
        SubsectionMask(pfn, nrPages, masks);
        for (int i = 0; i < masks.Length; i++)
        {
            if (masks[i] != 0)
            {
                Volatile.Write(ref map[i], map[i] | masks[i]);
            }
        }
    }

    // clear_subsection_map after its checks; returns is_subsection_map_empty.
    private bool ClearSubsectionBits(ulong* map, ulong pfn, ulong nrPages)
    {
        Span<ulong> masks = stackalloc ulong[_subsectionWords];
        SubsectionMask(pfn, nrPages, masks);
        bool empty = true;
        for (int i = 0; i < masks.Length; i++)
        {
            if (masks[i] != 0)
            {
                Volatile.Write(ref map[i], map[i] & ~masks[i]);
            }

            empty &= map[i] == 0;
        }

        return empty;
    }
}
