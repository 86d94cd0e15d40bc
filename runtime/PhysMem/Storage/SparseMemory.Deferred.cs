using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PhysMem;

// The struct page init of the boot sections (set_page_links for every page of a present section),
// eager or deferred as CONFIG_DEFERRED_STRUCT_PAGE_INIT does it (mm/mm_init.c: defer_init,
// deferred_init_memmap, deferred_grow_zone, early_page_initialised). Sections are the unit of work:
// each goes Pending -> Running -> Done once, claimed by a worker or by a thread that needs it now
// (the threads are in SparseMemory.DeferredWorkers.cs).
public unsafe partial class SparseMemory<TPage>
{
    private const int Pending = 0;
    private const int Running = 1;
    private const int Done = 2;
    private const int Failed = 3;

    // A gate the workers wait at before they start, taken from the building thread (tests hold
    // deferred init back to race it deterministically); null in normal use.
    [ThreadStatic]
    private static ManualResetEventSlim? t_deferredGate;

    private ManualResetEventSlim? _deferredGate;

    // A section whose deferred init throws, taken from the building thread (tests of the failure
    // path; nothing else makes the init fail); null in normal use.
    [ThreadStatic]
    private static ulong? t_failingSection;

    private ulong? _failingSection;

    private List<PfnRange> _bootRuns = new();
    private ulong[] _eagerSections = Array.Empty<ulong>();
    private ulong[] _deferredAtBoot = Array.Empty<ulong>();
    private int _nextEager;
    private Dictionary<int, ulong> _firstDeferredPfn = new();
    private ulong[] _deferredSections = Array.Empty<ulong>();
    private int[] _deferredState = Array.Empty<int>();
    private int _nextDeferred;
    private int _deferredRemaining;
    private volatile bool _deferredPending;
    private volatile bool _cancelDeferred;
    private int _deferredActive;
    private TaskCompletionSource? _deferredDone;
    private Task _deferredInit = Task.CompletedTask;
    private long _bootPagesInitialized;

    /// <summary>
    /// Completes when the deferred struct page init (<see cref="LayoutSpec.DeferredStructPageInit"/>)
    /// has initialized every boot page, or when <see cref="PageStorage{TPage}.Dispose()"/> stopped it;
    /// completed from the start without deferred init. Await it instead of
    /// <see cref="WaitForDeferredInit"/> to free the thread. Faults with the exception of a section
    /// whose init failed, which no supported input causes (the init writes memory the storage owns);
    /// a reader of that section then throws <see cref="InvalidOperationException"/> instead of waiting.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public Task DeferredInitCompletion => Checked(_deferredInit);

    /// <summary>Whether deferred struct page init still has pages to initialize.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool DeferredInitPending => Checked(_deferredPending);

    /// <summary>A gate the deferred init workers of the next storage built on this thread wait at before they start; null for none.</summary>
    internal static ManualResetEventSlim? DeferredGateOnThisThread
    {
        get => t_deferredGate;
        set => t_deferredGate = value;
    }

    /// <summary>The section whose deferred init throws in the next storage built on this thread; null for none.</summary>
    internal static ulong? FailingSectionOnThisThread
    {
        get => t_failingSection;
        set => t_failingSection = value;
    }

    /// <summary>Pages of boot sections initialized so far, eagerly or deferred: each section adds its pages once.</summary>
    internal long BootPagesInitialized => Interlocked.Read(ref _bootPagesInitialized);

    /// <summary>
    /// Blocks until deferred struct page init is complete (<c>page_alloc_init_late</c> waiting for
    /// <c>pgdat_init_all_done_comp</c>); returns at once without deferred init. The calling thread
    /// does not sit idle: it initializes sections no worker has taken yet, as a worker does, so the
    /// wait never depends on how soon the workers' threads start. Returns as well when
    /// <see cref="PageStorage{TPage}.Dispose()"/> stopped deferred init meanwhile.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void WaitForDeferredInit()
    {
        ThrowIfDisposed();
        if (_deferredPending)
        {
            DeferredWork();
        }

        _deferredInit.GetAwaiter().GetResult();
    }

