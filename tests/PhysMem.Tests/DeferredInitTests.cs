using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// CONFIG_DEFERRED_STRUCT_PAGE_INIT (mm/mm_init.c defer_init, deferred_init_memmap,
// deferred_grow_zone) and the parallel eager init: the same memmap as a serial eager build, every
// boot page initialized exactly once, also while readers and hotplug race the workers.
public unsafe class DeferredInitTests
{
    // Node 0: 1 MiB to 2 GiB (sections 0..15, ZONE_DMA then ZONE_DMA32); node 1: 4 GiB to 6 GiB
    // (sections 32..47, ZONE_NORMAL). 32 present sections.
    internal static readonly MemoryMap TwoNodes = MemoryMap.FromRanges(
        new MemoryRange(0x10_0000, 0x8000_0000),
        new MemoryRange(0x1_0000_0000, 0x1_8000_0000, 1));

    private const int PresentSections = 32;

    public static TheoryData<bool, bool> Variants => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    private static LayoutSpec Spec(bool vmemmap, bool extreme, bool deferred) => HotplugState.Spec(vmemmap, extreme, device: false) with { DeferredStructPageInit = deferred };

    private static SparseMemory Build(bool vmemmap, bool extreme, bool deferred, int threads = 0, ManualResetEventSlim? gate = null, MemoryMap? map = null)
    {
        PfnRuns.InitThreadsOnThisThread = threads;
        SparseMemory.DeferredGateOnThisThread = gate;
        try
        {
            return new SparseMemory(MemoryLayout.Create(Spec(vmemmap, extreme, deferred)), map ?? TwoNodes);
        }
        finally
        {
            PfnRuns.InitThreadsOnThisThread = 0;
            SparseMemory.DeferredGateOnThisThread = null;
        }
    }

    [Fact]
    public void First_deferred_pfn_is_the_section_after_one_section_of_the_highest_zone()
    {
        using var mem = Build(vmemmap: true, extreme: true, deferred: true);

        // Node 0's highest zone is DMA32, from pfn 0x1000: 32768 pages later is pfn 0x9000, and the
        // next section boundary is 0x10000. Node 1 is all NORMAL from 0x100000: 0x108000.
        Assert.Equal(0x10000UL, mem.FirstDeferredPfn(0));
        Assert.Equal(0x108000UL, mem.FirstDeferredPfn(1));
        Assert.Equal(ulong.MaxValue, mem.FirstDeferredPfn(2));
        mem.WaitForDeferredInit();

        // The boot map of the hotplug tests: node 1 has 1024 pages, less than a section, so nothing of it is deferred.
        using var small = new SparseMemory(MemoryLayout.Create(HotplugState.Spec(true, true, device: false) with { DeferredStructPageInit = true }), BootMap);
        Assert.Equal(ulong.MaxValue, small.FirstDeferredPfn(1));
        Assert.Equal(Pfn(2), small.FirstDeferredPfn(0));
    }

