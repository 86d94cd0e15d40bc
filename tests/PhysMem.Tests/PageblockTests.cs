using System;
using System.Threading.Tasks;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// Pageblock flags as include/linux/pageblock-flags.h lays them out (6.17): per pageblock of
// 2^pageblock_order pages, NR_PAGEBLOCK_BITS bits starting at
// ((pfn % PAGES_PER_SECTION) >> pageblock_order) * NR_PAGEBLOCK_BITS in the section's usemap;
// bits 0-2 the migratetype, bit 3 PB_compact_skip, bit 4 PB_migrate_isolate (MEMORY_ISOLATION,
// which makes NR_PAGEBLOCK_BITS 8; 4 without). The usemap follows the subsection map (one 64-bit
// word with VMEMMAP, none without) in the usage block.
public unsafe class PageblockTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Boot_MarksEveryPageblockThatStartsInMemoryMovable(bool vmemmap)
    {
        using var mem = Create(vmemmap, extreme: true);
        var runs = Expected.Runs(BootMap, 1UL << 34);

        foreach (ulong nr in mem.PresentSections)
        {
            for (ulong block = 0; block < 64; block++)
            {
                ulong first = Pfn(nr) + block * 512;
                bool inMemory = runs.Exists(r => first >= r.Start && first < r.End);
                Assert.Equal(inMemory ? SparseMemory.MigrateMovable : SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(first + 17));
            }
        }

        // pfn 0 is not RAM (the map starts at 4 KiB), so pageblock 0 keeps MIGRATE_UNMOVABLE.
        Assert.Equal(SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(0));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(512));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Boot_marks_pageblocks_of_ranges_that_start_and_end_inside_pageblocks_and_sections(bool vmemmap, bool extreme)
    {
        // Section 5 from pageblock 2 plus 188 pages to section 9's pageblock 0 plus 100 pages on node
        // 0; node 1 in the same section 9, from its pageblock 3 (start aligned) to pageblock 6 plus
        // 1 page; then a range of one whole section, 12.
        ulong[][] ranges =
        [
            [Pfn(5) + (2 * 512) + 188, Pfn(9) + 100, 0],
            [Pfn(9) + 3 * 512, Pfn(9) + 6 * 512 + 1, 1],
            [Pfn(12), Pfn(13), 0],
        ];
        var map = MemoryMap.FromRanges(Array.ConvertAll(ranges, r => new MemoryRange(r[0] * 4096, r[1] * 4096, (int)r[2])));
        using var mem = new SparseMemory(MemoryLayout.Create(Spec(vmemmap, extreme)), map);

        Assert.Equal(new ulong[] { 5, 6, 7, 8, 9, 12 }, mem.PresentSections);
        foreach (ulong nr in mem.PresentSections)
        {
            for (ulong block = 0; block < 64; block++)
            {
                ulong first = Pfn(nr) + block * 512;
                bool starts = Array.Exists(ranges, r => first >= r[0] && first < r[1]);
                Assert.Equal(starts ? SparseMemory.MigrateMovable : SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(first + 511));
            }
        }

        // Spot checks of the edges: the pageblock holding a range's first page starts before it.
        Assert.Equal(SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(Pfn(5) + (2 * 512) + 188));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(Pfn(5) + (3 * 512)));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(Pfn(9) + 99));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(Pfn(9) + 6 * 512));
        Assert.Equal(SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(Pfn(9) + 7 * 512));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Flags_SitWhereTheHeaderPutsThem(bool vmemmap)
    {
        using var mem = Create(vmemmap, extreme: false);
        ulong pfn = Pfn(1) + 3 * 512 + 100; // pageblock 3 of section 1
        ulong* usemap = mem.NrToSection(1)->Usage + (vmemmap ? 1 : 0);

        mem.SetPageblockMigratetype(pfn, SparseMemory.MigrateReclaimable);
        mem.SetPageblockSkip(pfn, true);
        mem.SetPageblockIsolate(pfn, true);

        Assert.Equal(2UL | 8 | 16, (usemap[0] >> 24) & 0xFF); // bits 24..31: pageblock 3 of 8-bit groups
        Assert.Equal(2UL | 8 | 16, mem.GetPageblockFlags(pfn));
        Assert.Equal(SparseMemory.MigrateReclaimable, mem.GetPageblockMigratetype(pfn));
        Assert.True(mem.GetPageblockSkip(pfn));
        Assert.True(mem.GetPageblockIsolate(pfn));
        Assert.Equal(1UL, (usemap[0] >> 16) & 0xFF); // the neighbours keep MIGRATE_MOVABLE
        Assert.Equal(1UL, (usemap[0] >> 32) & 0xFF);

        mem.SetPageblockSkip(pfn, false);
        Assert.Equal(2UL | 16, mem.GetPageblockFlags(pfn));
        mem.SetPageblockMigratetype(pfn, 7);
        Assert.Equal(7UL | 16, mem.GetPageblockFlags(pfn));

        // Pageblock 9 is in the usemap's second word (bits 72..79).
        mem.SetPageblockMigratetype(Pfn(1) + 9 * 512, SparseMemory.MigrateHighatomic);
        Assert.Equal(3UL, (usemap[1] >> 8) & 0xFF);
    }

    [Fact]
    public void WithoutMemoryIsolation_FourBitsAndNoIsolateBit()
    {
        var layout = MemoryLayout.Create(Spec(vmemmap: true, extreme: true) with { MemoryIsolation = false });
        using var mem = new SparseMemory(layout, BootMap);
        ulong pfn = Pfn(2) + 5 * 512;
        ulong* usemap = mem.NrToSection(2)->Usage + 1;

        mem.SetPageblockMigratetype(pfn, 5);
        mem.SetPageblockSkip(pfn, true);

        Assert.Equal(5UL | 8, (usemap[0] >> 20) & 0xF); // pageblock 5 of 4-bit groups
        Assert.Equal(1UL, (usemap[0] >> 16) & 0xF);
        Assert.Throws<InvalidOperationException>(() => mem.GetPageblockIsolate(pfn));
        Assert.Throws<InvalidOperationException>(() => mem.SetPageblockIsolate(pfn, true));
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => mem.SetPageblockMigratetype(512, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.SetPageblockMigratetype(512, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.GetPageblockMigratetype(Pfn(8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.SetPageblockSkip(Pfn(8), true));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.GetPageblockFlags(ulong.MaxValue));
    }

    [Fact]
    public void ConcurrentSetters_OfPageblocksSharingAWord_LoseNothing()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        ulong a = Pfn(1);
        ulong b = Pfn(1) + 512;

        Parallel.Invoke(
            () =>
            {
                for (int i = 0; i < 20_000; i++)
                {
                    mem.SetPageblockMigratetype(a, i & 7);
                }
            },
            () =>
            {
                for (int i = 0; i < 20_000; i++)
                {
                    mem.SetPageblockSkip(b, (i & 1) == 0);
                }
            });

        Assert.Equal((ulong)(19_999 & 7), mem.GetPageblockFlags(a));
        Assert.Equal(1UL, mem.GetPageblockFlags(b)); // MOVABLE, skip cleared by the last (odd) step
    }
}
