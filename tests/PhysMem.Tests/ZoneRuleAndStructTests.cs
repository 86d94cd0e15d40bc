using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace PhysMem.Tests;

public unsafe class ZoneRuleAndStructTests
{
    [Fact]
    public void Page_Is64Bytes_FlagsFirst()
    {
        Assert.Equal(64, sizeof(Page));
        Assert.Equal(0, (int)Marshal.OffsetOf<Page>(nameof(Page.Flags)));
        Assert.True((int)Marshal.OffsetOf<Page>(nameof(Page.LastCpupid)) > 0);
        Assert.Equal(16, sizeof(MemSection));
        Assert.Equal(0, (int)Marshal.OffsetOf<MemSection>(nameof(MemSection.SectionMemMap)));
        Assert.Equal(8, (int)Marshal.OffsetOf<MemSection>(nameof(MemSection.Usage)));
        Assert.Equal(64, Unsafe.SizeOf<Page>());
    }

    [Fact]
    public void X86_64Rule_IndicesArePositionsAmongConfiguredZones()
    {
        var rule = new ZoneRule(MemoryLayout.Create(Specs.X86_64(true, true)));

        Assert.Equal(0, rule.IndexOf(Zones.Dma));
        Assert.Equal(1, rule.IndexOf(Zones.Dma32));
        Assert.Equal(2, rule.IndexOf(Zones.Normal));
        Assert.Equal(3, rule.IndexOf(Zones.Movable));
        Assert.Equal(-1, rule.IndexOf(Zones.HighMem));
        Assert.Equal(0, rule.ZoneFor(0xfff));
        Assert.Equal(1, rule.ZoneFor(0x1000));
        Assert.Equal(1, rule.ZoneFor(0xfffff));
        Assert.Equal(2, rule.ZoneFor(0x100000));
        Assert.Equal(0x1000UL, rule.ZoneEnd(5));
        Assert.Equal(0x100000UL, rule.ZoneEnd(0x1000));
        Assert.Equal(ulong.MaxValue, rule.ZoneEnd(0x100000));
    }

    [Fact]
    public void Missing_zones_are_skipped()
    {
        // No DMA32: below 4 GiB is Normal once DMA ends; Normal is then index 1.
        var layout = MemoryLayout.Create(Specs.X86_64(true, true) with { Zones = Zones.Dma | Zones.Normal | Zones.Movable });
        var rule = new ZoneRule(layout);

        Assert.Equal(0, rule.ZoneFor(0));
        Assert.Equal(1, rule.ZoneFor(0x1000));
        Assert.Equal(1, rule.ZoneFor(0x200000));
    }

    [Fact]
    public void CustomLimits_DriveTheLinks()
    {
        // An arm64-like machine whose DMA zone covers the first 1 GiB and DMA32 the first 4 GiB.
        var layout = MemoryLayout.Create(Specs.X86_64(true, true));
        var rule = new ZoneRule(layout, (1UL << 30) >> 12, (4UL << 30) >> 12, ulong.MaxValue);
        using var mem = new SparseMemory(layout, MemoryMap.FromRanges(new MemoryRange(0, 2UL << 30)), rule);

        Assert.Equal(0, mem.PageFlags.Zonenum(mem.PfnToPage(0x3ffff)->Flags));
        Assert.Equal(1, mem.PageFlags.Zonenum(mem.PfnToPage(0x40000)->Flags));
        Assert.Same(rule, mem.ZoneRule);
    }
}