    [Fact]
    public void Without_lower_zones_only_the_first_section_of_each_node_is_initialized_up_front()
    {
        // A PC's memory on two nodes: 4 KiB-639 KiB, 1 MiB-3 GiB and 4-6 GiB on node 0, 6-8 GiB on node 1.
        var map = MemoryMap.FromRanges(
            new MemoryRange(0x1000, 0x9_f000),
            new MemoryRange(0x10_0000, 0xC000_0000),
            new MemoryRange(0x1_0000_0000, 0x1_8000_0000),
            new MemoryRange(0x1_8000_0000, 0x2_0000_0000, 1));
        var x86 = HotplugState.Spec(vmemmap: true, extreme: true, device: false) with { DeferredStructPageInit = true };
        using var gate = new ManualResetEventSlim(false);
        SparseMemory.DeferredGateOnThisThread = gate;
        try
        {
            // x86-64's zones: node 0's DMA and DMA32 (its 24 sections below 3 GiB) are always initialized, then one
            // section of NORMAL from pfn 0x100000; node 1 is NORMAL from 0x180000. 26 sections up front.
            using var pc = new SparseMemory(MemoryLayout.Create(x86), map);
            Assert.Equal(0x108000UL, pc.FirstDeferredPfn(0));
            Assert.Equal(0x188000UL, pc.FirstDeferredPfn(1));
            Assert.Equal((long)(26 * PagesPerSection), pc.BootPagesInitialized);

            // A kernel built with ZONE_NORMAL alone (arm64 allows ZONE_DMA and ZONE_DMA32 off): everything is the
            // highest zone. Counting node 0's pages from pfn 1 (158 below the legacy hole, then from 0x100),
            // the 32769th is pfn 0x8062, and the next section boundary is 0x10000: sections 0 and 1 up front,
            // and one of node 1. 3 sections up front.
            using var normalOnly = new SparseMemory(MemoryLayout.Create(x86 with { Zones = Zones.Normal | Zones.Movable }), map);
            Assert.Equal(0x10000UL, normalOnly.FirstDeferredPfn(0));
            Assert.Equal(0x188000UL, normalOnly.FirstDeferredPfn(1));
            Assert.Equal((long)(3 * PagesPerSection), normalOnly.BootPagesInitialized);
            Assert.False(normalOnly.PageInitialized(0x20000));
            Assert.True(pc.PageInitialized(0x20000));

            gate.Set();
            pc.WaitForDeferredInit();
            normalOnly.WaitForDeferredInit();
            Assert.Equal(pc.BootPagesInitialized, normalOnly.BootPagesInitialized);
        }
        finally
        {
            SparseMemory.DeferredGateOnThisThread = null;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Deferred_init_ends_with_the_eager_memmap_and_each_page_written_once(bool vmemmap, bool extreme)
    {
        using var eager = Build(vmemmap, extreme, deferred: false);
        using var deferred = Build(vmemmap, extreme, deferred: true);
        Assert.False(eager.DeferredInitPending);
        Assert.True(eager.DeferredInitCompletion.IsCompleted);

        // Below first_deferred_pfn every page is ready when the constructor returns.
        Assert.True(deferred.PageInitialized(0x100));
        Assert.True(deferred.PageInitialized(Pfn(32) + 5));
        Assert.Equal(eager.PfnToPage(0x1234)->Flags, deferred.PfnToPage(0x1234)->Flags);

        deferred.WaitForDeferredInit();
        Assert.False(deferred.DeferredInitPending);
        AssertSameFlags(eager, deferred);
        Assert.Equal(PresentSections * (long)PagesPerSection, eager.BootPagesInitialized);
        Assert.Equal(PresentSections * (long)PagesPerSection, deferred.BootPagesInitialized);
        for (ulong pfn = 0; pfn < Pfn(48); pfn += 4099)
        {
            Assert.True(deferred.PageInitialized(pfn));
        }
    }

    [Fact]
    public void A_page_not_yet_initialized_is_initialized_on_demand_by_the_checked_readers()
    {
        using var gate = new ManualResetEventSlim(false);
        using var eager = Build(vmemmap: true, extreme: false, deferred: false);
        using var mem = Build(vmemmap: true, extreme: false, deferred: true, gate: gate);

        ulong pfn = Pfn(7) + 123;
        Assert.False(mem.PageInitialized(pfn));
        Assert.Equal(0UL, mem.PfnToPage(pfn)->Flags); // the unchecked pfn_to_page sees the raw memmap
        Assert.True(mem.TryReadPage(pfn, out Page page));
        Assert.Equal(eager.PfnToPage(pfn)->Flags, page.Flags);
        Assert.True(mem.PageInitialized(pfn));
        Assert.False(mem.PageInitialized(Pfn(8)));

        // A walk initializes each section before handing out its span.
        foreach (MemmapChunk<Page> chunk in mem.WalkMemmap(Pfn(40), Pfn(41)))
        {
            Assert.Equal(eager.PfnToPage(chunk.StartPfn)->Flags, chunk.Pages[0].Flags);
        }

        Assert.True(mem.PageInitialized(Pfn(40)));
        gate.Set();
        mem.WaitForDeferredInit();
        AssertSameFlags(eager, mem);
        Assert.Equal(PresentSections * (long)PagesPerSection, mem.BootPagesInitialized);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Readers_and_workers_race_and_every_page_is_initialized_exactly_once(bool vmemmap)
    {
        using var gate = new ManualResetEventSlim(false);
        using var eager = Build(vmemmap, extreme: true, deferred: false);
        using var mem = Build(vmemmap, extreme: true, deferred: true, threads: 2, gate: gate);
        var failures = new ConcurrentQueue<string>();
        var readers = StartReaders(3, seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 3000; i++)
            {
                ulong pfn = random.Next(2) == 0 ? (ulong)random.Next(0x1000, 0x8_0000) : 0x10_0000 + (ulong)random.Next(0x8_0000);
                if (i == 100 && seed == 0)
                {
                    gate.Set();
                }

                if (!mem.TryReadPage(pfn, out Page page) || page.Flags != eager.PfnToPage(pfn)->Flags)
                {
                    failures.Enqueue("pfn 0x" + pfn.ToString("x") + " read wrong");
                    return;
                }
            }
        }, failures);
        foreach (var reader in readers)
        {
            reader.Join();
        }

        gate.Set();
        mem.WaitForDeferredInit();
        Assert.Empty(failures);
        AssertSameFlags(eager, mem);
        Assert.Equal(PresentSections * (long)PagesPerSection, mem.BootPagesInitialized);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hotplug_during_deferred_init_is_safe_and_gives_the_eager_result(bool vmemmap)
    {
        using var gate = new ManualResetEventSlim(false);
        using var eager = Build(vmemmap, extreme: true, deferred: false);
        using var mem = Build(vmemmap, extreme: true, deferred: true, threads: 2, gate: gate);
        foreach (var storage in new[] { eager, mem })
        {
            // Remove a deferred section, put it back, and add new memory beyond the boot map.
            storage.OfflineSections(Pfn(9), PagesPerSection);
            storage.RemoveMemory(Pfn(9), PagesPerSection);
            storage.AddMemory(Pfn(9), PagesPerSection, 0);
            storage.AddMemory(Pfn(60), 2 * PagesPerSection, 1);
            storage.OfflineSections(Pfn(45), PagesPerSection);
            storage.RemoveMemory(Pfn(45), PagesPerSection);
            if (storage == mem)
            {
                gate.Set();
            }
        }

        mem.WaitForDeferredInit();
        mem.Synchronize();
        AssertSameFlags(eager, mem);

        // The removed sections were initialized once before they went; re-adding is hotplug's init, not boot's.
        Assert.Equal(PresentSections * (long)PagesPerSection, mem.BootPagesInitialized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dispose_during_deferred_init_stops_the_workers_safely(bool held)
    {
        using var gate = new ManualResetEventSlim(false);
        var mem = Build(vmemmap: false, extreme: true, deferred: true, gate: held ? gate : null);
        Task completion = mem.DeferredInitCompletion;
        mem.Dispose();

        // Dispose returned only after every thread inside a section left it (a worker that starts
        // later takes none): nothing writes the freed memmap later, and the completion is set.
        Assert.True(completion.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => mem.WaitForDeferredInit());
        Assert.Throws<ObjectDisposedException>(() => mem.PageInitialized(0));
        gate.Set();
        mem.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_waiting_thread_initializes_what_no_worker_took(bool vmemmap)
    {
        // The workers are held at the gate for the whole test: only the waiting thread can do the work.
        using var gate = new ManualResetEventSlim(false);
        using var eager = Build(vmemmap, extreme: true, deferred: false);
        using var mem = Build(vmemmap, extreme: true, deferred: true, threads: 2, gate: gate);
        Assert.True(mem.DeferredInitPending);
        Assert.False(mem.PageInitialized(Pfn(40)));

        Exception? failure = null;
        var waiter = new Thread(() =>
        {
            try
            {
                mem.WaitForDeferredInit();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true };
        waiter.Start();
        Assert.True(waiter.Join(TimeSpan.FromSeconds(30)), "WaitForDeferredInit did not return while the workers were held");
        Assert.Null(failure);
        Assert.True(mem.DeferredInitCompletion.IsCompletedSuccessfully);
        Assert.False(mem.DeferredInitPending);
        AssertSameFlags(eager, mem);
        Assert.Equal(PresentSections * (long)PagesPerSection, mem.BootPagesInitialized);
        gate.Set();
    }

    [Fact]
    public void A_section_whose_init_fails_faults_the_completion_and_its_readers_instead_of_hanging()
    {
        using var gate = new ManualResetEventSlim(false);
        SparseMemory mem;
        SparseMemory.FailingSectionOnThisThread = 40;
        try
        {
            mem = Build(vmemmap: true, extreme: true, deferred: true, threads: 2, gate: gate);
        }
        finally
        {
            SparseMemory.FailingSectionOnThisThread = null;
        }

        using (mem)
        {
            // The reader that claims section 40 gets the failure; a later one gets InvalidOperationException, not a wait.
            var first = Assert.Throws<InvalidOperationException>(() => mem.TryReadPage(Pfn(40) + 1, out _));
            Assert.Contains("section 40", first.Message, StringComparison.Ordinal);
            var later = Assert.Throws<InvalidOperationException>(() => mem.TryReadPage(Pfn(40) + 2, out _));
            Assert.Contains("deferred struct page init of section 40 failed", later.Message, StringComparison.Ordinal);
            Assert.True(mem.DeferredInitCompletion.IsFaulted);

            // The waiting thread passes over the failed section, initializes the others, and then
            // throws the failure; readers of the other sections are served. Dispose (using) returns.
            var waited = Assert.Throws<InvalidOperationException>(mem.WaitForDeferredInit);
            Assert.Contains("section 40", waited.Message, StringComparison.Ordinal);
            Assert.True(mem.PageInitialized(Pfn(47)));
            Assert.True(mem.TryReadPage(Pfn(41), out _));
            Assert.False(mem.PageInitialized(Pfn(40)));
            gate.Set();
        }
    }

    [Fact]
    public void Dispose_racing_waiting_threads_stops_them_without_losing_a_section()
    {
        // Waiting threads initialize sections outside any read section; Dispose must wait for the
        // ones inside a section and stop the rest. Each round: two waiters, Dispose at once.
        for (int round = 0; round < 20; round++)
        {
            using var gate = new ManualResetEventSlim(false);
            var mem = Build(vmemmap: round % 2 == 0, extreme: true, deferred: true, threads: 2, gate: gate);
            long eagerPages = mem.BootPagesInitialized;
            var failures = new ConcurrentQueue<Exception>();
            Thread[] waiters = [new Thread(Wait) { IsBackground = true }, new Thread(Wait) { IsBackground = true }];
            foreach (var waiter in waiters)
            {
                waiter.Start();
            }

            Thread.Sleep(round % 4);
            mem.Dispose();
            foreach (var waiter in waiters)
            {
                Assert.True(waiter.Join(TimeSpan.FromSeconds(30)), "a waiter did not return after Dispose");
            }

            Assert.Empty(failures);

            // No section was initialized after Dispose returned.
            long pages = mem.BootPagesInitialized;
            Assert.InRange(pages, eagerPages, PresentSections * (long)PagesPerSection);
            Thread.Sleep(5);
            Assert.Equal(pages, mem.BootPagesInitialized);
            Assert.Throws<ObjectDisposedException>(() => mem.EnsurePageInitialized(Pfn(40)));
            gate.Set();

            void Wait()
            {
                try
                {
                    mem.WaitForDeferredInit();
                }
                catch (ObjectDisposedException)
                {
                    // Disposed before this thread asked: as documented.
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Parallel_eager_init_equals_serial(bool vmemmap, bool extreme)
    {
        using var serial = Build(vmemmap, extreme, deferred: false, threads: 1);
        using var parallel = Build(vmemmap, extreme, deferred: false, threads: 4);
        AssertSameFlags(serial, parallel);
        Assert.Equal(serial.BootPagesInitialized, parallel.BootPagesInitialized);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_eager_part_of_a_deferred_build_filled_in_parallel_equals_a_serial_fill(bool vmemmap, bool extreme)
    {
        // Node 0's lower zones (24 sections below 3 GiB) are eager whole, so the eager part is large
        // enough to be filled on several threads, beside the subsection maps and pageblocks.
        var map = MemoryMap.FromRanges(
            new MemoryRange(0x10_0000, 0xC000_0000),
            new MemoryRange(0x1_0000_0000, 0x1_2000_0000),
            new MemoryRange(0x1_2000_0000, 0x1_4000_0000, 1));
        using var gate = new ManualResetEventSlim(false);
        using var eager = Build(vmemmap, extreme, deferred: false, map: map);
        using var serial = Build(vmemmap, extreme, deferred: true, threads: 1, gate: gate, map: map);
        using var parallel = Build(vmemmap, extreme, deferred: true, threads: 4, gate: gate, map: map);

        // The workers are held at the gate: only the eager part is done, 24 + 1 + 1 sections.
        Assert.Equal(26 * (long)PagesPerSection, serial.BootPagesInitialized);
        Assert.Equal(26 * (long)PagesPerSection, parallel.BootPagesInitialized);
        Assert.Equal(UsageWords(serial), UsageWords(parallel));
        AssertSameFlags(serial, parallel);
        ulong[] firstDeferred = [Pfn(33), Pfn(37)];
        for (ulong pfn = 0; pfn < Pfn(40); pfn++)
        {
            int nid = pfn < Pfn(36) ? 0 : 1;
            if (parallel.PfnValid(pfn) && pfn < firstDeferred[nid])
            {
                Assert.True(parallel.PageInitialized(pfn));
                Assert.Equal(eager.PfnToPage(pfn)->Flags, parallel.PfnToPage(pfn)->Flags);
            }
        }

        Assert.Equal(firstDeferred[0], parallel.FirstDeferredPfn(0));
        Assert.Equal(firstDeferred[1], parallel.FirstDeferredPfn(1));
        gate.Set();
        parallel.WaitForDeferredInit();
        serial.WaitForDeferredInit();
        AssertSameFlags(eager, parallel);
        Assert.Equal(UsageWords(eager), UsageWords(parallel));
    }

    // The subsection map and pageblock words of every present section, which boot writes beside
    // the eager fill (Capture of HotplugState also holds addresses, which differ between storages).
    private static string UsageWords(SparseMemory mem)
    {
        int words = mem.Layout.HostSubsectionMapWords + (int)(mem.Layout.UsemapSize / 8);
        var sb = new System.Text.StringBuilder();
        foreach (ulong nr in mem.PresentSections)
        {
            ulong* usage = mem.NrToSection(nr)->Usage;
            sb.Append(nr).Append(':');
            for (int w = 0; w < words; w++)
            {
                sb.Append(' ').Append(usage[w].ToString("x"));
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    [Fact]
    public void Deferred_init_needs_64_bit_sparsemem()
    {
        var flat = Assert.Throws<LayoutException>(() => MemoryLayout.Create(Specs.Flat() with { DeferredStructPageInit = true }));
        Assert.Contains("DEFERRED_STRUCT_PAGE_INIT depends on SPARSEMEM and 64BIT", flat.Message);
        var pae = Assert.Throws<LayoutException>(() => MemoryLayout.Create(Specs.X86_64(false, false, maxPhysmemBits: 36) with { BitsPerLong = 32, SectionSizeBits = 29, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, DeferredStructPageInit = true }));
        Assert.Contains("BitsPerLong is 32", pae.Message);
    }

    [Theory]
    [InlineData(Model.Flat)]
    [InlineData(Model.Discontig)]
    public void Parallel_init_of_flat_and_discontig_memmaps_equals_serial(Model model)
    {
        // 2 GiB on node 0 across ZONE_DMA and ZONE_DMA32, 2 GiB on node 1 above 4 GiB: more pages than one thread takes.
        var layout = MemoryLayout.Create(new LayoutSpec { Model = model, NodesShift = 1 });
        PageStorage<Page> Create(int threads)
        {
            PfnRuns.InitThreadsOnThisThread = threads;
            try
            {
                return model == Model.Flat ? new FlatMemory(layout, TwoNodes) : new DiscontigMemory(layout, TwoNodes);
            }
            finally
            {
                PfnRuns.InitThreadsOnThisThread = 0;
            }
        }

        using var serial = Create(1);
        using var parallel = Create(4);
        ulong pages = 0;
        foreach (var (s, p) in new[] { (0x100UL, 0x80000UL), (0x100000UL, 0x180000UL) })
        {
            for (ulong pfn = s; pfn < p; pfn++, pages++)
            {
                ulong expected = model == Model.Flat ? ((FlatMemory)serial).PfnToPage(pfn)->Flags : ((DiscontigMemory)serial).PfnToPage(pfn)->Flags;
                ulong actual = model == Model.Flat ? ((FlatMemory)parallel).PfnToPage(pfn)->Flags : ((DiscontigMemory)parallel).PfnToPage(pfn)->Flags;
                if (expected != actual)
                {
                    Assert.Fail("pfn 0x" + pfn.ToString("x") + ": flags 0x" + actual.ToString("x") + ", serially 0x" + expected.ToString("x"));
                }
            }
        }

        Assert.True(pages > PfnRuns.ParallelInitPages);

        // Initialized, not merely equal: ZONE_DMA32 (zone 1) on node 0, and node 1.
        PageFlags flags = parallel.PageFlags;
        ulong Flags(ulong pfn) => model == Model.Flat ? ((FlatMemory)parallel).PfnToPage(pfn)->Flags : ((DiscontigMemory)parallel).PfnToPage(pfn)->Flags;
        Assert.Equal(1, flags.Zonenum(Flags(0x7_ffff)));
        Assert.Equal(1, flags.Nid(Flags(0x17_ffff)));
    }

    // Every pfn both storages call valid has the same page->flags, and they agree on validity.
    private static void AssertSameFlags(SparseMemory expected, SparseMemory actual)
    {
        for (ulong pfn = 0; pfn < Pfn(64); pfn++)
        {
            bool valid = expected.PfnValid(pfn);
            Assert.Equal(valid, actual.PfnValid(pfn));
            if (valid && expected.PfnToPage(pfn)->Flags != actual.PfnToPage(pfn)->Flags)
            {
                Assert.Fail("pfn 0x" + pfn.ToString("x") + ": flags 0x" + actual.PfnToPage(pfn)->Flags.ToString("x") + ", expected 0x" + expected.PfnToPage(pfn)->Flags.ToString("x"));
            }
        }
    }
}

// Awaiting needs a safe context.
public class DeferredInitAwaitTests
{
    [Fact]
    public async Task The_completion_can_be_awaited()
    {
        using var mem = new SparseMemory(MemoryLayout.Create(HotplugState.Spec(true, false, device: false) with { DeferredStructPageInit = true }), DeferredInitTests.TwoNodes);
        await mem.DeferredInitCompletion;
        Assert.False(mem.DeferredInitPending);
        Assert.True(mem.PageInitialized(Pfn(47) + 1));
    }
}
