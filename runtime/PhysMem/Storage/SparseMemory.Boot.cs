using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

// Building the storage at construction, step by step as mm/sparse.c does at boot:
// memory_present for every range, sparse_init_nid for the present sections,
// subsection_map_init (VMEMMAP), and set_page_links for every page of a present section.
public sealed unsafe partial class SparseMemory
{
    private void Boot()
    {
        List<PfnRange> runs = ClampRanges();
        AllocateSectionTable();
        MarkPresent(runs);
        if (_vmemmap)
        {
            ulong bytes = _nrMemSections * _pagesPerSection * (ulong)sizeof(Page);
            _vmemmapReservation = VirtualMemoryReservation.Reserve(bytes, "vmemmap");
            _vmemmapBase = (Page*)_vmemmapReservation.Base;
        }

        InitPresentSections();
        if (_vmemmap)
        {
            foreach (var run in runs)
            {
                SubsectionMapInit(run.Start, run.End - run.Start);
            }
        }

        SetPageLinks(runs);
    }

    // The memblock ranges as whole pages, clamped to the highest pfn the model describes
    // (1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT)), as memory_present clamps them.
    private List<PfnRange> ClampRanges()
    {
        var runs = new List<PfnRange>();
        int maxNodes = Layout.MaxNumnodes;
        foreach (var range in Map.Ranges)
        {
            if (range.Node >= maxNodes)
            {
                throw new ArgumentException(
                    "The memory range " + range + " is on node " + Str(range.Node) + ", but the layout has NODES_SHIFT = " + Str(Layout.NodesShift)
                    + " (MAX_NUMNODES = " + Str(maxNodes) + "); raise NodesShift or renumber the nodes.", "map");
            }

            ulong start = range.StartPfn(_pageShift);
            ulong end = range.EndPfn(_pageShift);
            if (end <= start)
            {
                _warnings.Add("The memory range " + range + " holds no whole page and was ignored.");
                continue;
            }

            if (start >= _maxPfn)
            {
                _warnings.Add("The memory range " + range + " lies entirely above MAX_PHYSMEM_BITS = " + Str(Layout.MaxPhysmemBits) + " and was ignored.");
                continue;
            }

            if (end > _maxPfn)
            {
                _warnings.Add("The memory range " + range + " reaches above MAX_PHYSMEM_BITS = " + Str(Layout.MaxPhysmemBits) + " and was clamped to pfn 0x"
                    + _maxPfn.ToString("x", CultureInfo.InvariantCulture) + ".");
                end = _maxPfn;
            }

            runs.Add(new PfnRange(start, end, range.Node));
        }

        return runs;
    }

    private void AllocateSectionTable()
    {
        if (_extreme)
        {
            // memblocks_present: the array of NR_SECTION_ROOTS root pointers, all null.
            ulong bytes = _nrSectionRoots * (ulong)sizeof(MemSection*);
            _roots = (MemSection**)_blocks.AllocateZeroed(bytes, 64);
            _rootBytes = bytes;
        }
        else
        {
            // The static mem_section[NR_MEM_SECTIONS][1] array: like the kernel's BSS, only the
            // pages that are touched get memory behind them.
            ulong bytes = _nrMemSections * (ulong)sizeof(MemSection);
            _tableReservation = VirtualMemoryReservation.Reserve(bytes, "mem_section table");
            _tableReservation.Commit(0, bytes);
            _table = (MemSection*)_tableReservation.Base;
        }
    }

    // memory_present for each run: allocate the root (sparse_index_init), record the node, and
    // give a fresh section the early encoding nid << SECTION_NID_SHIFT | IS_ONLINE | PRESENT.
    private void MarkPresent(List<PfnRange> runs)
    {
        ulong highest = 0;
        bool any = false;
        foreach (var run in runs)
        {
            ulong last = (run.End - 1) >> _pfnSectionShift;
            highest = any && highest > last ? highest : last;
            any = true;
        }

        _sectionToNode = new SectionNodeTable(highest, any);
        var present = new List<ulong>();
        foreach (var run in runs)
        {
            ulong first = run.Start >> _pfnSectionShift;
            ulong last = (run.End - 1) >> _pfnSectionShift;
            for (ulong nr = first; nr <= last; nr++)
            {
                MemSection* ms = EnsureSection(nr, run.Node);
                _sectionToNode[nr] = run.Node;
                if (ms->SectionMemMap == 0)
                {
                    ms->SectionMemMap = (nuint)(((ulong)run.Node << _sectionNidShift) | IsOnline | MarkedPresent);
                    _highestPresentSectionNr = nr > _highestPresentSectionNr ? nr : _highestPresentSectionNr;
                }

                // Ranges are sorted and disjoint, so section numbers arrive in ascending order.
                if (present.Count == 0 || present[present.Count - 1] != nr)
                {
                    present.Add(nr);
                }
            }
        }

        _presentSections = present.ToArray();
    }

