using Xunit;

namespace PhysMem.Tests;

// The derivation printed beside each constant, against the kernel's headers written out by hand
// (include/linux/mmzone.h, include/linux/page-flags-layout.h, include/linux/pageblock-flags.h),
// with the numbers worked out here rather than read back from the layout.
public class LayoutFormulaTests
{
    // x86-64: 4 KiB pages, 128 MiB sections, 46-bit physical addresses, 64-bit longs, 25 page flags.
    private const int PageShift = 12;
    private const int SectionSizeBits = 27;
    private const int BitsPerLong = 64;
    private const int NrPageflags = 25;

    private static string Line(MemoryLayout layout, string kernelName) => layout[kernelName].Explanation;

    [Fact]
    public void Section_formulas_name_their_operands_and_give_the_numbers_once()
    {
        var l = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true));
        int sectionsShift = 46 - SectionSizeBits;
        int pfnSectionShift = SectionSizeBits - PageShift;
        ulong pagesPerSection = 1UL << pfnSectionShift;

        Assert.Equal($"SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = 46 - 27 = {sectionsShift}", Line(l, "SECTIONS_SHIFT"));
        Assert.Equal("PA_SECTION_SHIFT = SECTION_SIZE_BITS = 27", Line(l, "PA_SECTION_SHIFT"));
        Assert.Equal($"NR_MEM_SECTIONS = 1 << SECTIONS_SHIFT = 1 << {sectionsShift} = {1UL << sectionsShift}", Line(l, "NR_MEM_SECTIONS"));
        Assert.Equal($"PAGE_SECTION_MASK = ~(PAGES_PER_SECTION - 1) = ~({pagesPerSection} - 1) = 0xFFFF_FFFF_FFFF_8000", Line(l, "PAGE_SECTION_MASK"));
        Assert.Equal($"SUBSECTIONS_PER_SECTION = 1 << (SECTION_SIZE_BITS - SUBSECTION_SHIFT) = 1 << (27 - 21) = {1 << (27 - 21)}", Line(l, "SUBSECTIONS_PER_SECTION"));
        Assert.Equal($"SECTIONS_PER_ROOT = PAGE_SIZE / sizeof(struct mem_section) = 4096 / 16 = {4096 / 16}", Line(l, "SECTIONS_PER_ROOT"));
        Assert.Equal($"NR_SECTION_ROOTS = DIV_ROUND_UP(NR_MEM_SECTIONS, SECTIONS_PER_ROOT) = DIV_ROUND_UP({1UL << sectionsShift}, 256) = {(1UL << sectionsShift) / 256}", Line(l, "NR_SECTION_ROOTS"));
        Assert.Equal("SECTION_MAP_MASK = ~((1 << SECTION_MAP_LAST_BIT) - 1) = ~((1 << 4) - 1) = 0xFFFF_FFFF_FFFF_FFF0", Line(l, "SECTION_MAP_MASK"));
        Assert.Equal($"SECTION_BLOCKFLAGS_BITS = (1 << (PFN_SECTION_SHIFT - pageblock_order)) * NR_PAGEBLOCK_BITS = (1 << ({pfnSectionShift} - 9)) * 8 = {(1 << (pfnSectionShift - 9)) * 8}",
            Line(l, "SECTION_BLOCKFLAGS_BITS"));
        Assert.Equal("NR_PAGEBLOCK_BITS = roundup_pow_of_two(__NR_PAGEBLOCK_BITS) = roundup_pow_of_two(5) = 8", Line(l, "NR_PAGEBLOCK_BITS"));

        // The explorer's table prints the formula beside the value: the numbers are left out when they are just the value.
        Assert.Equal($"1 << SECTIONS_SHIFT = 1 << {sectionsShift}", l["NR_MEM_SECTIONS"].Formula);
        Assert.Equal("SECTION_SIZE_BITS", l["PA_SECTION_SHIFT"].Formula);
        Assert.Null(l["SECTION_SIZE_BITS"].Formula);
        Assert.Equal("SECTION_SIZE_BITS = 27", Line(l, "SECTION_SIZE_BITS"));
    }

    [Fact]
    public void Conditional_widths_are_worded_by_the_test_the_kernel_makes()
    {
        // Classic SPARSEMEM over 52 bits with 1024 nodes and MGLRU: the node number does not fit.
        var l = MemoryLayout.Create(Specs.X86_64(vmemmap: false, extreme: true, maxPhysmemBits: 52, nodesShift: 10) with { LruGen = true });
        int zonesWidth = 2, lruGenWidth = 3, sectionsWidth = 52 - SectionSizeBits, nodesShift = 10;
        int need = zonesWidth + lruGenWidth + sectionsWidth + nodesShift;
        int free = BitsPerLong - NrPageflags;
        Assert.True(need > free);

        Assert.Equal(
            $"NODES_WIDTH = 0: it does not fit, ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = {zonesWidth} + {lruGenWidth} + {sectionsWidth} + {nodesShift} = {need} bits are needed"
            + $" and only BITS_PER_LONG - NR_PAGEFLAGS = {BitsPerLong} - {NrPageflags} = {free} bits are free",
            Line(l, "NODES_WIDTH"));
        Assert.Equal("NODE_NOT_IN_PAGE_FLAGS = NODES_SHIFT != 0 && NODES_WIDTH == 0 = 10 != 0 && 0 == 0 = 1", Line(l, "NODE_NOT_IN_PAGE_FLAGS"));
        Assert.Equal($"SECTIONS_WIDTH = SECTIONS_SHIFT ({sectionsWidth}): classic SPARSEMEM keeps the section number in page->flags", Line(l, "SECTIONS_WIDTH"));
        Assert.Equal("LAST_CPUPID_SHIFT = 0 without CONFIG_NUMA_BALANCING", Line(l, "LAST_CPUPID_SHIFT"));
        Assert.Equal("LRU_GEN_WIDTH = order_base_2(MAX_NR_GENS + 1) = order_base_2(4 + 1) = 3", Line(l, "LRU_GEN_WIDTH"));
        Assert.Equal("ZONES_SHIFT = 2: MAX_NR_ZONES (4) <= 4", Line(l, "ZONES_SHIFT"));

        // SECTIONS_PGOFF = 64 - 25 = 39; NODES_PGOFF = 39 - 0; ZONES_PGOFF = 39 - 2 = 37.
        int zonesPgoff = BitsPerLong - sectionsWidth - 0 - zonesWidth;
        Assert.Equal("NODES_PGSHIFT = 0, as NODES_WIDTH is 0", Line(l, "NODES_PGSHIFT"));
        Assert.Equal($"ZONES_PGSHIFT = ZONES_PGOFF ({zonesPgoff}), as ZONES_WIDTH = 2 is not 0", Line(l, "ZONES_PGSHIFT"));
        Assert.Equal($"ZONEID_PGOFF = min(SECTIONS_PGOFF, ZONES_PGOFF) = min({BitsPerLong - sectionsWidth}, {zonesPgoff}) = {zonesPgoff}", Line(l, "ZONEID_PGOFF"));

        // LRU_GEN_PGOFF = ZONES_PGOFF - LAST_CPUPID_WIDTH (0) - KASAN_TAG_WIDTH (0) - LRU_GEN_WIDTH.
        int lruGenPgoff = zonesPgoff - lruGenWidth;
        Assert.Equal($"LRU_GEN_MASK = ((1 << LRU_GEN_WIDTH) - 1) << LRU_GEN_PGOFF = ((1 << 3) - 1) << {lruGenPgoff} = 0x1C_0000_0000", Line(l, "LRU_GEN_MASK"));
        Assert.Equal(7UL << lruGenPgoff, l.LruGenMask);

        // NR_NON_PAGEFLAG_BITS = sections + nodes + zones + last_cpupid + kasan + gen + refs (2).
        int nonPageflagBits = sectionsWidth + 0 + zonesWidth + 0 + 0 + lruGenWidth + 2;
        Assert.Equal($"NR_UNUSED_PAGEFLAG_BITS = BITS_PER_LONG - (NR_NON_PAGEFLAG_BITS + NR_PAGEFLAGS) = 64 - ({nonPageflagBits} + 25) = {BitsPerLong - (nonPageflagBits + NrPageflags)}",
            Line(l, "NR_UNUSED_PAGEFLAG_BITS"));
    }

    [Fact]
    public void A_field_that_fits_says_how_many_bits_it_needs_and_how_many_are_free()
    {
        var l = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true, nodesShift: 6));
        int need = 2 + 0 + 0 + 6;
        Assert.Equal($"NODES_WIDTH = NODES_SHIFT (6): it fits, ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = 2 + 0 + 0 + 6 = {need} bits are needed and BITS_PER_LONG - NR_PAGEFLAGS = 64 - 25 = 39 bits are free",
            Line(l, "NODES_WIDTH"));
        Assert.Equal("SECTIONS_WIDTH = 0 with SPARSEMEM_VMEMMAP", Line(l, "SECTIONS_WIDTH"));

        var flat = MemoryLayout.Create(Specs.Flat());
        Assert.Equal("SECTIONS_SHIFT = 0 without SPARSEMEM", Line(flat, "SECTIONS_SHIFT"));
        Assert.Equal("PAGE_SIZE = 1 << PAGE_SHIFT = 1 << 12 = 4096", Line(flat, "PAGE_SIZE"));
    }
}
