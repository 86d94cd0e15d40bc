using System;
using System.Linq;
using PhysMem.Tests.Generated;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// What a map costs, computed before anything is allocated, against numbers worked out here by hand
// from the layout (x86-64: 4 KiB pages, 128 MiB sections = 32768 pages, 46-bit addresses = 2^19
// sections) and against what the storage reports once built; maps over a limit are refused.
public class StorageLimitsTests
{
    private const ulong MiB = 1UL << 20;
    private const ulong SectionMemmapOfSmallPages = PagesPerSection * 24; // SmallPage is 24 bytes

    // BootMap: 0x1000-0x9_fc00 and 0x10_0000-0x2000_0000 (sections 0..3), and 4 MiB at 4 GiB (section 32).
    private const ulong BootSections = 5;

    private static readonly MemoryMap SmallMap = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_fc00), new MemoryRange(0x10_0000, 0x2000_0000));
    private static readonly MemoryMap TwoNodes = MemoryMap.FromRanges(new MemoryRange(0x10_0000, 0x2000_0000), new MemoryRange(0x4000_0000, 0x6000_0000, 1));

    [Fact]
    public void SparseVmemmapExtreme_CostIsWhatTheStorageAllocates()
    {
        var layout = MemoryLayout.Create(Spec(vmemmap: true, extreme: true));
        var cost = StorageCost.For(layout, BootMap);

        Assert.Equal(BootSections * SectionMemmap, cost.MemmapBytes);          // 5 × 32768 × 64 = 10 MiB
        Assert.Equal((1UL << 19) / 256 * 8 + 1 * RootBytes, cost.TableBytes);   // 2048 root pointers, one root (sections 0..32 share root 0)
        Assert.Equal(BootSections * VmemmapUsage, cost.UsageBytes);            // 5 × (8 + 64)
        Assert.Equal((1UL << 19) * SectionMemmap, cost.ReservedBytes);         // the whole vmemmap: 1 TiB
        using var mem = new SparseMemory(layout, BootMap);
        AssertBuilt(cost, mem.GetAccounting());
    }

    [Fact]
    public void SparseClassicStatic_CostIsWhatTheStorageAllocates()
    {
        var layout = MemoryLayout.Create(Spec(vmemmap: false, extreme: false));
        var cost = StorageCost.For(layout, BootMap);

        Assert.Equal(BootSections * SectionMemmap, cost.MemmapBytes);
        Assert.Equal((1UL << 19) * 16, cost.TableBytes);                       // the static table: 8 MiB
        Assert.Equal(BootSections * 64, cost.UsageBytes);                      // usemap only, no subsection map
        Assert.Equal((1UL << 19) * 16, cost.ReservedBytes);                    // the static table is reserved address space
        using var mem = new SparseMemory(layout, BootMap);
        AssertBuilt(cost, mem.GetAccounting());
    }

    [Fact]
    public void SmallPageClassicExtreme_CostCountsItsEntries()
    {
        var cost = StorageCost.For<SmallPage>(SmallClassicExtreme.Layout, BootMap);

        Assert.Equal(BootSections * SectionMemmapOfSmallPages, cost.MemmapBytes);
        Assert.Equal(0UL, cost.ReservedBytes);
        using var mem = new SparseMemory<SmallPage>(SmallClassicExtreme.Layout, BootMap);
        AssertBuilt(cost, mem.GetAccounting());
    }

    [Fact]
    public void Flat_CostIsMemMapUpToTheEndOfMemory_LessTheHolesItReleases()
    {
        var cost = StorageCost.For(Flat.Layout, SmallMap);
        var holes = StorageCost.For(FlatWithHoles.Layout, SmallMap);

        // pfns 0 .. 0x20000 (512 MiB of 4 KiB pages) × 64 bytes = 8 MiB.
        Assert.Equal(8 * MiB, cost.MemmapBytes);
        Assert.Equal(8 * MiB, cost.ReservedBytes);

        // The hole between pfn 0x9f and 0x100 covers mem_map bytes 0x27c0-0x4000: one whole 4 KiB page (0x3000-0x4000).
        Assert.Equal((8 * MiB) - 4096, holes.MemmapBytes);
        using var flat = new FlatMemory(FlatWithHoles.Layout, SmallMap);
        Assert.Equal(holes.MemmapBytes, flat.CommittedMemmapBytes);
        Assert.Equal(holes.ReservedBytes, flat.ReservedBytes);
    }

    [Fact]
    public void Discontig_CostIsEachNodeSpan()
    {
        var cost = StorageCost.For(DiscontigFromMap.Layout, TwoNodes);

        // Node 0: pfns 0x100-0x20000 (130816 pages); node 1: 0x40000-0x60000 (131072 pages); 64 bytes each.
        Assert.Equal((130816UL + 131072) * 64, cost.MemmapBytes);
        Assert.Equal(2UL * 32, cost.TableBytes); // two NodeData of four words
        using var mem = new DiscontigMemory(DiscontigFromMap.Layout, TwoNodes);
        Assert.Equal(cost.MemmapBytes, mem.CommittedMemmapBytes);
        Assert.Equal(cost.ReservedBytes, mem.ReservedBytes);
    }

    // 10,000 one-page ranges 4 GiB apart: 40 MB of memory, but 10,000 sections of 2 MiB memmap each.
    [Fact]
    public void TheSparseTenThousandRangeMap_IsRefusedBeforeAnythingIsAllocated()
    {
        var map = OnePageEvery4GiB(10_000);

        var e = Assert.Throws<StorageLimitException>(() => new VmemmapExtreme(map));
        Assert.Throws<StorageLimitException>(() => new SparseMemory(MemoryLayout.Create(Spec(vmemmap: false, extreme: true)), map));

        Assert.Equal(10_000 * SectionMemmap, e.Bytes);
        Assert.Equal(StorageLimits.DefaultMaxMemmapBytes, e.Limit);
        Assert.Equal(nameof(StorageLimits.MaxMemmapBytes), e.LimitName);
        Assert.Contains("20971520000 bytes", e.Message);
        Assert.Contains("10,000 present sections", e.Message);
        Assert.Contains("MaxMemmapBytes = 4294967296 bytes (4 GiB)", e.Message);
        Assert.Contains("nothing was allocated", e.Message);
    }

    [Fact]
    public void AMapOverALimitIsRefused_AndBuiltWhenTheLimitIsRaised()
    {
        // 20 sections of 2 MiB memmap: 40 MiB.
        var map = OnePageEvery4GiB(20);
        var layout = MemoryLayout.Create(Spec(vmemmap: true, extreme: true));

        var e = Assert.Throws<StorageLimitException>(() => new SparseMemory(layout, map, null, new StorageLimits { MaxMemmapBytes = 32 * MiB }));
        Assert.Equal(20 * SectionMemmap, e.Bytes);
        Assert.Throws<StorageLimitException>(() => new VmemmapExtreme(map, new StorageLimits { MaxTableBytes = 4096 }));

        using var mem = new SparseMemory(layout, map, null, new StorageLimits { MaxMemmapBytes = 64 * MiB });
        Assert.Equal(20, mem.PresentSections.Count);
        using var generated = new VmemmapExtreme(map, StorageLimits.None);
        Assert.True(generated.PfnValid(5UL << 20));
    }

    [Fact]
    public void HotAddOverTheLimit_IsRefusedAndChangesNothing()
    {
        var layout = MemoryLayout.Create(Spec(vmemmap: true, extreme: true));
        using var mem = new SparseMemory(layout, BootMap, null, new StorageLimits { MaxMemmapBytes = (BootSections + 1) * SectionMemmap });
        var before = mem.GetAccounting();

        mem.AddMemory(Pfn(40), PagesPerSection, 0);                // one more section: exactly at the limit
        var e = Assert.Throws<StorageLimitException>(() => mem.AddMemory(Pfn(41), PagesPerSubsection, 0));

        Assert.Equal((BootSections + 1) * SectionMemmap + SubsectionMemmap, e.Bytes);
        Assert.Contains("Hot-adding pfn 0x148000-0x1481ff", e.Message);
        Assert.False(mem.PfnValid(Pfn(41)));
        Assert.Equal(before.MemmapBytes + SectionMemmap, mem.GetAccounting().MemmapBytes);
        Assert.Equal(before.PresentSections + 1, mem.GetAccounting().PresentSections);
    }

    private static void AssertBuilt(StorageCost cost, MemoryAccounting built)
    {
        Assert.Equal(cost.MemmapBytes, built.MemmapBytes);
        Assert.Equal(cost.TableBytes, built.SectionTableBytes);
        Assert.Equal(cost.UsageBytes, built.UsageBytes);
        Assert.Equal(cost.ReservedBytes, built.ReservedBytes);
    }

    private static MemoryMap OnePageEvery4GiB(int count) =>
        MemoryMap.FromRanges(Enumerable.Range(0, count).Select(i => new MemoryRange((ulong)i << 32, ((ulong)i << 32) + 4096)).ToArray());
}
