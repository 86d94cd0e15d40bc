using System;
using PhysMem.Tests.Generated;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// Memmaps that live in the memory they describe: ZONE_DEVICE memory added with a vmem_altmap
// (mm/memremap.c, mm/sparse-vmemmap.c altmap_alloc_block_buf) and hot-added blocks with
// memmap_on_memory (mm/memory_hotplug.c). Expected values are worked out by hand in the comments.
public unsafe class AltmapTests
{
    // 64 TiB = 2^46 bytes = pfn 2^34; 16 GiB = 2^22 pages = 128 sections of 32,768 pages.
    private const ulong PmemStart = 1UL << 34;
    private const ulong PmemPages = 1UL << 22;

    // The memmap of 16 GiB: 2^22 pages × 64 bytes = 256 MiB = 65,536 pfns of 4 KiB.
    private const ulong PmemMemmapBytes = 256UL << 20;
    private const ulong PmemMemmapPfns = 65_536;

    // An nvdimm in devm mode: an 8 KiB info block (reserve 2 pfns), and the data starting at
    // ALIGN(8 KiB + 256 MiB, 2 MiB) = 258 MiB = 66,048 pfns, so free = 66,048 - 2 = 66,046.
    private const ulong PmemReserve = 2;
    private const ulong PmemFree = 66_046;

    [Fact]
    public void PmemWithAltmap_TakesItsMemmapFromItsFirstPfns_NotFromHostMemory()
    {
        using var mem = CreatePmemMachine();
        var before = mem.GetAccounting();

        VmemAltmap altmap = mem.AddDeviceMemory(PmemStart, PmemPages, 1, PmemReserve, PmemFree);

        // 128 whole sections: 128 PMD blocks of 512 pfns. The first starts at base + 2 and is
        // aligned up to base + 512 (align 510); the others follow it.
        Assert.Equal(new VmemAltmap(PmemStart, PmemStart + PmemPages - 1, 2, 66_046, PmemMemmapPfns, 510, false), altmap);
        Assert.Equal(66_048UL, altmap.Offset);
        Assert.Equal(PmemStart + 66_048, altmap.FirstUsablePfn);
        Assert.Equal(new[] { altmap }, mem.Altmaps);

        // The host memmap and the accounting of host memory are unchanged; the 256 MiB are the range's.
        var after = mem.GetAccounting();
        Assert.Equal(before.MemmapBytes, after.MemmapBytes);
        Assert.Equal(before.MemmapBytes, mem.CommittedMemmapBytes);
        Assert.Equal(PmemMemmapBytes, after.SelfHostedMemmapBytes);
        Assert.Equal(PmemMemmapBytes, mem.SelfHostedMemmapBytes);
        Assert.Equal(before.PresentSections + 128, after.PresentSections);

        // Every pfn of the range has a page, the altmap's included; the conversions are the usual ones.
        foreach (ulong pfn in new[] { PmemStart, PmemStart + 511, altmap.FirstUsablePfn, PmemStart + PmemPages - 1 })
        {
            Assert.True(mem.PfnValid(pfn));
            Assert.True(mem.PfnToPage(pfn) == mem.Vmemmap + pfn);
            Assert.Equal(pfn, mem.PageToPfn(mem.PfnToPage(pfn)));
            Assert.Equal(4, mem.PageFlags.Zonenum(mem.PfnToPage(pfn)->Flags));
        }

        mem.RemoveMemory(PmemStart, PmemPages);
        Assert.True(mem.Synchronize(TimeSpan.FromSeconds(30)));
        Assert.Empty(mem.Altmaps);
        Assert.Equal(0UL, mem.SelfHostedMemmapBytes);
        Assert.Equal(before.MemmapBytes, mem.CommittedMemmapBytes);
        Assert.False(mem.PfnValid(PmemStart));
    }