    /// <summary>
    /// <c>early_page_initialised</c>: false while the page of <paramref name="pfn"/> lies in a boot
    /// section deferred init has not reached yet; true otherwise (every page once
    /// <see cref="DeferredInitCompletion"/> completed, and every pfn without deferred init).
    /// </summary>
    /// <remarks>
    /// A page not yet initialized reads as zeros through <see cref="PfnToPage"/>, which, like the
    /// kernel's, does not check. The checked accessors (<see cref="TryReadPage"/>,
    /// <see cref="TryWithPage"/>, the walks of <see cref="PageStorage{TPage}.WalkMemmap"/>) and
    /// hotplug initialize the section they touch on demand first, as <c>deferred_grow_zone</c>
    /// initializes more pages when the allocator needs them: a reader then never sees a page half
    /// built and never fails for it, and the work is done once whoever comes first.
    /// </remarks>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when the page is initialized (or is not one deferred init will initialize).</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool PageInitialized(ulong pfn)
    {
        ThrowIfDisposed();
        if (!_deferredPending)
        {
            return true;
        }

        int i = Array.BinarySearch(_deferredSections, pfn >> _pfnSectionShift);
        return i < 0 || Volatile.Read(ref _deferredState[i]) == Done;
    }

    /// <summary>
    /// <c>deferred_grow_zone</c> for one page: when deferred struct page init has not reached the
    /// section of <paramref name="pfn"/> yet, initializes that section now (or waits for the thread
    /// initializing it), so that <see cref="PfnToPage"/> then gives an initialized page. Returns at
    /// once when the page is initialized, without deferred init, and for a pfn no boot section holds.
    /// A generated model with <c>DeferredStructPageInit</c> calls it from its checked
    /// <c>PfnToPageRef</c>.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void EnsurePageInitialized(ulong pfn)
    {
        ThrowIfDisposed();
        if (!_deferredPending)
        {
            return;
        }

        // Not inside a read section, so Dispose must see this thread before it frees the memmap.
        if (!EnterDeferredWork())
        {
            ThrowDisposed();
        }

        try
        {
            // pfn + 1 wraps to 0 for the last pfn, which no section holds: EnsureDeferredInit then does nothing.
            EnsureDeferredInit(pfn, pfn + 1);
        }
        finally
        {
            LeaveDeferredWork();
        }
    }

    /// <summary>
    /// <c>pgdat-&gt;first_deferred_pfn</c> as boot set it: the first pfn of node <paramref name="nid"/>
    /// whose init was deferred, or <see cref="ulong.MaxValue"/> when none was (no deferred init, a node
    /// without memory, or one whose highest zone holds no more than a section of pages).
    /// </summary>
    /// <param name="nid">A node.</param>
    /// <returns>The pfn.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong FirstDeferredPfn(int nid)
    {
        ThrowIfDisposed();
        return _firstDeferredPfn.TryGetValue(nid, out ulong pfn) ? pfn : ulong.MaxValue;
    }

    // Boot's last step, begun before the subsection maps and pageblocks are set: the sections below
    // their node's first_deferred_pfn are split off and helper threads start filling them while the
    // constructing thread sets those (they write usage blocks, the fill writes memmaps: the two never
    // meet), so that the serial steps cost no time beside the fill. Returns the helpers;
    // FinishEagerInit joins them.
    private Task[] BeginEagerInit(List<PfnRange> runs)
    {
        _bootRuns = runs;
        if (Layout.Spec.DeferredStructPageInit)
        {
            _firstDeferredPfn = FirstDeferredPfns(runs);
        }

        var eager = new List<ulong>();
        var deferred = new List<ulong>();
        foreach (ulong nr in _presentSections)
        {
            bool defer = _firstDeferredPfn.TryGetValue(_sectionToNode[nr], out ulong first) && SectionNrToPfnCore(nr) >= first;
            (defer ? deferred : eager).Add(nr);
        }

        _eagerSections = eager.ToArray();
        _deferredAtBoot = deferred.ToArray();
        int threads = PfnRuns.InitThreads((ulong)_eagerSections.Length * _pagesPerSection > PfnRuns.ParallelInitPages ? _eagerSections.Length : 1);
        var helpers = new Task[threads - 1];
        for (int w = 0; w < helpers.Length; w++)
        {
            helpers[w] = Task.Run(FillEagerSections);
        }

        return helpers;
    }

