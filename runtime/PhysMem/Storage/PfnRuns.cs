using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks;

namespace PhysMem;

// Helpers the storages share: finding the run that may hold a pfn, and set_page_links over a run.
internal static unsafe class PfnRuns
{
    /// <summary>Above this many pages, struct page init is split across threads, in pieces of at most this many.</summary>
    public const ulong ParallelInitPages = 1UL << 18;

    // The threads init may use: 0 for the processor count. Thread-static so that a test can build
    // one storage serially and one in parallel without touching other tests' storages.
    [ThreadStatic]
    private static int t_initThreads;

    /// <summary>The threads the next storage built on this thread uses for its init; 0 for the processor count.</summary>
    public static int InitThreadsOnThisThread
    {
        get => t_initThreads;
        set => t_initThreads = value;
    }

    /// <summary>The threads for <paramref name="work"/> independent pieces: at most one per piece and per processor (or the override).</summary>
    public static int InitThreads(int work) => Math.Max(1, Math.Min(work, t_initThreads > 0 ? t_initThreads : Environment.ProcessorCount));

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
        SetLinksCore(firstPage, run, rule, flags);
    }

    /// <summary>
    /// set_page_links for every page of every run, in pieces of at most <see cref="ParallelInitPages"/>
    /// spread across threads when there are more than that many pages (pieces share no page, and a
    /// page's word depends only on its pfn and node, so the result is the serial one).
    /// </summary>
    /// <typeparam name="TPage">The frame descriptor type.</typeparam>
    /// <param name="runs">Each run with the address of its first page.</param>
    /// <param name="rule">Which zone each pfn is in.</param>
    /// <param name="flags">The layout's page->flags accessors.</param>
    /// <param name="populate">
    /// Fault each piece in (MADV_POPULATE_WRITE) on the thread that fills it, just before: a memmap
    /// advised for huge pages but not populated where it was mapped is then faulted in parallel, where
    /// one call over the whole of it would fault it in on one thread.
    /// </param>
    public static void SetLinks<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>(List<(nint FirstPage, PfnRange Run)> runs, ZoneRule rule, PageFlags flags, bool populate = false)
        where TPage : unmanaged
    {
        var pieces = new List<(nint FirstPage, PfnRange Run)>();
        ulong total = 0;
        foreach (var (firstPage, run) in runs)
        {
            for (ulong start = run.Start, end; start < run.End; start = end)
            {
                end = run.End - start > ParallelInitPages ? start + ParallelInitPages : run.End;
                pieces.Add((firstPage + (nint)((start - run.Start) * (ulong)sizeof(TPage)), new PfnRange(start, end, run.Node)));
                total += end - start;
            }
        }

        int threads = total > ParallelInitPages ? InitThreads(pieces.Count) : 1;
        if (threads <= 1)
        {
            foreach (var (firstPage, run) in pieces)
            {
                Fill((TPage*)firstPage, run, rule, flags, populate);
            }

            return;
        }

        Parallel.For(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => Fill((TPage*)pieces[i].FirstPage, pieces[i].Run, rule, flags, populate));
    }

    private static void Fill<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>(TPage* firstPage, PfnRange run, ZoneRule rule, PageFlags flags, bool populate)
        where TPage : unmanaged
    {
        if (populate)
        {
            HugePages.Populate(firstPage, (run.End - run.Start) * (ulong)sizeof(TPage));
        }

        SetLinksCore(firstPage, run, rule, flags);
    }

    private static void SetLinksCore<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>(TPage* firstPage, PfnRange run, ZoneRule rule, PageFlags flags)
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