    [Fact]
    public void PmemWithAltmap_OnePfnTooFew_IsRefusedAndNothingChanges()
    {
        using var mem = CreatePmemMachine();
        var before = mem.GetAccounting();

        // 66,045 free pfns: the last 512-pfn block would need 512 with 511 left.
        var e = Assert.Throws<ArgumentException>(() => mem.AddDeviceMemory(PmemStart, PmemPages, 1, PmemReserve, PmemFree - 1));
        Assert.Contains("511 free pfns left", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 512 + 0", e.Message, StringComparison.Ordinal);

        // reserve + free larger than the range.
        Assert.Throws<ArgumentException>(() => mem.AddDeviceMemory(PmemStart, PagesPerSection, 1, 2, PagesPerSection - 1));

        Assert.Equal(before, mem.GetAccounting());
        Assert.Empty(mem.Altmaps);
        Assert.False(mem.PfnValid(PmemStart));
    }

    [Fact]
    public void DeviceAltmap_InsideAFreshSection_IsTakenPageByPage()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        // 4 subsections (2,048 pages) of section 8: 2,048 × 64 bytes = 128 KiB = 32 pages of memmap,
        // one pfn at a time (base pages), so nothing is skipped for alignment after reserve 3.
        var altmap = mem.AddDeviceMemory(Pfn(8, 60), 4 * PagesPerSubsection, 0, 3, 40);

        Assert.Equal(32UL, altmap.Alloc);
        Assert.Equal(0UL, altmap.Align);
        Assert.Equal(Pfn(8, 60) + 43, altmap.FirstUsablePfn);
        Assert.Equal(128UL * 1024, mem.SelfHostedMemmapBytes);
    }

    [Fact]
    public void DeviceAltmap_InABootSectionsHoles_ReusesTheBootMemmap()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        ulong host = mem.CommittedMemmapBytes;

        // Section 32 is a boot section: sparse_add_section reuses its memmap, the altmap gives nothing.
        var altmap = mem.AddDeviceMemory(Pfn(32, 20), 4 * PagesPerSubsection, 1, 0, 0);

