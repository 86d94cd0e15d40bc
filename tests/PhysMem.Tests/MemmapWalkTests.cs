using System;
using System.Collections.Generic;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// The whole-memory walks (valid pfn runs, memmap spans) against pfn_valid and pfn_to_page asked pfn
// by pfn over the same span, for every storage, with holes, hot-added subsections and removed sections.
public unsafe class MemmapWalkTests
{
    // Low memory with the usual holes, then 511 MiB, a 256 MiB hole, and 256 MiB on node 1.
    private static readonly MemoryMap HoleyMap = MemoryMap.FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0x2000_0000),
        new MemoryRange(0x3000_0000, 0x4000_0000, 1));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Flat_walks_give_the_pfn_at_a_time_results(bool holes)
    {
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat(holes: holes) with { NodesShift = 1 }), HoleyMap);
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), 0x50000);
    }

    [Fact]
    public void Flat_walk_with_an_arch_pfn_offset_starts_at_mem_map_zero()
    {
        var map = MemoryMap.FromRanges(new MemoryRange(0x8000_0000, 0x8100_0000));
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat(archPfnOffset: 0x80000)), map);
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), 0x90000);
        Assert.Equal(new[] { (0x80000UL, 0x81000UL) }, Runs(mem, 0, ulong.MaxValue));
    }

    [Fact]
    public void Discontig_walks_give_the_pfn_at_a_time_results()
    {
        var layout = MemoryLayout.Create(new LayoutSpec { Model = Model.Discontig, NodesShift = 2 });
        using var mem = new DiscontigMemory(layout, HoleyMap);
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), 0x50000);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Sparse_walks_give_the_pfn_at_a_time_results_after_hotplug(bool vmemmap, bool extreme)
    {
        using var mem = Create(vmemmap, extreme);
        ulong scanEnd = Pfn(41);
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), scanEnd);

        // Hot-add whole sections (one adjacent to boot memory) and, with VMEMMAP, single subsections;
        // remove a boot section from the middle.
        mem.AddMemory(Pfn(4), 2 * PagesPerSection, 0);
        mem.AddMemory(Pfn(36), PagesPerSection, 1);
        if (vmemmap)
        {
            mem.AddMemory(Pfn(9, 5), 3 * PagesPerSubsection, 0);
            mem.AddMemory(Pfn(9, 40), PagesPerSubsection, 0);
        }

        mem.OfflineSections(Pfn(2), PagesPerSection);
        mem.RemoveMemory(Pfn(2), PagesPerSection);
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), scanEnd);

        if (vmemmap)
        {
            // Subsection runs stop where the subsection map does.
            Assert.Contains((Pfn(9, 5), Pfn(9, 8)), Runs(mem, Pfn(9), Pfn(10)));
            Assert.Contains((Pfn(9, 40), Pfn(9, 41)), Runs(mem, Pfn(9), Pfn(10)));
        }

        // Runs merge across sections: 0..1 are one run (0 is early, so its holes are valid), and 3..5.
        Assert.Equal(new[] { (0UL, Pfn(2)), (Pfn(3), Pfn(6)) }, Runs(mem, 0, Pfn(7)));
    }

    [Fact]
    public void A_walk_can_start_and_end_inside_a_piece()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        ulong start = Pfn(1) + 17;
        ulong end = Pfn(32, 1) + 3;
        AssertWalksMatch(mem, mem.PfnValid, p => (nint)mem.PfnToPage(p), end, start);
        Assert.Equal(new[] { (start, Pfn(4)), (Pfn(32), end) }, Runs(mem, start, end));
    }

    [Fact]
    public void A_walk_writes_through_to_the_pages_pfn_to_page_gives()
    {
        using var mem = Create(vmemmap: false, extreme: true);
        foreach (MemmapChunk<Page> chunk in mem.WalkMemmap())
        {
            for (int i = 0; i < chunk.Pages.Length; i++)
            {
                chunk.Pages[i].Index = chunk.StartPfn + (ulong)i;
            }
        }

        foreach (ulong pfn in new[] { 0UL, 0x9fUL, Pfn(1) + 5, Pfn(3) + PagesPerSection - 1, Pfn(32, 1) })
        {
            Assert.Equal(pfn, mem.PfnToPage(pfn)->Index);
        }
    }

    [Fact]
    public void Walks_of_a_disposed_storage_throw()
    {
        var mem = Create(vmemmap: true, extreme: false);
        mem.Dispose();
        Assert.Throws<ObjectDisposedException>(() => mem.WalkMemmap());
        Assert.Throws<ObjectDisposedException>(() => mem.ValidPfnRanges());
    }

    internal static List<(ulong Start, ulong End)> Runs<TPage>(PageStorage<TPage> mem, ulong start, ulong end)
        where TPage : unmanaged
    {
        var runs = new List<(ulong Start, ulong End)>();
        foreach (var run in mem.ValidPfnRanges(start, end))
        {
            runs.Add(run);
        }

        return runs;
    }

    // Asks pfn_valid for every pfn of [scanStart, scanEnd), then checks that the runs are exactly
    // the maximal runs of valid pfns and that the spans cover the same pfns with pfn_to_page's pages.
    private static void AssertWalksMatch<TPage>(PageStorage<TPage> mem, Func<ulong, bool> pfnValid, Func<ulong, nint> pfnToPage, ulong scanEnd, ulong scanStart = 0)
        where TPage : unmanaged
    {
        var expected = new List<(ulong Start, ulong End)>();
        for (ulong pfn = scanStart; pfn < scanEnd; pfn++)
        {
            if (!pfnValid(pfn))
            {
                continue;
            }

            if (expected.Count > 0 && expected[^1].End == pfn)
            {
                expected[^1] = (expected[^1].Start, pfn + 1);
            }
            else
            {
                expected.Add((pfn, pfn + 1));
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Runs(mem, scanStart, scanEnd));

        int run = 0;
        ulong next = expected[0].Start;
        foreach (MemmapChunk<TPage> chunk in mem.WalkMemmap(scanStart, scanEnd))
        {
            Assert.NotEqual(0, chunk.Pages.Length);
            if (next == expected[run].End)
            {
                run++;
                next = expected[run].Start;
            }

            // Chunks follow each other without gaps inside a run and start the next run at its start.
            Assert.Equal(next, chunk.StartPfn);
            Assert.True(chunk.EndPfn <= expected[run].End);
            fixed (TPage* first = chunk.Pages)
            {
                for (ulong i = 0; i < (ulong)chunk.Pages.Length; i++)
                {
                    if ((nint)(first + i) != pfnToPage(chunk.StartPfn + i))
                    {
                        Assert.Fail("The span's page of pfn 0x" + (chunk.StartPfn + i).ToString("x") + " is not the page pfn_to_page gives.");
                    }
                }
            }

            next = chunk.EndPfn;
        }

        Assert.Equal(expected.Count - 1, run);
        Assert.Equal(expected[^1].End, next);
    }
}
