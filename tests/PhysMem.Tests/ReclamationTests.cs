using System;
using System.Threading;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// Deferred reclamation: memory a removal unpublishes stays committed until every read section that
// began before the removal has ended; sections that begin later do not hold it up. A hot-add that
// would reuse such memory waits for that grace period first.
public unsafe class ReclamationTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AReaderInsideASection_KeepsRemovedPagesCommitted_UntilItLeaves(bool vmemmap)
    {
        using var mem = Create(vmemmap, extreme: true);
        ulong boot = mem.GetAccounting().MemmapBytes;
        ulong pfn = Pfn(8) + 7;
        mem.AddMemory(Pfn(8), PagesPerSection, 0);
        using var reader = new HeldReader(mem, pfn);

        mem.RemoveMemory(Pfn(8), PagesPerSection);

        Assert.False(mem.PfnValid(pfn));
        var pending = mem.GetAccounting();
        Assert.Equal(SectionMemmap, pending.PendingMemmapBytes);
        Assert.Equal(boot + SectionMemmap, pending.MemmapBytes);
        Assert.True(IsAccessible(reader.Page));
        Assert.Equal(pfn, mem.PageToPfn(reader.Page)); // classic: the word still points at the old memmap
        ulong word = mem.NrToSection(8)->SectionMemMap;
        Assert.Equal(0UL, word & 0b1111);
        Assert.Equal(vmemmap ? 0UL : (ulong)reader.Page - pfn * 64, word);
        Assert.False(mem.Synchronize(TimeSpan.FromMilliseconds(50)));

        ulong seen = reader.Release();

        Assert.Equal(0x1234UL, seen); // what it wrote, read back after the removal
        Assert.True(mem.Synchronize(Long));
        Assert.Equal(0UL, mem.GetAccounting().PendingMemmapBytes);
        Assert.Equal(boot, mem.GetAccounting().MemmapBytes);
        Assert.Equal(0UL, (ulong)mem.NrToSection(8)->SectionMemMap);
        if (vmemmap)
        {
            Assert.True(IsNoAccess(reader.Page));
        }
    }

    [Fact]
    public void AReaderThatEnteredAfterTheRemoval_DoesNotHoldItUp()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        mem.AddMemory(Pfn(8), PagesPerSection, 0);
        using var old = new HeldReader(mem, Pfn(8));
        mem.RemoveMemory(Pfn(8), PagesPerSection);
        using var late = new HeldReader(mem, 0x200);
        old.Release();

        // The next hotplug call reclaims what only the old reader held up.
        mem.AddMemory(Pfn(9), PagesPerSection, 0);

        Assert.Equal(0UL, mem.GetAccounting().PendingMemmapBytes);
        Assert.True(IsNoAccess(mem.PfnToPage(Pfn(8))));

        // Synchronize is synchronize_rcu: it waits for every reader inside when it is called.
        Assert.False(mem.Synchronize(TimeSpan.FromMilliseconds(50)));
        late.Release();
        Assert.True(mem.Synchronize(Long));
    }

    [Fact]
    public void AHotAddOverRetiredMemmap_WaitsForItsGracePeriod()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        mem.AddMemory(Pfn(8), PagesPerSection, 0);
        var reader = new HeldReader(mem, Pfn(8) + 1);
        mem.RemoveMemory(Pfn(8), PagesPerSection);

        using var add = Background.Start(() => mem.AddMemory(Pfn(8), PagesPerSection, 6));

        Assert.False(add.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(0x1234UL, reader.Release());
        Assert.True(add.Wait(Long));
        Assert.Equal(6, mem.PageFlags.Nid(mem.PfnToPage(Pfn(8) + 1)->Flags));
        Assert.Equal(0UL, mem.PfnToPage(Pfn(8) + 1)->Private); // fresh pages, not the old ones
    }

    [Fact]
    public void HotplugFromInsideAReadSection_IsRefused()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        var before = Capture(mem);

        using (mem.EnterReadSection())
        {
            Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(8), PagesPerSection, 0));
            Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(32), PagesPerSubsection));
            Assert.Throws<InvalidOperationException>(() => mem.OfflineSections(Pfn(32), PagesPerSection));
            Assert.Throws<InvalidOperationException>(() => mem.Synchronize());
            Assert.Throws<InvalidOperationException>(() => mem.Dispose());
        }

        Assert.Equal(before, Capture(mem));
    }

    [Fact]
    public void ReadSections_Nest_AndMisuseIsCaught()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        var outer = mem.EnterReadSection();
        var inner = mem.EnterReadSection();

        Assert.Throws<InvalidOperationException>(() => outer.Dispose()); // innermost first
        using (var elsewhere = Background.Start(() => inner.Dispose()))
        {
            Assert.True(elsewhere.Wait(Long));
            Assert.IsType<InvalidOperationException>(elsewhere.Error);
        }

        inner.Dispose();
        outer.Dispose();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose()); // twice
        default(ReadSection).Dispose();
        Assert.True(mem.Synchronize(Long));
    }

    [Fact]
    public void TryReadPageAndTryWithPage_WorkInsideTheirOwnSection()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        Assert.True(mem.TryWithPage(0x200, (ref Page p) => p.Private = 99));
        Assert.True(mem.TryReadPage(0x200, out Page copy));
        Assert.Equal(99UL, copy.Private);
        Assert.Equal(mem.PfnToPage(0x200)->Flags, copy.Flags);
        Assert.False(mem.TryReadPage(Pfn(8), out Page none));
        Assert.Equal(default, none);
        Assert.False(mem.TryWithPage(Pfn(8), (ref Page p) => throw new InvalidOperationException("not called")));
        Assert.Throws<ArgumentNullException>(() => mem.TryWithPage(0x200, null!));
    }

    [Fact]
    public void Dispose_WaitsForReadersToLeave()
    {
        var mem = Create(vmemmap: true, extreme: true);
        var reader = new HeldReader(mem, 0x200);

        using var dispose = Background.Start(mem.Dispose);

        Assert.False(dispose.Wait(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(0x1234UL, reader.Release());
        Assert.True(dispose.Wait(Long));
        Assert.Throws<ObjectDisposedException>(() => mem.EnterReadSection());
    }

    // An action on its own thread, with its end and its exception.
    private sealed class Background : IDisposable
    {
        private readonly ManualResetEventSlim _done = new();

        private Background()
        {
        }

        internal Exception? Error { get; private set; }

        internal static Background Start(Action action)
        {
            var b = new Background();
            new Thread(() =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    b.Error = e;
                }

                b._done.Set();
            }).Start();
            return b;
        }

        internal bool Wait(TimeSpan timeout) => _done.Wait(timeout);

        public void Dispose()
        {
            _done.Wait(Long);
            _done.Dispose();
        }
    }

    // A thread that enters a read section, takes a page, writes to it, and holds on until released;
    // then reads the page again and leaves.
    private sealed class HeldReader : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _thread;
        private ulong _seen;

        internal HeldReader(SparseMemory mem, ulong pfn)
        {
            _thread = new Thread(() =>
            {
                using (mem.EnterReadSection())
                {
                    Page* page = mem.PfnToPage(pfn);
                    Page = page;
                    page->Private = 0x1234;
                    _entered.Set();
                    _release.Wait();
                    _seen = Volatile.Read(ref page->Private);
                }
            });
            _thread.Start();
            _entered.Wait();
        }

        internal Page* Page { get; private set; }

        internal ulong Release()
        {
            _release.Set();
            _thread.Join();
            return _seen;
        }

        public void Dispose()
        {
            Release();
            _entered.Dispose();
            _release.Dispose();
        }
    }
}
