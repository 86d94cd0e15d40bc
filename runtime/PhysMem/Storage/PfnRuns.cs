using System;
using System.Diagnostics.CodeAnalysis;

namespace PhysMem;

// Helpers the storages share: finding the run that may hold a pfn, and set_page_links over a run.
internal static unsafe class PfnRuns
{
    /// <summary>The index of the last start at or below <paramref name="pfn"/> in ascending <paramref name="starts"/>, or -1.</summary>
    public static int LastStartAtOrBelow(ulong[] starts, ulong pfn)
    {
        int lo = 0;
        int hi = starts.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= pfn)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 1;
    }

    /// <summary>
    /// The part of the first range of ascending, disjoint [<paramref name="starts"/>, <paramref name="ends"/>)
    /// that lies in [<paramref name="lo"/>, <paramref name="hi"/>).
    /// </summary>
    /// <returns>False when no range meets [<paramref name="lo"/>, <paramref name="hi"/>).</returns>
    public static bool FirstRunPart(ulong[] starts, ulong[] ends, ulong lo, ulong hi, out ulong start, out ulong end)
    {
        int i = LastStartAtOrBelow(starts, lo);
        if (i < 0 || lo >= ends[i])
        {
            i++;
        }

        start = i < starts.Length ? Math.Max(lo, starts[i]) : hi;
        end = i < starts.Length ? Math.Min(hi, ends[i]) : hi;
        return start < end;
    }

    /// <summary>
    /// set_page_links for every page of <paramref name="run"/>, a zone run at a time (the flags word
    /// is the same for all pages of one zone run; the memmap is fresh, so the links are the whole word).
    /// </summary>
    /// <typeparam name="TPage">The frame descriptor type.</typeparam>
    /// <param name="firstPage">The page of <c>run.Start</c>.</param>
    /// <param name="run">The pfns, with their node.</param>
    /// <param name="rule">Which zone each pfn is in.</param>
    /// <param name="flags">The layout's page->flags accessors.</param>
    public static void SetLinks<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>(TPage* firstPage, PfnRange run, ZoneRule rule, PageFlags flags)
        where TPage : unmanaged
    {
        TPage* page = firstPage;
        ulong pfn = run.Start;
        while (pfn < run.End)
        {
            ulong zoneEnd = rule.ZoneEnd(pfn);
            ulong stop = zoneEnd < run.End && zoneEnd > pfn ? zoneEnd : run.End;
            ulong word = 0;
            flags.SetLinks(ref word, rule.ZoneFor(pfn), run.Node, pfn);
            for (; pfn < stop; pfn++, page++)
            {
                PageDescriptor<TPage>.WriteFlags(page, word);
            }
        }
    }
}
