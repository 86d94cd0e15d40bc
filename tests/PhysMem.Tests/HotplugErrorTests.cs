using System;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// Bad hotplug requests throw a clear exception and leave every section word, subsection map,
// pageblock word and counter as it was. The rules: check_pfn_span (subsection alignment with
// VMEMMAP, section alignment without), mhp_range_allowed (inside MAX_PHYSMEM_BITS), MAX_NUMNODES,
// fill_subsection_map (empty -> EINVAL, overlap -> EEXIST), clear_subsection_map (every bit set),
// offline before remove (EBUSY), online_pages' range rule, ZONE_DEVICE needing VMEMMAP.
public unsafe class HotplugErrorTests
{
    private const ulong MaxPfn = 1UL << (46 - 12);

    public static TheoryData<bool, bool> Variants => new() { { true, false }, { true, true }, { false, false }, { false, true } };

    [Theory]
    [MemberData(nameof(Variants))]
    public void BadAdds_ThrowAndChangeNothing(bool vmemmap, bool extreme)
    {
        using var mem = Create(vmemmap, extreme);
        mem.AddMemory(Pfn(6), PagesPerSection, 2); // something hot-added to overlap with as well
        var before = Capture(mem);
        ulong align = vmemmap ? PagesPerSubsection : PagesPerSection;

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8), 0, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("not aligned", Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8) + 1, align, 0)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8), align + 1, 0));
        Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8), 100, 0));
        if (!vmemmap)
        {
            Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8, 1), PagesPerSubsection, 0));
        }

        var beyond = Assert.Throws<ArgumentOutOfRangeException>(() => mem.AddMemory(MaxPfn - PagesPerSection, 2 * PagesPerSection, 0));
        Assert.Contains("MAX_PHYSMEM_BITS = 46", beyond.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.AddMemory(MaxPfn, PagesPerSection, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.AddMemory(ulong.MaxValue & ~(PagesPerSection - 1), 2 * PagesPerSection, 0));
        var node = Assert.Throws<ArgumentOutOfRangeException>(() => mem.AddMemory(Pfn(8), PagesPerSection, 64));
        Assert.Contains("MAX_NUMNODES = 64", node.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.AddMemory(Pfn(8), PagesPerSection, -1));

        // Overlaps: with boot memory, with hot-added memory, and a range whose first section is free
        // but whose last is not (nothing of it may be added).
        Assert.Contains("EEXIST", Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(3), PagesPerSection, 0)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(6), PagesPerSection, 2));
        Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(4), 3 * PagesPerSection, 0));
        Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(5), 2 * PagesPerSection, 0));

        if (!vmemmap)
        {
            Assert.Contains("SPARSEMEM_VMEMMAP", Assert.Throws<InvalidOperationException>(() => mem.AddDeviceMemory(Pfn(8), PagesPerSection, 0)).Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Capture(mem));
        Assert.True(mem.NrToSection(4) == null || mem.NrToSection(4)->SectionMemMap == 0);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BadRemovesAndOnlines_ThrowAndChangeNothing(bool vmemmap, bool extreme)
    {
        using var mem = Create(vmemmap, extreme);
        mem.AddMemory(Pfn(6), PagesPerSection, 2);
        var before = Capture(mem);

        Assert.Throws<ArgumentException>(() => mem.RemoveMemory(Pfn(6), 0));
        Assert.Throws<ArgumentException>(() => mem.RemoveMemory(Pfn(6) + 8, PagesPerSection));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.RemoveMemory(MaxPfn, PagesPerSection));
        Assert.Contains("not present", Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(8), PagesPerSection)).Message, StringComparison.Ordinal);

        // Section 6 then 7: the first would go, the second is absent, so neither goes.
        Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(6), 2 * PagesPerSection));

        // Boot memory is online: EBUSY until it is offlined.
        Assert.Contains("EBUSY", Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(0), PagesPerSection)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(5), 2 * PagesPerSection));

        // online_pages: from a pageblock boundary to a section boundary, over sections with a memmap.
        Assert.Throws<ArgumentException>(() => mem.OnlineSections(Pfn(6), 0));
        Assert.Throws<ArgumentException>(() => mem.OnlineSections(Pfn(6) + 1, PagesPerSection - 1));
        Assert.Throws<ArgumentException>(() => mem.OnlineSections(Pfn(6), PagesPerSection - 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.OnlineSections(MaxPfn, PagesPerSection));
        Assert.Throws<InvalidOperationException>(() => mem.OnlineSections(Pfn(6), 2 * PagesPerSection));
        Assert.Throws<InvalidOperationException>(() => mem.OfflineSections(Pfn(5), 3 * PagesPerSection));
        Assert.Throws<InvalidOperationException>(() => mem.OfflineSections(Pfn(100), PagesPerSection));

        Assert.Equal(before, Capture(mem));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EarlySection_CannotLoseSubsectionsItNeverHad(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        mem.OfflineSections(Pfn(32), PagesPerSection);
        var before = Capture(mem);

        // Section 32 came up at boot with subsections 0 and 1 only.
        Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(32, 2), PagesPerSubsection));
        Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(32), PagesPerSection));
        Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(32, 1), 2 * PagesPerSubsection));

        Assert.Equal(before, Capture(mem));
    }

    [Fact]
    public void Device_OnALayoutWithoutZoneDevice_IsRefused()
    {
        using var mem = Create(vmemmap: true, extreme: true, device: false);
        var before = Capture(mem);

        var e = Assert.Throws<InvalidOperationException>(() => mem.AddDeviceMemory(Pfn(8), PagesPerSection, 0));

        Assert.Contains("ZONE_DEVICE", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Capture(mem));
    }

    [Fact]
    public void DisposedStorage_RefusesEveryCall()
    {
        var mem = Create(vmemmap: true, extreme: true);
        mem.Dispose();

        Assert.Throws<ObjectDisposedException>(() => mem.AddMemory(Pfn(8), PagesPerSection, 0));
        Assert.Throws<ObjectDisposedException>(() => mem.AddDeviceMemory(Pfn(8), PagesPerSection, 0));
        Assert.Throws<ObjectDisposedException>(() => mem.RemoveMemory(Pfn(0), PagesPerSection));
        Assert.Throws<ObjectDisposedException>(() => mem.OnlineSections(Pfn(0), PagesPerSection));
        Assert.Throws<ObjectDisposedException>(() => mem.OfflineSections(Pfn(0), PagesPerSection));
        Assert.Throws<ObjectDisposedException>(() => mem.GetAccounting());
        Assert.Throws<ObjectDisposedException>(() => mem.EnterReadSection());
        Assert.Throws<ObjectDisposedException>(() => mem.Synchronize());
        Assert.Throws<ObjectDisposedException>(() => mem.TryReadPage(1, out _));
        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.PfnToOnlinePage(1));
        Assert.Throws<ObjectDisposedException>(() => mem.ForEachPresentSection());
        Assert.Throws<ObjectDisposedException>(() => mem.ForEachValidPfn(0, 10));
        Assert.Throws<ObjectDisposedException>(() => mem.FirstValidPfn(0, 10));
        Assert.Throws<ObjectDisposedException>(() => mem.EarlyPfnToNid(1));
        Assert.Throws<ObjectDisposedException>(() => mem.GetPageblockMigratetype(1));
        Assert.Throws<ObjectDisposedException>(() => mem.SetPageblockSkip(1, true));
        mem.Dispose();
    }
}
