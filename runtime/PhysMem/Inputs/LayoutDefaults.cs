namespace PhysMem;

/// <summary>
/// The values a model gets for every input it does not set: x86-64's sizes (4 KiB pages, 4-level
/// paging, as the reference tables give them) with every option off. That is not the configuration
/// an x86-64 kernel is built with (it has SPARSEMEM_EXTREME and NODES_SHIFT 6): for that, use the
/// <see cref="Arch.X86_64"/> preset. One place, so that the generator, the runtime and the
/// command-line tool agree.
/// </summary>
public static class LayoutDefaults
{
    /// <summary>4 KiB pages.</summary>
    public const int PageShift = 12;

    /// <summary>A 64-bit kernel.</summary>
    public const int BitsPerLong = 64;

    /// <summary>128 MiB sections (x86-64, arch/x86/include/asm/sparsemem.h).</summary>
    public const int SectionSizeBits = 27;

    /// <summary>46-bit physical addresses (x86-64 with 4-level paging).</summary>
    public const int MaxPhysmemBits = 46;

    /// <summary><c>MAX_PAGE_ORDER</c> 10 (4 MiB blocks with 4 KiB pages), the x86 and arm64 4K value.</summary>
    public const int MaxPageOrder = 10;

    /// <summary><c>pageblock_order</c> 9: one PMD of 4 KiB pages (2 MiB).</summary>
    public const int PageblockOrder = 9;

    /// <summary><c>sizeof(struct page)</c> on an ordinary 64-bit kernel.</summary>
    public const int StructPageSize = 64;

    /// <summary><c>NR_PAGEFLAGS</c> of a 64-bit x86-64 distribution kernel (6.17: 20 unconditional + mlocked + hwpoison + young/idle + arch_2).</summary>
    public const int NrPageflags64 = 25;

    /// <summary><c>NR_PAGEFLAGS</c> of a 32-bit x86 kernel (6.17: 20 unconditional + mlocked + arch_2).</summary>
    public const int NrPageflags32 = 22;

    /// <summary>The zones of a 64-bit x86 or arm64 kernel: DMA, DMA32, Normal, Movable.</summary>
    public const Zones Zones64 = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable;

    /// <summary>The zones of a 32-bit x86 kernel: DMA, Normal, HighMem, Movable.</summary>
    public const Zones Zones32 = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable;

    /// <summary>The page-flag count that goes with a word size.</summary>
    public static int NrPageflagsFor(int bitsPerLong) => bitsPerLong == 32 ? NrPageflags32 : NrPageflags64;

    /// <summary>The zone set that goes with a word size.</summary>
    public static Zones ZonesFor(int bitsPerLong) => bitsPerLong == 32 ? Zones32 : Zones64;

    /// <summary>
    /// <c>pageblock_order</c> when it is not given: one PMD's worth of pages
    /// (<see cref="HpagePmdOrderFor"/>), capped at <paramref name="maxPageOrder"/> as
    /// include/linux/pageblock-flags.h caps it (<c>MAX_PAGE_ORDER</c> before 6.16,
    /// <c>PAGE_BLOCK_MAX_ORDER</c> from 6.16 on).
    /// </summary>
    public static int PageblockOrderFor(int pageShift, int bitsPerLong, int maxPageOrder)
    {
        int pmdOrder = HpagePmdOrderFor(pageShift, bitsPerLong);
        return pmdOrder < maxPageOrder ? pmdOrder : maxPageOrder;
    }

    /// <summary>
    /// <c>HPAGE_PMD_ORDER</c>, <c>PMD_SHIFT - PAGE_SHIFT</c>: a page table holds
    /// <c>PAGE_SIZE / sizeof(pte)</c> entries.
    /// </summary>
    internal static int HpagePmdOrderFor(int pageShift, int bitsPerLong)
    {
        // 8-byte entries on 64-bit (and 32-bit PAE); 4-byte entries on classic 32-bit tables.
        int entryShift = bitsPerLong == 64 ? 3 : 2;
        return pageShift - entryShift;
    }
}
