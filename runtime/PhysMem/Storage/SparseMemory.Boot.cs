using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace PhysMem;

// Building the storage at construction, step by step as mm/sparse.c does at boot:
// memory_present for every range, sparse_init_nid for each run of present sections on one node,
// subsection_map_init (VMEMMAP), then what free_area_init does for every pageblock that starts in a
// range (MIGRATE_MOVABLE) and for every page of a present section (set_page_links, eager or
// deferred: SparseMemory.Deferred.cs).
public unsafe partial class SparseMemory<TPage>
{
    private void Boot()
    {
        List<PfnRange> runs = WholePageRuns();
        _memblock = PfnRangeSet.From(runs);
        _firstOnlineNode = runs.Count == 0 ? 0 : int.MaxValue;
        foreach (var run in runs)
        {
            _firstOnlineNode = Math.Min(_firstOnlineNode, run.Node);
        }

        _sections.Allocate();
        MarkPresent(runs);
        if (_vmemmap)
        {
            ulong bytes = _nrMemSections * _pagesPerSection * (ulong)sizeof(TPage);
            _vmemmapReservation = VirtualMemoryReservation.Reserve(bytes, "vmemmap");
            _vmemmapBase = (TPage*)_vmemmapReservation.Base;
        }

        InitPresentSections();

        // The eager struct page init runs from here on helper threads (SparseMemory.Deferred.cs)
        // beside the two steps below, which cannot fail and touch no memmap.
        Task[] helpers = BeginEagerInit(runs);
        bool done = false;
        try
        {
            if (_vmemmap)
            {
                foreach (var run in runs)
                {
                    SubsectionMapInit(run.Start, run.End - run.Start);
                }
            }

            InitBootPageblocks(runs);
            done = true;
        }
        finally
        {
            // Last, so that nothing after it can fail once deferred init's workers run.
            FinishEagerInit(helpers, startDeferred: done);
        }
    }

    // The memblock ranges as whole pages. The kernel's memory_present clamps memory above
    // MAX_PHYSMEM_BITS with a warning; here the map is checked before anything is allocated
    // (MemoryMap.CheckFits), so every range is inside the model.
    private List<PfnRange> WholePageRuns()
    {
        var runs = new List<PfnRange>();
        foreach (var range in Map.Ranges)
        {
            ulong start = range.StartPfn(_pageShift);
            ulong end = range.EndPfn(_pageShift);
            if (end <= start)
            {
                _warnings.Add("The memory range " + range + " holds no whole page and was ignored.");
                continue;
            }

            runs.Add(new PfnRange(start, end, range.Node));
        }

        return runs;
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
                MemSection* ms = _sections.Ensure(nr);
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

        // From sorted input the set builds its tree in one pass, where adding the sections one by
        // one rebalanced it each time (2048 sections for 256 GiB).
        _presentSections = present.ToArray();
        _present = new SortedSet<ulong>(_presentSections);
    }

    // sparse_init: the present sections in runs of consecutive present sections whose early node (the
    // one memory_present encoded in the word) is the same; each run is one sparse_init_nid.
    private void InitPresentSections()
    {
        int begin = 0;
        for (int i = 1; i <= _presentSections.Length; i++)
        {
            if (i == _presentSections.Length || SparseEarlyNid(_presentSections[i]) != SparseEarlyNid(_presentSections[begin]))
            {
                InitNodeRun(begin, i);
                begin = i;
            }
        }
    }

    // sparse_early_nid: the node in a word that still holds the early encoding.
    private int SparseEarlyNid(ulong nr) => (int)((ulong)NrToSectionCore(nr)->SectionMemMap >> _sectionNidShift);

    // sparse_init_nid / sparse_init_early_section for one run: one buffer of usage blocks for the run,
    // a memmap for every section, and the encoded pointer with HAS_MEM_MAP | IS_EARLY. Like the
    // kernel, a classic run's memmaps come from one mapping (one mmap instead of one per section),
    // yet each section's part is its own block, so that removing one early section gives back exactly
    // its memmap (free_map_bootmem); VMEMMAP commits each stretch of adjacent sections with one call.
    // The memmaps are mapped and advised here but faulted in by InitSectionPages, which fills them:
    // in parallel, and for deferred sections on the workers, so that deferral defers the memory's
    // cost too (this loop is serial, and populating here cost most of a deferred build).
    private void InitNodeRun(int begin, int end)
    {
        byte* usage = _reclaimer.AllocateBootUsage(end - begin);
        byte* classicRun = _vmemmap ? null : _blocks.AllocateUnpopulatedRun(_memmapBytesPerSection, end - begin);
        for (int i = begin, stretch = begin; _vmemmap && i < end; i++)
        {
            // vmemmap_populate: back the slices of [stretch, i] of the virtual memmap once i ends a
            // stretch, and advise huge pages section by section in one call, so that they back as
            // many sections as are free.
            if (i + 1 == end || _presentSections[i + 1] != _presentSections[i] + 1)
            {
                ulong from = _presentSections[stretch] * _memmapBytesPerSection;
                ulong to = (_presentSections[i] + 1) * _memmapBytesPerSection;
                _vmemmapReservation!.Commit(from, to - from);
                _vmemmapReservation.AdviseHugePageParts(from, _memmapBytesPerSection, i + 1 - stretch);
                _liveMemmap.Add(from, to);
                stretch = i + 1;
            }
        }

        for (int i = begin; i < end; i++)
        {
            ulong nr = _presentSections[i];
            TPage* memmap;
            if (_vmemmap)
            {
                memmap = _vmemmapBase + SectionNrToPfnCore(nr);
            }
            else
            {
                memmap = classicRun != null
                    ? (TPage*)(classicRun + (ulong)(i - begin) * _memmapBytesPerSection)
                    : (TPage*)_blocks.AllocateZeroed(_memmapBytesPerSection, 4096, populate: false);
                _classicMemmapBytes += _memmapBytesPerSection;
            }

            MemSection* ms = NrToSectionCore(nr);
            nuint encoded = EncodeCore(memmap, nr);
            ms->SectionMemMap = (nuint)(((ulong)ms->SectionMemMap & ~_sectionMapMask) | (ulong)encoded | HasMemMap | IsEarly);
            ms->Usage = (ulong*)(usage + (ulong)(i - begin) * _usageStride);
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

    // Sets the links of the pages from 'pfn' up to 'end' or the end of pfn's zone run, whichever
    // comes first; the word is the same for all of them (same zone, node and section).
    private ulong FillLinks(TPage* biasedMemmap, ulong pfn, ulong end, int node)
    {
        ulong zoneEnd = ZoneRule.ZoneEnd(pfn);
        ulong stop = zoneEnd < end && zoneEnd > pfn ? zoneEnd : end;
        ulong word = 0;
        PageFlags.SetLinks(ref word, ZoneRule.ZoneFor(pfn), node, pfn);
        for (; pfn < stop; pfn++)
        {
            // The memmap is fresh (all zeros), so the links are the whole word.
            PageDescriptor<TPage>.WriteFlags(biasedMemmap + pfn, word);
        }

        return stop;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
