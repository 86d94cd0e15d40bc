using System;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

// The four variants are built once (building touches ~100 MiB of memmap) and shared by the
// read-only tests; tests that change or dispose storage build their own.
public sealed class SparseMemoryFixture : IDisposable
{
    private readonly SparseMemory?[] _built = new SparseMemory?[4];

    public SparseMemory Get(bool vmemmap, bool extreme)
    {
        int i = (vmemmap ? 2 : 0) + (extreme ? 1 : 0);
        lock (_built)
        {
            return _built[i] ??= SparseMemoryTests.Create(vmemmap, extreme);
        }
    }

    public void Dispose()
    {
        foreach (var m in _built)
        {
            m?.Dispose();
        }
    }
}

public unsafe class SparseMemoryTests : IClassFixture<SparseMemoryFixture>
{
    private readonly SparseMemoryFixture _fixture;

    public SparseMemoryTests(SparseMemoryFixture fixture)
    {
        _fixture = fixture;
    }

    private const ulong MaxPfn46 = 1UL << (46 - 12);
    private const ulong AllFlags = 0b1111; // PRESENT | HAS_MEM_MAP | IS_ONLINE | IS_EARLY

    // Holes, several ranges, three nodes, a section shared by two partial ranges, a range far up
    // (its own EXTREME root), one ending at the top of the 46-bit model.
    internal static readonly MemoryMap Map = MemoryMap.FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0xc000_0000),
        new MemoryRange(0x1_0000_0000, 0x1_8000_0000),
        new MemoryRange(0x1_8000_0000, 0x1_c020_0000, 1),
        new MemoryRange(0x1_c060_0000, 0x1_c080_0000, 1),
        new MemoryRange(0x20_0000_0000, 0x20_1000_0000, 2),
        new MemoryRange(0x3FFF_F800_0000, 0x4000_0000_0000, 2));

    internal static SparseMemory Create(bool vmemmap, bool extreme) =>
        new(MemoryLayout.Create(Specs.X86_64(vmemmap, extreme, nodesShift: 6)), Map);

    public static TheoryData<bool, bool> Variants => new() { { true, false }, { true, true }, { false, false }, { false, true } };

    [Theory]
    [MemberData(nameof(Variants))]
    public void PresentSections_FollowTheRanges(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);
        var expected = Expected.PresentSections(Map, MaxPfn46);

        // 0..23, 32..56, 1024..1025, 524287: the independent computation agrees with the hand count.
        Assert.Equal(Enumerable.Range(0, 24).Concat(Enumerable.Range(32, 25)).Select(i => (ulong)i).Concat(new ulong[] { 1024, 1025, 524_287 }), expected);
        Assert.Equal(expected, mem.PresentSections);
        Assert.Equal(524_287UL, mem.HighestPresentSectionNr);
        for (ulong nr = 0; nr < 2048; nr++)
        {
            Assert.Equal(expected.Contains(nr), mem.PfnInPresentSection(nr << 15));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryPfnOfEveryPresentSection_RoundTrips_WithItsLinks(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);
        var runs = Expected.Runs(Map, MaxPfn46);
        var flags = mem.PageFlags;
        foreach (ulong nr in mem.PresentSections)
        {
            ulong first = nr << 15;
            Page* firstPage = mem.PfnToPage(first);
            for (ulong pfn = first; pfn < first + Expected.PagesPerSection; pfn++)
            {
                Page* page = mem.PfnToPage(pfn);
                Assert.True(page == firstPage + (pfn - first));
                Assert.Equal(pfn, mem.PageToPfn(page));
                Assert.True(mem.PfnValid(pfn));
                if ((pfn & 511) == 0 || pfn == first + Expected.PagesPerSection - 1)
                {
                    Assert.Equal(Expected.X86_64Zone(pfn), flags.Zonenum(page->Flags));
                    Assert.Equal(Expected.Node(runs, pfn), flags.Nid(page->Flags));
                    Assert.Equal(Expected.Node(runs, pfn), mem.PageToNid(page));
                    if (!vmemmap)
                    {
                        Assert.Equal(nr, flags.SectionNumber(page->Flags));
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void LinksOfEveryPage_MatchTheRules(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);
        var layout = mem.Layout;

        // Independently placed fields: node at bits 63..58 below the section field, zone below it.
        int sectionBits = vmemmap ? 0 : 19;
        int nodeShift = 64 - sectionBits - 6;
        int zoneShift = nodeShift - 2;
        Assert.Equal(nodeShift, layout.NodesPgshift);
        var runs = Expected.Runs(Map, MaxPfn46);
        foreach (ulong nr in mem.PresentSections)
        {
            for (ulong pfn = nr << 15; pfn < (nr + 1) << 15; pfn += 97)
            {
                ulong f = mem.PfnToPage(pfn)->Flags;
                ulong expected = ((ulong)Expected.Node(runs, pfn) << nodeShift) | ((ulong)Expected.X86_64Zone(pfn) << zoneShift) | (vmemmap ? 0 : nr << (64 - sectionBits));
                Assert.Equal(expected, f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void PfnValid_FalseOutsideTheModelAndAbsentSections(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);

        // Holes inside early sections are valid: the whole boot section has a memmap.
        Assert.True(mem.PfnValid(0));
        Assert.True(mem.PfnValid(0xa0));
        Assert.True(mem.PfnValid((56UL << 15) + 600)); // subsection 1 of section 56, not RAM

        foreach (ulong nr in new ulong[] { 24, 31, 57, 100, 1023, 1026, 4096, 524_286 })
        {
            Assert.False(mem.PfnValid(nr << 15));
            Assert.False(mem.PfnValid((nr << 15) + 12345));
            Assert.False(mem.PfnInPresentSection(nr << 15));
        }

        // Beyond the model: its section number is too big.
        Assert.False(mem.PfnValid(0x4000_1000_0000UL >> 12));
        Assert.False(mem.PfnValid(MaxPfn46));
        Assert.False(mem.PfnInPresentSection(MaxPfn46));
        Assert.True(mem.PfnValid(MaxPfn46 - 1));

        // High bits set: the pfn does not survive PFN_PHYS / PHYS_PFN.
        Assert.False(mem.PfnValid(1UL << 60));
        Assert.False(mem.PfnValid((1UL << 52) | 5));
        Assert.False(mem.PfnValid(ulong.MaxValue));
        Assert.False(mem.PfnInPresentSection(ulong.MaxValue));
        Assert.True(mem.NrToSection(1UL << 19) == null);
        Assert.True(mem.NrToSection(ulong.MaxValue) == null);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void SectionWords_EncodeTheMemmapAndExactlyTheBootFlags(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);
        Assert.Equal(4, mem.Layout.SectionMapLastBit);
        foreach (ulong nr in mem.PresentSections)
        {
            MemSection* ms = mem.NrToSection(nr);
            ulong word = ms->SectionMemMap;
            Assert.Equal(AllFlags, word & 0xF);
            Assert.True(SparseMemory.PresentSection(ms) && SparseMemory.ValidSection(ms) && SparseMemory.OnlineSection(ms) && SparseMemory.EarlySection(ms));

            // decode = (word & SECTION_MAP_MASK) + section_nr_to_pfn(nr) * sizeof(Page)
            Page* memmap = (Page*)((word & ~0xFUL) + (nr << 15) * 64);
            Assert.True(memmap == mem.DecodeMemMap((nuint)word, nr));
            Assert.True(memmap == mem.PfnToPage(nr << 15));
            Assert.Equal((nuint)(word & ~0xFUL), mem.EncodeMemMap(memmap, nr));
            if (vmemmap)
            {
                // Every section's biased pointer is the vmemmap base itself.
                Assert.Equal((ulong)mem.Vmemmap, word & ~0xFUL);
                Assert.True(memmap == mem.Vmemmap + (nr << 15));
            }
            else
            {
                Assert.Equal(0UL, (ulong)memmap % 4096);
                Assert.True(mem.Vmemmap == null);
            }
        }

        Assert.False(SparseMemory.PresentSection((MemSection*)null));
        Assert.False(SparseMemory.ValidSection((MemSection*)null));
        Assert.False(SparseMemory.OnlineSection((MemSection*)null));
        Assert.False(SparseMemory.EarlySection((MemSection*)null));
        Assert.True(SparseMemory.PresentSection((nuint)1) && !SparseMemory.ValidSection((nuint)1));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void SectionToNode_KeepsTheNodeAfterTheWordIsReplaced(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);

        Assert.Equal(0, mem.SectionToNode(0));
        Assert.Equal(0, mem.SectionToNode(47));
        Assert.Equal(1, mem.SectionToNode(48));
        Assert.Equal(1, mem.SectionToNode(56));
        Assert.Equal(2, mem.SectionToNode(1024));
        Assert.Equal(2, mem.SectionToNode(524_287));
        Assert.Equal(0, mem.SectionToNode(30));
        Assert.Throws<ArgumentOutOfRangeException>(() => mem.SectionToNode(1UL << 19));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Vmemmap_SubsectionBitsAreExactlyTheRanges(bool extreme)
    {
        var mem = _fixture.Get(vmemmap: true, extreme);
        foreach (ulong nr in mem.PresentSections)
        {
            MemSection* ms = mem.NrToSection(nr);
            Assert.Equal(Expected.SubsectionBits(Map, MaxPfn46, nr), ms->Usage[0]);
        }

        // Section 56 holds 0x1c0000000-0x1c0200000 and 0x1c0600000-0x1c0800000: subsections 0 and 3.
        MemSection* s56 = mem.NrToSection(56);
        Assert.Equal(0b1001UL, s56->Usage[0]);
        ulong base56 = 56UL << 15;
        Assert.True(mem.PfnSectionValid(s56, base56));
        Assert.False(mem.PfnSectionValid(s56, base56 + 512));
        Assert.False(mem.PfnSectionValid(s56, base56 + 1024));
        Assert.True(mem.PfnSectionValid(s56, base56 + 3 * 512 + 7));
        Assert.Equal(3, mem.SubsectionMapIndex(base56 + 3 * 512 + 7));
        Assert.Equal(ulong.MaxValue, mem.NrToSection(1)->Usage[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Classic_HasNoSubsectionMap(bool extreme)
    {
        var mem = _fixture.Get(vmemmap: false, extreme);
        MemSection* s56 = mem.NrToSection(56);
        Assert.True(mem.PfnSectionValid(s56, (56UL << 15) + 512));
        Assert.Equal(64UL * 52, mem.UsageBytes); // pageblock flags only: usemap_size 64 bytes
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Accounting(bool vmemmap, bool extreme)
    {
        var mem = _fixture.Get(vmemmap, extreme);
        const ulong sections = 52;

        Assert.Equal(sections * 32768 * 64, mem.CommittedMemmapBytes);
        Assert.Equal(sections * (vmemmap ? 8UL + 64 : 64), mem.UsageBytes);
        ulong staticTable = (1UL << 19) * 16;
        ulong vmemmapBytes = 1UL << 40;
        Assert.Equal((vmemmap ? vmemmapBytes : 0) + (extreme ? 0 : staticTable), mem.ReservedBytes);
        if (extreme)
        {
            // Roots 0 (sections 0..255), 4 (1024, 1025) and 2047 (524287): 256 sections of 16 bytes each.
            Assert.Equal(3, mem.AllocatedRootCount);
            Assert.Equal(2048UL * 8 + 3 * 256 * 16, mem.SectionTableBytes);
            int allocated = 0;
            for (ulong root = 0; root < 2048; root++)
            {
                if (mem.Roots[root] != null)
                {
                    allocated++;
                    Assert.Contains(root, new ulong[] { 0, 4, 2047 });
                }
            }

            Assert.Equal(3, allocated);
            Assert.True(mem.SectionTable == null);
            Assert.True(mem.NrToSection(300) == null); // root 1 was never needed
        }
        else
        {
            Assert.Equal(staticTable, mem.SectionTableBytes);
            Assert.True(mem.Roots == null);
            Assert.True(mem.NrToSection(300) == mem.SectionTable + 300);
            Assert.Equal(0UL, (ulong)mem.NrToSection(300)->SectionMemMap);
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void RangesBeyondMaxPhysmemBits_AreRefusedBeforeAnythingIsBuilt(bool vmemmap, bool extreme)
    {
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap, extreme, nodesShift: 6));

        // One straddling 2^46, one entirely above it: both are named with the limit.
        var straddling = Assert.Throws<ArgumentException>(() => new SparseMemory(layout, MemoryMap.FromRanges(
            new MemoryRange(0x10_0000, 0xc000_0000), new MemoryRange(0x3FFF_F800_0000, 0x4000_0800_0000, 2))));
        Assert.Contains("[0x3ffff8000000-0x400008000000) node 2", straddling.Message, StringComparison.Ordinal);
        Assert.Contains("MAX_PHYSMEM_BITS = 46", straddling.Message, StringComparison.Ordinal);
        Assert.Contains("0x400000000000", straddling.Message, StringComparison.Ordinal);

        var above = Assert.Throws<ArgumentException>(() => new SparseMemory(layout, MemoryMap.FromRanges(new MemoryRange(0x4000_1000_0000, 0x4000_2000_0000, 3))));
        Assert.Contains("[0x400010000000-0x400020000000) node 3", above.Message, StringComparison.Ordinal);

        // Ending exactly at the limit is inside the model.
        using var mem = new SparseMemory(layout, MemoryMap.FromRanges(new MemoryRange(0x3FFF_F800_0000, 0x4000_0000_0000, 2)));
        Assert.Equal(new ulong[] { 524_287 }, mem.PresentSections);
        Assert.Empty(mem.Warnings);
    }

    [Fact]
    public void TwoInstances_SideBySide_AreIndependent()
    {
        using var a = Create(vmemmap: true, extreme: false);
        using var b = Create(vmemmap: true, extreme: true);

        Assert.True(a.Vmemmap != b.Vmemmap);
        a.PfnToPage(0x1234)->Private = 42;
        Assert.Equal(0UL, b.PfnToPage(0x1234)->Private);
        Assert.Equal(42UL, a.PfnToPage(0x1234)->Private);
        Assert.Equal(a.PresentSections, b.PresentSections);
    }

    [Fact]
    public void NodeOutsideThePageFlags_IsReadThroughTheSection()
    {
        // Classic sparse with 52-bit addresses: the node does not fit beside 25 section bits (PMEM0111).
        // The range at 2^51 puts a section at 2^24, high enough for the sparse node table.
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: false, extreme: true, maxPhysmemBits: 52, nodesShift: 10) with { LruGen = true });
        Assert.True(layout.NodeNotInPageFlags);
        var map = MemoryMap.FromRanges(new MemoryRange(0, 1UL << 30), new MemoryRange(1UL << 30, 2UL << 30, 5), new MemoryRange(1UL << 51, (1UL << 51) + (1UL << 27), 700));
        using var mem = new SparseMemory(layout, map);

        Assert.Equal(0, mem.PageToNid(mem.PfnToPage(5)));
        Assert.Equal(5, mem.PageToNid(mem.PfnToPage((1UL << 18) + 5)));
        Assert.Equal(700, mem.PageToNid(mem.PfnToPage((1UL << 39) + 77)));
        Assert.Equal(700, mem.SectionToNode(1UL << 24));
        Assert.Equal((1UL << 39) + 77, mem.PageToPfn(mem.PfnToPage((1UL << 39) + 77)));
        Assert.Equal(0, mem.SectionToNode((1UL << 24) + 1)); // not present
        Assert.Throws<InvalidOperationException>(() => mem.PageFlags.Nid(mem.PfnToPage(5)->Flags));
    }

    [Fact]
    public void EmptyMap_HasNoSections()
    {
        using var mem = new SparseMemory(MemoryLayout.Create(Specs.X86_64(true, true)), MemoryMap.FromRanges());

        Assert.Empty(mem.PresentSections);
        Assert.Equal(0UL, mem.CommittedMemmapBytes);
        Assert.False(mem.PfnValid(0));
        Assert.Equal(0, mem.AllocatedRootCount);
    }

    [Fact]
    public void WrongModelOrNode_IsRejected()
    {
        var flat = MemoryLayout.Create(Specs.Flat());
        var e = Assert.Throws<ArgumentException>(() => new SparseMemory(flat, Map));
        Assert.Contains("FLATMEM", e.Message);

        // Without NUMA only node 0 exists.
        var noNuma = MemoryLayout.Create(Specs.X86_64(true, true));
        var e2 = Assert.Throws<ArgumentException>(() => new SparseMemory(noNuma, Map));
        Assert.Contains("node 1", e2.Message);
    }

    [Fact]
    public void Dispose_ThenEveryMemberThrows()
    {
        var mem = Create(vmemmap: false, extreme: true);
        mem.Dispose();
        mem.Dispose();

        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.PfnToPage(1));
        Assert.Throws<ObjectDisposedException>(() => mem.PageToPfn(null));
        Assert.Throws<ObjectDisposedException>(() => mem.PfnValid(1));
        Assert.Throws<ObjectDisposedException>(() => mem.PfnInPresentSection(1));
        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.NrToSection(1));
        Assert.Throws<ObjectDisposedException>(() => mem.PresentSections);
        Assert.Throws<ObjectDisposedException>(() => mem.HighestPresentSectionNr);
        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.Roots);
        Assert.Throws<ObjectDisposedException>(() => (ulong)mem.Vmemmap);
        Assert.Throws<ObjectDisposedException>(() => mem.CommittedMemmapBytes);
        Assert.Throws<ObjectDisposedException>(() => mem.SectionToNode(0));
        Assert.Throws<ObjectDisposedException>(() => mem.PfnToSectionNr(0));
        Assert.Throws<ObjectDisposedException>(() => mem.SectionNrToPfn(0));
        Assert.Throws<ObjectDisposedException>(() => mem.ReservedBytes);
        Assert.Throws<ObjectDisposedException>(() => mem.UsageBytes);
        Assert.Throws<ObjectDisposedException>(() => mem.SectionTableBytes);
    }
}