    // sparse_index_init: with EXTREME, the root holding 'nr' is allocated (zeroed) on first use.
    private MemSection* EnsureSection(ulong nr, int node)
    {
        if (!_extreme)
        {
            return _table + nr;
        }

        _ = node; // The kernel allocates the root on the range's node; the host has one pool.
        ulong root = nr >> _sectionRootShift;
        if (_roots[root] == null)
        {
            ulong bytes = (_sectionRootMask + 1) * (ulong)sizeof(MemSection);
            _roots[root] = (MemSection*)_blocks.AllocateZeroed(bytes, 64);
            _rootBytes += bytes;
            _allocatedRoots++;
        }

        return _roots[root] + (nr & _sectionRootMask);
    }

    // sparse_init_nid / sparse_init_early_section for every present section: a memmap for the
    // whole section, a usage block, and the encoded pointer with HAS_MEM_MAP | IS_EARLY.
    private void InitPresentSections()
    {
        int count = _presentSections.Length;
        if (count == 0)
        {
            return;
        }

        ulong usageBytes = (ulong)count * _usageStride;
        byte* usage = (byte*)_blocks.AllocateZeroed(usageBytes, 64);
        _usageBytes = usageBytes;
        ulong memmapBytes = _pagesPerSection * (ulong)sizeof(Page);
        for (int i = 0; i < count; i++)
        {
            ulong nr = _presentSections[i];
            Page* memmap;
            if (_vmemmap)
            {
                // vmemmap_populate: back this section's slice of the virtual memmap.
                _vmemmapReservation!.Commit(nr * memmapBytes, memmapBytes);
                _vmemmapReservation.AdviseHugePages(nr * memmapBytes, memmapBytes);
                memmap = _vmemmapBase + SectionNrToPfnCore(nr);
            }
            else
            {
                memmap = (Page*)_blocks.AllocateZeroed(memmapBytes, 4096);
                _classicMemmapBytes += memmapBytes;
            }

            MemSection* ms = NrToSectionCore(nr);
            nuint encoded = EncodeCore(memmap, nr);
            ms->SectionMemMap = (nuint)(((ulong)ms->SectionMemMap & ~_sectionMapMask) | (ulong)encoded | HasMemMap | IsEarly);
            ms->Usage = (ulong*)(usage + (ulong)i * _usageStride);
        }
    }

    // subsection_map_init: set the subsection bits of [pfn, pfn + count) in every section it touches.
    private void SubsectionMapInit(ulong pfn, ulong count)
    {
        while (count > 0)
        {
            ulong nr = pfn >> _pfnSectionShift;
            ulong inSection = _pagesPerSection - (pfn & (_pagesPerSection - 1));
            ulong pages = count < inSection ? count : inSection;
            ulong* map = NrToSectionCore(nr)->Usage;
            ulong firstBit = (pfn >> _pfnSubsectionShift) & _subsectionIndexMask;
            ulong lastBit = ((pfn + pages - 1) >> _pfnSubsectionShift) & _subsectionIndexMask;
            for (ulong bit = firstBit; bit <= lastBit; bit++)
            {
                map[bit >> 6] |= 1UL << (int)(bit & 63);
            }

            pfn += pages;
            count -= pages;
        }
    }

    // set_page_links for every page of every present section. Pages inside a range take the
    // range's node; pages of a present section that lie in a hole take the section's node.
    private void SetPageLinks(List<PfnRange> runs)
    {
        int j = 0;
        foreach (ulong nr in _presentSections)
        {
            ulong sectionStart = SectionNrToPfnCore(nr);
            ulong sectionEnd = sectionStart + _pagesPerSection;
            Page* memmap = PfnToPageCore(sectionStart);
            ulong pfn = sectionStart;
            while (pfn < sectionEnd)
            {
                while (j < runs.Count && runs[j].End <= pfn)
                {
                    j++;
                }

                ulong segmentEnd;
                int node;
                if (j < runs.Count && runs[j].Start <= pfn)
                {
                    segmentEnd = Math.Min(runs[j].End, sectionEnd);
                    node = runs[j].Node;
                }
                else
                {
                    segmentEnd = j < runs.Count ? Math.Min(runs[j].Start, sectionEnd) : sectionEnd;
                    node = _sectionToNode[nr];
                }

                while (pfn < segmentEnd)
                {
                    pfn = FillLinks(memmap - sectionStart, pfn, segmentEnd, node);
                }
            }
        }
    }

    // Sets the links of the pages from 'pfn' up to 'end' or the end of pfn's zone run, whichever
    // comes first; the word is the same for all of them (same zone, node and section).
    private ulong FillLinks(Page* biasedMemmap, ulong pfn, ulong end, int node)
    {
        ulong zoneEnd = ZoneRule.ZoneEnd(pfn);
        ulong stop = zoneEnd < end && zoneEnd > pfn ? zoneEnd : end;
        ulong word = 0;
        PageFlags.SetLinks(ref word, ZoneRule.ZoneFor(pfn), node, pfn);
        for (; pfn < stop; pfn++)
        {
            // The memmap is fresh (all zeros), so the links are the whole word.
            biasedMemmap[pfn].Flags = word;
        }

        return stop;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
