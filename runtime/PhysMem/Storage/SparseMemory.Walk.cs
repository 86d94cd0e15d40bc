using System;
using System.Collections.Generic;
using System.Threading;

namespace PhysMem;

// Walking the table (include/linux/mmzone.h for_each_present_section_nr, 6.17 first_valid_pfn /
// next_valid_pfn / for_each_valid_pfn) and early_pfn_to_nid (mm/mm_init.c). All lock-free: they read
// the live table, so a walk that runs beside hotplug sees each section as it is when it gets there.
public unsafe partial class SparseMemory<TPage>
{
    /// <summary>
    /// <c>for_each_present_section_nr</c>: the present sections from <paramref name="startSectionNr"/>
    /// up to <see cref="HighestPresentSectionNr"/>, ascending, read from the table as the walk goes
    /// (EXTREME roots never allocated are skipped whole).
    /// </summary>
    /// <param name="startSectionNr">The first section to look at.</param>
    /// <returns>The section numbers.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public IEnumerable<ulong> ForEachPresentSection(ulong startSectionNr = 0)
    {
        ThrowIfDisposed();
        return Walk(startSectionNr);

        IEnumerable<ulong> Walk(ulong nr)
        {
            while ((nr = NextPresentSectionNr(nr)) != ulong.MaxValue)
            {
                yield return nr;
                nr++;
            }
        }
    }

    /// <summary>
    /// <c>first_valid_pfn</c> (6.17): the first pfn at or after <paramref name="pfn"/> and before
    /// <paramref name="endPfn"/> that has a page, skipping sections without a memmap and (VMEMMAP)
    /// unpopulated subsections; <paramref name="endPfn"/> when there is none.
    /// </summary>
    /// <param name="pfn">Where to start.</param>
    /// <param name="endPfn">The first pfn not to return.</param>
    /// <returns>A valid pfn, or <paramref name="endPfn"/>.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong FirstValidPfn(ulong pfn, ulong endPfn)
    {
        ThrowIfDisposed();
        ulong nr = pfn >> _pfnSectionShift;
        ulong highest = Volatile.Read(ref _highestPresentSectionNr);
        while (nr <= highest && pfn < endPfn)
        {
            MemSection* ms = NrToSectionCore(nr);
            ulong word = ms == null ? 0 : (ulong)Volatile.Read(ref ms->SectionMemMap);
            if ((word & HasMemMap) != 0 && ((word & IsEarly) != 0 || FirstValidInSection(ms, ref pfn)))
            {
                return pfn < endPfn ? pfn : endPfn;
            }

            nr++;
            pfn = SectionNrToPfnCore(nr);
        }

        return endPfn;
    }

    /// <summary>
    /// <c>next_valid_pfn</c> (6.17): the valid pfn after <paramref name="pfn"/> (itself valid). Within
    /// a subsection (VMEMMAP) or a section (classic) every pfn is valid or none is, so only a step onto
    /// a boundary looks at the table again.
    /// </summary>
    /// <param name="pfn">A valid pfn.</param>
    /// <param name="endPfn">The first pfn not to return.</param>
    /// <returns>The next valid pfn, or <paramref name="endPfn"/>.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong NextValidPfn(ulong pfn, ulong endPfn)
    {
        ThrowIfDisposed();
        pfn++;
        if (pfn >= endPfn)
        {
            return endPfn;
        }

        ulong within = (_vmemmap ? _pagesPerSubsection : _pagesPerSection) - 1;
        return (pfn & within) != 0 ? pfn : FirstValidPfn(pfn, endPfn);
    }

    /// <summary><c>for_each_valid_pfn</c>: every pfn of [<paramref name="startPfn"/>, <paramref name="endPfn"/>) that has a page, ascending.</summary>
    /// <param name="startPfn">The first pfn to consider.</param>
    /// <param name="endPfn">The first pfn not to return.</param>
    /// <returns>The valid pfns.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public IEnumerable<ulong> ForEachValidPfn(ulong startPfn, ulong endPfn)
    {
        ThrowIfDisposed();
        return Walk(startPfn, endPfn);

        IEnumerable<ulong> Walk(ulong pfn, ulong end)
        {
            for (pfn = FirstValidPfn(pfn, end); pfn < end; pfn = NextValidPfn(pfn, end))
            {
                yield return pfn;
            }
        }
    }