        Assert.Equal(0UL, altmap.Alloc);
        Assert.Equal(0UL, mem.SelfHostedMemmapBytes);
        Assert.Equal(host, mem.CommittedMemmapBytes);
    }

    [Fact]
    public void MemmapOnMemory_EachBlockHostsItsMemmap_InWholePageblocks()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        ulong host = mem.CommittedMemmapBytes;

        // A block is a 128 MiB section: 32,768 × 64 bytes = 2 MiB of memmap = 512 pfns, one pageblock
        // and one PMD, less than the block: allowed.
        Assert.Null(mem.MemmapOnMemoryProblem);
        Assert.Equal(PagesPerSection, mem.MemoryBlockPages);
        Assert.Equal(512UL, mem.MemmapOnMemoryPages);

        var altmaps = mem.AddMemory(Pfn(8), 2 * PagesPerSection, 0, memmapOnMemory: true);

        Assert.Equal(
            new[] { new VmemAltmap(Pfn(8), Pfn(9) - 1, 0, 512, 512, 0, true), new VmemAltmap(Pfn(9), Pfn(10) - 1, 0, 512, 512, 0, true) },
            altmaps);
        Assert.Equal(Pfn(8) + 512, altmaps[0].FirstUsablePfn);
        Assert.Equal(host, mem.CommittedMemmapBytes);
        Assert.Equal(2 * SectionMemmap, mem.SelfHostedMemmapBytes);
        Assert.Equal(2 * SectionMemmap, mem.GetAccounting().SelfHostedMemmapBytes);

        // The memmap's pageblock is unmovable (mhp_init_memmap_on_memory), the rest movable.
        Assert.Equal(SparseMemory.MigrateUnmovable, mem.GetPageblockMigratetype(Pfn(8)));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(Pfn(8) + 512));
        Assert.True(mem.PfnToPage(Pfn(9) + 7) == mem.Vmemmap + Pfn(9) + 7);

        // A block is removed whole or not at all; one block of the two is fine.
        Assert.Throws<ArgumentException>(() => mem.RemoveMemory(Pfn(9), PagesPerSubsection));
        Assert.Equal(2, mem.Altmaps.Count);
        mem.RemoveMemory(Pfn(9), PagesPerSection);
        Assert.True(mem.Synchronize(TimeSpan.FromSeconds(30)));
        Assert.Equal(SectionMemmap, mem.SelfHostedMemmapBytes);
        Assert.Equal(new[] { altmaps[0] }, mem.Altmaps);
    }

    [Fact]
    public void MemmapOnMemory_FollowsTheKernelsConditions()
    {
        // Subsection-aligned but not block-aligned.
        using (var mem = Create(vmemmap: true, extreme: true))
        {
            Assert.Throws<ArgumentException>(() => mem.AddMemory(Pfn(8, 1), PagesPerSection, 0, memmapOnMemory: true));
            Assert.False(mem.PfnValid(Pfn(8, 1)));
        }

        // Classic SPARSEMEM: no VMEMMAP, no memmap_on_memory.
        using (var mem = Create(vmemmap: false, extreme: true))
        {
            Assert.Contains("SPARSEMEM_VMEMMAP", mem.MemmapOnMemoryProblem, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(8), PagesPerSection, 0, memmapOnMemory: true));
        }

        // 4 MiB pageblocks (order 10): 512 memmap pages are half a pageblock.
        using (var mem = new SparseMemory(MemoryLayout.Create(Spec(vmemmap: true, extreme: true) with { PageblockOrder = 10 }), BootMap))
        {
            Assert.Contains("pageblock_nr_pages = 1,024", mem.MemmapOnMemoryProblem, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(8), PagesPerSection, 0, memmapOnMemory: true));
            Assert.False(mem.PfnValid(Pfn(8)));
        }

        // 24-byte pages: 32,768 × 24 = 786,432 bytes = 192 pages, not a pageblock of 512.
        using (var mem = new SparseMemory<SmallPage>(MemoryLayout.Create(Spec(vmemmap: true, extreme: true)), BootMap))
        {
            Assert.Equal(192UL, mem.MemmapOnMemoryPages);
            Assert.Contains("192 pages", mem.MemmapOnMemoryProblem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MemmapOnMemory_IsReachableThroughAGeneratedModelsStorage()
    {
        using var model = new VmemmapExtreme(BootMap);
        var altmaps = model.Storage.AddMemory(Pfn(8), PagesPerSection, 0, memmapOnMemory: true);
        Assert.Equal(512UL, Assert.Single(altmaps).Alloc);
        Assert.Equal(SectionMemmap, model.Storage.SelfHostedMemmapBytes);
    }

    // x86-64 with 5-level paging (MAX_PHYSMEM_BITS 52), so that 64 TiB is inside the model.
    private static SparseMemory CreatePmemMachine() =>
        new(MemoryLayout.Create(Spec(vmemmap: true, extreme: true) with { MaxPhysmemBits = 52 }), BootMap, null, StorageLimits.None);
}

// The process-wide commit counter moves with every storage, so this runs alone (see LeakTests).
[Collection(nameof(ProcessWideCounters))]
public unsafe class HostedReservationTests
{
    [Fact]
    public void HostedParts_AreCountedApartFromHostMemory_AndNeverShareAPage()
    {
        ulong os = (ulong)Environment.SystemPageSize;
        using var r = VirtualMemoryReservation.Reserve(64 * os, "test vmemmap");
        long process = NativeAccounting.CommittedBytes;

        r.Commit(0, 2 * os);
        r.CommitHosted(4 * os, 3 * os);
        ((byte*)r.Base)[4 * os] = 1;

        Assert.Equal(2 * os, r.CommittedBytes);
        Assert.Equal(3 * os, r.HostedBytes);
        Assert.Equal(process + (long)(5 * os), NativeAccounting.CommittedBytes);

        // Not page-aligned, or over committed memory: refused, nothing changes.
        Assert.Throws<ArgumentException>(() => r.CommitHosted(10 * os + 1, os));
        Assert.Throws<ArgumentException>(() => r.CommitHosted(os, 2 * os));
        Assert.Equal(3 * os, r.HostedBytes);

        r.Decommit(0, 16 * os);
        Assert.Equal(0UL, r.CommittedBytes);
        Assert.Equal(0UL, r.HostedBytes);
        Assert.Equal(process, NativeAccounting.CommittedBytes);
    }
}
