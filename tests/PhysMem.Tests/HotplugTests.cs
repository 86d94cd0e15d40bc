using System.Linq;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// sparse_add_section / sparse_remove_section at section and subsection granularity. Expectations come
// from mm/sparse.c's rules: a hot-added section is PRESENT | HAS_MEM_MAP (not EARLY, not ONLINE)
// with the vmemmap base as its encoded pointer; the subsection map holds one bit per 2 MiB added;
// the memmap committed is 64 bytes per added page; an emptied section's word is 0.
public unsafe class HotplugTests
{
    private const ulong PresentHasMemMap = 0b0011;
    private const ulong BootFlags = 0b1111; // PRESENT | HAS_MEM_MAP | IS_ONLINE | IS_EARLY

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddSection_PublishesAFreshSection_NotEarlyNotOnline(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        var before = mem.GetAccounting();
        ulong start = Pfn(8);

        mem.AddMemory(start, PagesPerSection, nid: 3);

        MemSection* ms = mem.NrToSection(8);
        Assert.Equal((ulong)mem.Vmemmap | PresentHasMemMap, (ulong)ms->SectionMemMap);
        Assert.Equal(ulong.MaxValue, ms->Usage[0]);
        for (ulong pfn = start; pfn < start + PagesPerSection; pfn += 97)
        {
            Assert.True(mem.PfnValid(pfn));
            Page* page = mem.PfnToPage(pfn);
            Assert.Equal(Expected.X86_64Zone(pfn), mem.PageFlags.Zonenum(page->Flags)); // 1 GiB: DMA32
            Assert.Equal(3, mem.PageFlags.Nid(page->Flags));
            Assert.Equal(0UL, page->Private);
        }

        Assert.True(mem.PfnToOnlinePage(start) == null);
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 8, 32 }, mem.PresentSections);
        Assert.Equal(32UL, mem.HighestPresentSectionNr);
        Assert.Equal(3, mem.SectionToNode(8));
        Assert.True(IsAccessible(mem.PfnToPage(start)));

        var after = mem.GetAccounting();
        Assert.Equal(before with
        {
            MemmapBytes = before.MemmapBytes + SectionMemmap,
            UsageBytes = before.UsageBytes + VmemmapUsage,
            HeapBytes = before.HeapBytes + VmemmapUsage,
            HeapAllocations = before.HeapAllocations + 1,
            PresentSections = before.PresentSections + 1,
        }, after);

        // memmap_init_range: every pageblock of the section starts in the added memory.
        for (ulong block = 0; block < 64; block++)
        {
            Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(start + block * 512));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RemoveSection_ClearsTheWord_ReturnsTheMemmap_AndKeepsTheUsageBlockForReuse(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        var boot = Capture(mem);
        ulong start = Pfn(8);
        mem.AddMemory(start, PagesPerSection, nid: 3);
        ulong* usage = mem.NrToSection(8)->Usage;
        Page* page = mem.PfnToPage(start + 100);

        mem.RemoveMemory(start, PagesPerSection);

        MemSection* ms = mem.NrToSection(8);
        Assert.Equal(0UL, (ulong)ms->SectionMemMap);
        Assert.True(ms->Usage == null);
        Assert.False(mem.PfnValid(start + 100));
        Assert.False(mem.PfnInPresentSection(start));

        // No reader was inside a read section, so the memmap went back at once: no access again.
        Assert.True(IsNoAccess(page));
        var removed = Capture(mem);
        Assert.Equal(boot.Tables, removed.Tables);
        Assert.Equal(boot.Accounting with
        {
            UsageBytes = boot.Accounting.UsageBytes + VmemmapUsage,
            CachedUsageBytes = VmemmapUsage,
            HeapBytes = boot.Accounting.HeapBytes + VmemmapUsage,
            HeapAllocations = boot.Accounting.HeapAllocations + 1,
        }, removed.Accounting);

        // Added again: the cached usage block is reused, and the pages are fresh.
        mem.AddMemory(start, PagesPerSection, nid: 4);
        Assert.True(mem.NrToSection(8)->Usage == usage);
        Assert.Equal(0UL, mem.GetAccounting().CachedUsageBytes);
        Assert.Equal(4, mem.PageFlags.Nid(mem.PfnToPage(start + 100)->Flags));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Subsections_AreAddedAndRemovedOneBitAtATime(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        var boot = Capture(mem);
        ulong memmap = boot.Accounting.MemmapBytes;

        mem.AddMemory(Pfn(9, 5), 3 * PagesPerSubsection, nid: 2);

        MemSection* ms = mem.NrToSection(9);
        ulong word = ms->SectionMemMap;
        Assert.Equal((ulong)mem.Vmemmap | PresentHasMemMap, word);
        Assert.Equal(0b111UL << 5, ms->Usage[0]);
        Assert.Equal(memmap + 3 * SubsectionMemmap, mem.GetAccounting().MemmapBytes);
        Assert.False(mem.PfnValid(Pfn(9, 5) - 1));
        Assert.True(mem.PfnValid(Pfn(9, 5)));
        Assert.True(mem.PfnValid(Pfn(9, 8) - 1));
        Assert.False(mem.PfnValid(Pfn(9, 8)));
        Assert.Equal(SparseMemory.MigrateMovable, mem.GetPageblockMigratetype(Pfn(9, 6)));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => mem.GetPageblockMigratetype(Pfn(9, 4)));

        // Overlapping what is there: EEXIST, nothing changes.
        var added = Capture(mem);
        Assert.Throws<System.InvalidOperationException>(() => mem.AddMemory(Pfn(9, 7), 2 * PagesPerSubsection, 2));
        Assert.Equal(added, Capture(mem));

        // Next to it: same section, same word, one more bit.
        mem.AddMemory(Pfn(9, 8), PagesPerSubsection, nid: 2);
        Assert.Equal(0b1111UL << 5, ms->Usage[0]);
        Assert.Equal(word, (ulong)ms->SectionMemMap);

        // A hole in the middle: its bit and its memmap go; its neighbours stay.
        mem.RemoveMemory(Pfn(9, 6), PagesPerSubsection);
        Assert.Equal(0b1101UL << 5, ms->Usage[0]);
        Assert.False(mem.PfnValid(Pfn(9, 6)));
        Assert.Equal(memmap + 3 * SubsectionMemmap, mem.GetAccounting().MemmapBytes);
        Assert.True(IsNoAccess(mem.PfnToPage(Pfn(9, 6))));
        Assert.True(IsAccessible(mem.PfnToPage(Pfn(9, 7))));
        Assert.True(IsAccessible(mem.PfnToPage(Pfn(9, 6) - 1)));

        // clear_subsection_map: every bit to clear must be set.
        var holed = Capture(mem);
        Assert.Throws<System.InvalidOperationException>(() => mem.RemoveMemory(Pfn(9, 6), PagesPerSubsection));
        Assert.Throws<System.InvalidOperationException>(() => mem.RemoveMemory(Pfn(9, 5), 4 * PagesPerSubsection));
        Assert.Equal(holed, Capture(mem));

        mem.RemoveMemory(Pfn(9, 5), PagesPerSubsection);
        mem.RemoveMemory(Pfn(9, 7), 2 * PagesPerSubsection);
        Assert.Equal(0UL, (ulong)ms->SectionMemMap);
        Assert.Equal(boot.Tables, Capture(mem).Tables);
        Assert.Equal(memmap, mem.GetAccounting().MemmapBytes);
    }

    [Fact]
    public void ARangeAcrossSections_IsSplitAtSectionBoundaries()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        ulong memmap = mem.GetAccounting().MemmapBytes;
        ulong pages = 2 * PagesPerSubsection + PagesPerSection + 3 * PagesPerSubsection;

        mem.AddMemory(Pfn(10, 62), pages, nid: 1);

        Assert.Equal(0b11UL << 62, mem.NrToSection(10)->Usage[0]);
        Assert.Equal(ulong.MaxValue, mem.NrToSection(11)->Usage[0]);
        Assert.Equal(0b111UL, mem.NrToSection(12)->Usage[0]);
        Assert.Equal(memmap + pages * 64, mem.GetAccounting().MemmapBytes);
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 10, 11, 12, 32 }, mem.PresentSections);
        Assert.Equal(pages, (ulong)mem.ForEachValidPfn(Pfn(10), Pfn(13)).LongCount());

        mem.RemoveMemory(Pfn(10, 62), pages);
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 32 }, mem.PresentSections);
        Assert.Equal(memmap, mem.GetAccounting().MemmapBytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BootSection_TakesMemoryIntoItsHoles_AndGivesItsMemmapBackOnlyWhenEmpty(bool extreme)
    {
        using var mem = Create(vmemmap: true, extreme);
        MemSection* ms = mem.NrToSection(32);
        ulong* bootUsage = ms->Usage;
        ulong bootWord = (ulong)mem.Vmemmap | BootFlags;
        Assert.Equal(bootWord, (ulong)ms->SectionMemMap);
        Assert.Equal(0b11UL, ms->Usage[0]);
        var boot = mem.GetAccounting();

        // section_activate: a partial add to an early section reuses the boot memmap.
        mem.AddMemory(Pfn(32, 10), 2 * PagesPerSubsection, nid: 1);
        Assert.Equal(0b11UL | (0b11UL << 10), ms->Usage[0]);
        Assert.Equal(bootWord, (ulong)ms->SectionMemMap);
        Assert.Equal(boot, mem.GetAccounting());
        Assert.True(mem.PfnToOnlinePage(Pfn(32, 10)) == mem.Vmemmap + Pfn(32, 10));
        Assert.Throws<System.InvalidOperationException>(() => mem.AddMemory(Pfn(32, 1), PagesPerSubsection, 1));

        // RAM must be offline before it goes (EBUSY); holes that were never there cannot go.
        var state = Capture(mem);
        Assert.Throws<System.InvalidOperationException>(() => mem.RemoveMemory(Pfn(32, 10), 2 * PagesPerSubsection));
        mem.OfflineSections(Pfn(32), PagesPerSection);
        Assert.Equal(bootWord & ~0b100UL, (ulong)ms->SectionMemMap);
        var offline = Capture(mem);
        Assert.Throws<System.InvalidOperationException>(() => mem.RemoveMemory(Pfn(32, 5), PagesPerSubsection));
        Assert.Throws<System.InvalidOperationException>(() => mem.RemoveMemory(Pfn(32, 9), 2 * PagesPerSubsection));
        Assert.Equal(offline, Capture(mem));
        Assert.NotEqual(state, offline);

        // Removing part of it: the bits go, the boot memmap stays, and an early section keeps every
        // pfn valid (pfn_valid does not look at the subsection map of early sections).
        mem.RemoveMemory(Pfn(32, 10), 2 * PagesPerSubsection);
        Assert.Equal(0b11UL, ms->Usage[0]);
        Assert.True(mem.PfnValid(Pfn(32, 10)));
        Assert.Equal(boot.MemmapBytes, mem.GetAccounting().MemmapBytes);

        // Removing the rest empties it: word 0, memmap returned, the boot usage block kept.
        mem.RemoveMemory(Pfn(32), 2 * PagesPerSubsection);
        Assert.Equal(0UL, (ulong)ms->SectionMemMap);
        Assert.True(ms->Usage == bootUsage);
        Assert.Equal(0UL, ms->Usage[0]);
        Assert.False(mem.PfnValid(Pfn(32)));
        Assert.Equal(boot.MemmapBytes - SectionMemmap, mem.GetAccounting().MemmapBytes);
        Assert.Equal(boot.UsageBytes, mem.GetAccounting().UsageBytes);
        Assert.True(IsNoAccess(mem.PfnToPage(Pfn(32))));
        Assert.Equal(new ulong[] { 0, 1, 2, 3 }, mem.PresentSections);
        Assert.Equal(32UL, mem.HighestPresentSectionNr); // never lowered

        // Back again, it is an ordinary hot-added section on its old usage block.
        mem.AddMemory(Pfn(32), PagesPerSection, nid: 1);
        Assert.Equal((ulong)mem.Vmemmap | PresentHasMemMap, (ulong)ms->SectionMemMap);
        Assert.True(ms->Usage == bootUsage);
        Assert.Equal(boot.UsageBytes, mem.GetAccounting().UsageBytes);
        Assert.Equal(boot.MemmapBytes, mem.GetAccounting().MemmapBytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Classic_AddsAndRemovesWholeSections_WithTheirOwnMemmap(bool extreme)
    {
        using var mem = Create(vmemmap: false, extreme);
        var boot = Capture(mem);
        ulong start = Pfn(8);

        mem.AddMemory(start, PagesPerSection, nid: 5);

        MemSection* ms = mem.NrToSection(8);
        ulong word = ms->SectionMemMap;
        Assert.Equal(PresentHasMemMap, word & 0xF);
        Page* memmap = (Page*)((word & ~0xFUL) + start * 64);
        Assert.Equal(0UL, (ulong)memmap % 4096);
        for (ulong pfn = start; pfn < start + PagesPerSection; pfn += 101)
        {
            Page* page = mem.PfnToPage(pfn);
            Assert.True(page == memmap + (pfn - start));
            Assert.Equal(pfn, mem.PageToPfn(page));
            Assert.Equal(8UL, mem.PageFlags.SectionNumber(page->Flags));
            Assert.Equal(5, mem.PageFlags.Nid(page->Flags));
        }

        Assert.Equal(boot.Accounting.MemmapBytes + SectionMemmap, mem.GetAccounting().MemmapBytes);
        Assert.Equal(boot.Accounting.UsageBytes + 64, mem.GetAccounting().UsageBytes); // usemap only

        // Sections are all or nothing without VMEMMAP.
        Assert.Throws<System.ArgumentException>(() => mem.AddMemory(Pfn(9), PagesPerSubsection, 0));
        Assert.Throws<System.ArgumentException>(() => mem.RemoveMemory(start, PagesPerSubsection));
        Assert.Throws<System.InvalidOperationException>(() => mem.AddMemory(start, PagesPerSection, 0));

        mem.RemoveMemory(start, PagesPerSection);
        Assert.Equal(0UL, (ulong)ms->SectionMemMap);
        var removed = Capture(mem);
        Assert.Equal(boot.Tables, removed.Tables);
        Assert.Equal(boot.Accounting.MemmapBytes, removed.Accounting.MemmapBytes);
        Assert.Equal(boot.Accounting.HeapAllocations + 1, removed.Accounting.HeapAllocations); // the cached usage block
    }

    [Fact]
    public void Extreme_AllocatesARootOnDemand_AndKeepsIt()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        var before = mem.GetAccounting();
        Assert.True(mem.Roots[5] == null);

        mem.AddMemory(Pfn(1280), PagesPerSection, nid: 0); // section 1280 lives in root 5

        Assert.True(mem.Roots[5] != null);
        Assert.True(mem.NrToSection(1280) == mem.Roots[5]);
        var after = mem.GetAccounting();
        Assert.Equal(before.AllocatedRoots + 1, after.AllocatedRoots);
        Assert.Equal(before.RootBytes + RootBytes, after.RootBytes);
        Assert.Equal(before.SectionTableBytes + RootBytes, after.SectionTableBytes);
        Assert.Equal(1280UL, mem.HighestPresentSectionNr);

        mem.RemoveMemory(Pfn(1280), PagesPerSection);
        Assert.True(mem.Roots[5] != null);
        Assert.Equal(after.AllocatedRoots, mem.GetAccounting().AllocatedRoots);
        Assert.Equal(1280UL, mem.HighestPresentSectionNr);
    }
}
