using System.Linq;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// for_each_present_section_nr, first_valid_pfn / next_valid_pfn (6.17: skip sections without a
// memmap and, with VMEMMAP, subsections not in the map; every pfn of an early section is valid),
// early_pfn_to_nid (memblock's node, else the first online node), and sparse_init's grouping of
// present sections into runs of one early node, each with one buffer of usage blocks.
public unsafe class WalkAndBootTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForEachPresentSection_ReadsTheLiveTable(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 32 }, mem.ForEachPresentSection());
        Assert.Equal(new ulong[] { 2, 3, 32 }, mem.ForEachPresentSection(2));
        Assert.Empty(mem.ForEachPresentSection(33));

        mem.AddMemory(Pfn(1280, 3), PagesPerSubsection, 0);
        mem.OfflineSections(Pfn(2), PagesPerSection);
        mem.RemoveMemory(Pfn(2), PagesPerSection);

        Assert.Equal(new ulong[] { 0, 1, 3, 32, 1280 }, mem.ForEachPresentSection());
        Assert.Equal(mem.PresentSections, mem.ForEachPresentSection());
    }

    [Fact]
    public void ForEachValidPfn_SkipsAbsentSectionsAndSubsections()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        mem.AddMemory(Pfn(9, 5), 3 * PagesPerSubsection, 0);
        mem.AddMemory(Pfn(9, 40), PagesPerSubsection, 0);

        // Section 32 is early: all of it is valid, its holes included.
        var early = mem.ForEachValidPfn(Pfn(31), Pfn(34)).ToList();
        Assert.Equal(PagesPerSection, (ulong)early.Count);
        Assert.Equal(Pfn(32), early[0]);
        Assert.Equal(Pfn(33) - 1, early[^1]);

        var hot = mem.ForEachValidPfn(Pfn(4), Pfn(20)).ToList();
        var expected = Enumerable.Range(0, 3 * 512).Select(i => Pfn(9, 5) + (ulong)i).Concat(Enumerable.Range(0, 512).Select(i => Pfn(9, 40) + (ulong)i));
        Assert.Equal(expected, hot);

        Assert.Equal(Pfn(9, 5), mem.FirstValidPfn(Pfn(9), Pfn(10)));
        Assert.Equal(Pfn(9, 40), mem.FirstValidPfn(Pfn(9, 8), Pfn(10)));
        Assert.Equal(Pfn(9, 3), mem.FirstValidPfn(Pfn(9), Pfn(9, 3))); // nothing before the end
        Assert.Equal(Pfn(9, 40), mem.NextValidPfn(Pfn(9, 8) - 1, Pfn(10)));
        Assert.Equal(Pfn(9, 5) + 1, mem.NextValidPfn(Pfn(9, 5), Pfn(10)));
        Assert.Equal(Pfn(10), mem.NextValidPfn(Pfn(9, 41) - 1, Pfn(10)));
        Assert.Equal(507, mem.ForEachValidPfn(Pfn(9, 6) + 10, Pfn(9, 7) + 5).Count());
        Assert.Empty(mem.ForEachValidPfn(Pfn(33), Pfn(2000)));
    }

    [Fact]
    public void ForEachValidPfn_Classic_CountsWholeSections()
    {
        using var mem = Create(vmemmap: false, extreme: true);
        mem.AddMemory(Pfn(9), PagesPerSection, 0);

        Assert.Equal((long)PagesPerSection, mem.ForEachValidPfn(Pfn(4), Pfn(20)).LongCount());
        Assert.Equal(6 * (long)PagesPerSection, mem.ForEachValidPfn(0, Pfn(40)).LongCount()); // 0..3, 9 and 32
    }

    [Fact]
    public void EarlyPfnToNid_FollowsMemblock()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        Assert.Equal(0, mem.EarlyPfnToNid(1));
        Assert.Equal(1, mem.EarlyPfnToNid(Pfn(32, 1)));
        Assert.Equal(0, mem.EarlyPfnToNid(0xa0));      // a hole: the first online node
        Assert.Equal(0, mem.EarlyPfnToNid(Pfn(32, 2))); // a hole in node 1's section too

        mem.AddMemory(Pfn(8), PagesPerSection, 7);
        Assert.Equal(7, mem.EarlyPfnToNid(Pfn(8) + 9));
        mem.RemoveMemory(Pfn(8), PagesPerSection);
        Assert.Equal(0, mem.EarlyPfnToNid(Pfn(8) + 9));

        // Only nodes 2 and 5 have memory: 2 is the first online node.
        using var other = new SparseMemory(MemoryLayout.Create(Spec(true, true)), MemoryMap.FromRanges(new MemoryRange(0x1000_0000, 0x2000_0000, 5), new MemoryRange(0x4000_0000, 0x5000_0000, 2)));
        Assert.Equal(2, other.EarlyPfnToNid(0));
        Assert.Equal(5, other.EarlyPfnToNid(0x1000_0000 >> 12));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Boot_GivesEachRunOfOneNodeOneUsageBuffer(bool vmemmap)
    {
        using var mem = SparseMemoryTests.Create(vmemmap, extreme: true);
        ulong stride = vmemmap ? 72UL : 64UL;

        // The early node of each present section: 0..23 and 32..47 node 0 (one run: absent sections
        // do not break it), 48..56 node 1, 1024, 1025 and 524287 node 2.
        ulong[][] runs =
        {
            Enumerable.Range(0, 24).Concat(Enumerable.Range(32, 16)).Select(i => (ulong)i).ToArray(),
            Enumerable.Range(48, 9).Select(i => (ulong)i).ToArray(),
            new ulong[] { 1024, 1025, 524_287 },
        };
        foreach (var run in runs)
        {
            ulong first = (ulong)mem.NrToSection(run[0])->Usage;
            for (int i = 0; i < run.Length; i++)
            {
                Assert.Equal(first + (ulong)i * stride, (ulong)mem.NrToSection(run[i])->Usage);
            }
        }

        Assert.Equal(52 * stride, mem.UsageBytes);
    }
}