    // The constructing thread fills what the helpers have not taken, waits for them (running a helper
    // itself if the pool has not started it yet), then starts deferred init. Also called when a step
    // between the two failed, so that no helper writes memmap once it is freed.
    private void FinishEagerInit(Task[] helpers, bool startDeferred)
    {
        FillEagerSections();
        Task.WaitAll(helpers);
        if (startDeferred && _deferredAtBoot.Length > 0)
        {
            StartDeferredInit(_deferredAtBoot);
        }
    }

    private void FillEagerSections()
    {
        for (int i; (i = Interlocked.Increment(ref _nextEager) - 1) < _eagerSections.Length;)
        {
            InitSectionPages(_eagerSections[i]);
        }
    }

    // defer_init (mm/mm_init.c): lower zones of a node are always initialized; in the zone that
    // reaches the node's end, the first PAGES_PER_SECTION pages of memory are, and first_deferred_pfn
    // is the next section-aligned pfn of memory after them. Holes are not counted, as memmap_init
    // walks memblock's ranges. A section here is deferred whole when it starts at or above its node's
    // first_deferred_pfn (which is section aligned), its holes with it.
    private Dictionary<int, ulong> FirstDeferredPfns(List<PfnRange> runs)
    {
        var nodeEnd = new Dictionary<int, ulong>();
        foreach (var run in runs)
        {
            nodeEnd[run.Node] = nodeEnd.TryGetValue(run.Node, out ulong end) ? Math.Max(end, run.End) : run.End;
        }

        var result = new Dictionary<int, ulong>();
        foreach (var (nid, end) in nodeEnd)
        {
            int lastZone = ZoneRule.ZoneFor(end - 1);
            ulong counted = 0;
            foreach (var run in runs)
            {
                for (ulong pfn = run.Start, stop; run.Node == nid && pfn < run.End && !result.ContainsKey(nid); pfn = stop)
                {
                    ulong zoneEnd = ZoneRule.ZoneEnd(pfn);
                    stop = zoneEnd > pfn && zoneEnd < run.End ? zoneEnd : run.End;
                    if (ZoneRule.ZoneFor(pfn) != lastZone)
                    {
                        continue;
                    }

                    // The first pfn whose count passes PAGES_PER_SECTION, then the first aligned one.
                    ulong past = counted >= _pagesPerSection ? pfn : pfn + (_pagesPerSection - counted);
                    ulong aligned = (past + _pagesPerSection - 1) & ~(_pagesPerSection - 1);
                    if (aligned < stop)
                    {
                        result[nid] = aligned;
                    }

                    counted += stop - pfn;
                }
            }
        }

        return result;
    }

    // set_page_links for every page of section 'nr': pages inside a boot range take the range's node,
    // pages of the section in a hole take the section's node.
    private void InitSectionPages(ulong nr)
    {
        ulong sectionStart = SectionNrToPfnCore(nr);
        ulong sectionEnd = sectionStart + _pagesPerSection;
        TPage* biased = PfnToPageCore(sectionStart) - sectionStart;
        List<PfnRange> runs = _bootRuns;

        // The first run that ends after the section starts.
        int lo = 0;
        int hi = runs.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            (lo, hi) = runs[mid].End <= sectionStart ? (mid + 1, hi) : (lo, mid);
        }

        for (int j = lo; sectionStart < sectionEnd;)
        {
            while (j < runs.Count && runs[j].End <= sectionStart)
            {
                j++;
            }

            bool inRun = j < runs.Count && runs[j].Start <= sectionStart;
            ulong segmentEnd = inRun ? Math.Min(runs[j].End, sectionEnd) : j < runs.Count ? Math.Min(runs[j].Start, sectionEnd) : sectionEnd;
            int node = inRun ? runs[j].Node : _sectionToNode[nr];
            while (sectionStart < segmentEnd)
            {
                sectionStart = FillLinks(biased, sectionStart, segmentEnd, node);
            }
        }

        Interlocked.Add(ref _bootPagesInitialized, (long)_pagesPerSection);
    }
}
