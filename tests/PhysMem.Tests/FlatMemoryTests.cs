using System;
using Xunit;

namespace PhysMem.Tests;

public unsafe class FlatMemoryTests
{
    private static readonly ulong OsPage = (ulong)Environment.SystemPageSize;

    // Low memory, a hole up to 1 MiB, 511 MiB, a 256 MiB hole, 256 MiB: pfns 1..0x9e, 0x100..0x1ffff, 0x30000..0x3ffff.
    private static readonly MemoryMap Map = MemoryMap.FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0x2000_0000),
        new MemoryRange(0x3000_0000, 0x4000_0000));

    private static bool InRam(ulong pfn) => (pfn >= 1 && pfn < 0x9f) || (pfn >= 0x100 && pfn < 0x20000) || (pfn >= 0x30000 && pfn < 0x40000);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryPfn_RoundTrips_AndValidityFollowsTheModel(bool holes)
    {
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat(holes: holes)), Map);

        Assert.Equal(0x40000UL, mem.MaxMapnr);
        Assert.Equal(0UL, mem.ArchPfnOffset);
        for (ulong pfn = 0; pfn < 0x40000; pfn++)
        {
            Assert.True(mem.PfnToPage(pfn) == mem.MemMap + pfn);
            Assert.Equal(pfn, mem.PageToPfn(mem.PfnToPage(pfn)));
            Assert.Equal(!InRam(pfn), mem.InHole(pfn));
            Assert.Equal(holes ? InRam(pfn) : true, mem.PfnValid(pfn));
            if (InRam(pfn))
            {
                // x86 zones: DMA below 16 MiB, DMA32 below 4 GiB.
                Assert.Equal(pfn < 0x1000 ? 0 : 1, mem.PageFlags.Zonenum(mem.PfnToPage(pfn)->Flags));
            }
        }

        Assert.False(mem.PfnValid(0x40000));
        Assert.False(mem.PfnValid(ulong.MaxValue));
        Assert.True(mem.InHole(0x40000));
    }

    [Fact]
    public void WithoutHoles_TheWholeMemMapIsCommitted()
    {
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat()), Map);

        Assert.Equal(0x40000UL * 64, mem.ReservedBytes);
        Assert.Equal(0x40000UL * 64, mem.CommittedMemmapBytes);
        Assert.Equal(0UL, mem.PfnToPage(0)->Flags);
        Assert.Equal(0UL, mem.PfnToPage(0x25000)->Flags); // a hole: no links
    }

    [Fact]
    public void WithHoles_OsPagesDescribingOnlyHolesAreReleased()
    {
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat(holes: true)), Map);

        // Count, page by page of mem_map, the pages whose 64-byte entries all describe holes.
        ulong entriesPerPage = OsPage / 64;
        ulong holePages = 0;
        for (ulong first = 0; first < 0x40000; first += entriesPerPage)
        {
            bool allHoles = true;
            for (ulong pfn = first; pfn < first + entriesPerPage && allHoles; pfn++)
            {
                allHoles = !InRam(pfn);
            }

            holePages += allHoles ? 1UL : 0;
        }

        Assert.True(holePages >= (0x10000 * 64) / OsPage); // the 256 MiB hole alone
        Assert.Equal(0x40000UL * 64 - holePages * OsPage, mem.CommittedMemmapBytes);
        Assert.Equal(0x40000UL * 64, mem.ReservedBytes);
    }

    [Fact]
    public void ArchPfnOffset_ShiftsTheMemMap()
    {
        var map = MemoryMap.FromRanges(new MemoryRange(0x10_0000, 0x2000_0000), new MemoryRange(0x3000_0000, 0x4000_0000));
        using var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat(archPfnOffset: 0x100, holes: true)), map);

        Assert.Equal(0x100UL, mem.ArchPfnOffset);
        Assert.Equal(0x40000UL - 0x100, mem.MaxMapnr);
        Assert.True(mem.PfnToPage(0x100) == mem.MemMap);
        Assert.False(mem.PfnValid(0xff)); // below the offset: the unsigned difference is huge
        Assert.True(mem.PfnValid(0x100));
        Assert.False(mem.PfnValid(0x2_5000));
        Assert.True(mem.PfnValid(0x3_ffff));
        Assert.False(mem.PfnValid(0x4_0000));
        for (ulong pfn = 0x100; pfn < 0x40000; pfn += 7)
        {
            Assert.Equal(pfn, mem.PageToPfn(mem.PfnToPage(pfn)));
        }
    }

    [Fact]
    public void RangeBelowArchPfnOffset_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new FlatMemory(MemoryLayout.Create(Specs.Flat(archPfnOffset: 0x100)), Map));
        Assert.Contains("ARCH_PFN_OFFSET", e.Message);
        Assert.Throws<ArgumentException>(() => new FlatMemory(MemoryLayout.Create(Specs.X86_64(true, true)), Map));
        Assert.Throws<ArgumentException>(() => new FlatMemory(MemoryLayout.Create(Specs.Flat()), MemoryMap.FromRanges(new MemoryRange(0x1001, 0x1fff))));
    }

    [Fact]
    public void ThirtyTwoBitHighMem_ZonesAndLinks()
    {
        // Debian's 686 kernels: FLATMEM, zones DMA, Normal, HighMem, Movable.
        var layout = MemoryLayout.Create(new LayoutSpec
        {
            Model = Model.Flat, BitsPerLong = 32, Zones = LayoutDefaults.Zones32, NrPageflags = 22,
        });
        var map = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_fc00), new MemoryRange(0x10_0000, 0x8000_0000));
        using var mem = new FlatMemory(layout, map);

        int Zone(ulong pfn) => mem.PageFlags.Zonenum(mem.PfnToPage(pfn)->Flags);
        Assert.Equal(0, Zone(1));
        Assert.Equal(0, Zone(0xfff));
        Assert.Equal(1, Zone(0x1000));
        Assert.Equal(1, Zone(0x37fff));
        Assert.Equal(2, Zone(0x38000)); // 896 MiB
        Assert.Equal(2, Zone(0x7ffff));

        // The zone field sits at bits 31..30 of a 32-bit word; the high half stays zero.
        Assert.Equal(2UL << 30, mem.PfnToPage(0x38000)->Flags);
    }

    [Fact]
    public void Dispose_ThenEveryMemberThrows()
    {
        var mem = new FlatMemory(MemoryLayout.Create(Specs.Flat()), Map);
        mem.Dispose();
        mem.Dispose();

        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.PfnToPage(1));
        Assert.Throws<ObjectDisposedException>(() => mem.PageToPfn(null));
        Assert.Throws<ObjectDisposedException>(() => mem.PfnValid(1));
        Assert.Throws<ObjectDisposedException>(() => mem.InHole(1));
        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.MemMap);
        Assert.Throws<ObjectDisposedException>(() => mem.MaxMapnr);
        Assert.Throws<ObjectDisposedException>(() => mem.ArchPfnOffset);
        Assert.Throws<ObjectDisposedException>(() => mem.ReservedBytes);
        Assert.Throws<ObjectDisposedException>(() => mem.CommittedMemmapBytes);
    }
}
