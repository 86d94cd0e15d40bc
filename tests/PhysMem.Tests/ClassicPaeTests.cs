using Xunit;

namespace PhysMem.Tests;

// Worked example D as storage: a 32-bit PAE kernel with classic SPARSEMEM (512 MiB sections,
// 36-bit physical addresses, the section number in bits 31..25 of page->flags). The host keeps
// 64-bit pointers in section_mem_map even though the modelled kernel's words are 32 bits.
public unsafe class ClassicPaeTests
{
    private static MemoryLayout Layout() => MemoryLayout.Create(new LayoutSpec
    {
        Model = Model.Sparse,
        BitsPerLong = 32,
        SectionSizeBits = 29,
        MaxPhysmemBits = 36,
        Zones = LayoutDefaults.Zones32,
        NrPageflags = 22,
    });

    [Fact]
    public void Pae_RoundTripsLinksAndValidity()
    {
        // 0x1000-0x9fc00 and 1 MiB - 1.5 GiB (sections 0..2), plus 4 GiB - 4.5 GiB (section 8).
        var map = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_fc00), new MemoryRange(0x10_0000, 0x6000_0000), new MemoryRange(0x1_0000_0000, 0x1_2000_0000));
        using var mem = new SparseMemory(Layout(), map);

        Assert.Equal(new ulong[] { 0, 1, 2, 8 }, mem.PresentSections);
        Assert.Equal(4UL * (1UL << 17) * 64, mem.CommittedMemmapBytes);

        // The static table: 2^(36 - 29) = 128 sections of 16 host bytes, committed in whole OS pages.
        ulong osPage = (ulong)System.Environment.SystemPageSize;
        Assert.Equal((128UL * 16 + osPage - 1) / osPage * osPage, mem.SectionTableBytes);

        // Pageblock flags only: (1 << (17 - 9)) pageblocks * 8 bits = 2048 bits = 64 32-bit longs = 256 bytes.
        Assert.Equal(256UL, mem.Layout.UsemapSize);
        Assert.Equal(4UL * 256, mem.UsageBytes);

        foreach (ulong nr in mem.PresentSections)
        {
            for (ulong pfn = nr << 17; pfn < (nr + 1) << 17; pfn += 31)
            {
                Page* page = mem.PfnToPage(pfn);
                Assert.Equal(pfn, mem.PageToPfn(page));
                Assert.True(mem.PfnValid(pfn));
                ulong zone = pfn < 0x1000 ? 0UL : pfn < 0x38000 ? 1UL : 2UL; // DMA, Normal, HighMem from 896 MiB
                Assert.Equal((nr << 25) | (zone << 23), page->Flags);
            }
        }

        Assert.False(mem.PfnValid(3UL << 17));
        Assert.False(mem.PfnValid(1UL << 24)); // 2^36 bytes: beyond the model

        // The modelled kernel's SECTION_MAP_MASK is 32 bits wide; the host word keeps the full pointer.
        ulong word = mem.NrToSection(8)->SectionMemMap;
        Assert.Equal(0xFUL, word & 0xF);
        Assert.True(mem.DecodeMemMap((nuint)word, 8) == mem.PfnToPage(8UL << 17));
    }
}