    /// <inheritdoc/>
    internal override bool NextMemmapPiece(ulong pfn, ulong endPfn, out ulong start, out ulong end, out TPage* first)
    {
        start = FirstValidPfn(pfn, endPfn);
        if (start >= endPfn)
        {
            end = endPfn;
            first = null;
            return false;
        }

        // Classic memmaps are one block per section; the vmemmap is contiguous, but a piece still
        // stops at the section's end (and, past boot, at its first unpopulated subsection).
        MemSection* ms = NrToSectionCore(start >> _pfnSectionShift);
        ulong sectionStart = start & ~(_pagesPerSection - 1);
        end = sectionStart + _pagesPerSection;
        if (_vmemmap && ((ulong)Volatile.Read(ref ms->SectionMemMap) & IsEarly) == 0)
        {
            ulong* map = UsageOf(ms);
            ulong bit = ((start >> _pfnSubsectionShift) & _subsectionIndexMask) + 1;
            while (map != null && bit <= _subsectionIndexMask && (Volatile.Read(ref map[bit >> 6]) & (1UL << (int)(bit & 63))) != 0)
            {
                bit++;
            }

            end = sectionStart + (bit << _pfnSubsectionShift);
        }

        end = end < endPfn ? end : endPfn;
        EnsureDeferredInit(start, end);
        first = PfnToPageCore(start);
        return true;
    }

    /// <summary>
    /// <c>early_pfn_to_nid</c>: the node memblock gives <paramref name="pfn"/> (the boot map's ranges,
    /// plus RAM hot-added since and minus RAM hot-removed, as memblock keeps them with
    /// ARCH_KEEP_MEMBLOCK), or the first online node — the lowest node with memory at boot, 0 when
    /// there was none — for a pfn in no range.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The node.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public int EarlyPfnToNid(ulong pfn)
    {
        ThrowIfDisposed();
        PfnRangeSet memblock = Volatile.Read(ref _memblock);
        int i = memblock.IndexOf(pfn);
        return i >= 0 ? memblock.Ranges[i].Node : _firstOnlineNode;
    }

    // next_present_section_nr: the first present section at or after 'nr', or ulong.MaxValue.
    private ulong NextPresentSectionNr(ulong nr)
    {
        ThrowIfDisposed();
        ulong highest = Volatile.Read(ref _highestPresentSectionNr);
        while (nr <= highest)
        {
            MemSection* ms = NrToSectionCore(nr);
            if (ms == null)
            {
                // A root that was never allocated holds no section: step to the next root.
                nr = _sections.NextRootStart(nr);
                continue;
            }

            if (((ulong)Volatile.Read(ref ms->SectionMemMap) & MarkedPresent) != 0)
            {
                return nr;
            }

            nr++;
        }

        return ulong.MaxValue;
    }

    // pfn_section_first_valid: true when pfn's subsection is populated; otherwise moves pfn to the
    // section's next populated subsection, or returns false when there is none. Always true (pfn
    // unchanged) for classic SPARSEMEM.
    private bool FirstValidInSection(MemSection* ms, ref ulong pfn)
    {
        if (!_vmemmap)
        {
            return true;
        }

        ulong* map = UsageOf(ms);
        if (map == null)
        {
            return false;
        }

        ulong index = (pfn >> _pfnSubsectionShift) & _subsectionIndexMask;
        for (ulong bit = index; bit <= _subsectionIndexMask; bit++)
        {
            if ((Volatile.Read(ref map[bit >> 6]) & (1UL << (int)(bit & 63))) != 0)
            {
                if (bit != index)
                {
                    pfn = (pfn & ~(_pagesPerSection - 1)) + (bit << _pfnSubsectionShift);
                }

                return true;
            }
        }

        return false;
    }
}
