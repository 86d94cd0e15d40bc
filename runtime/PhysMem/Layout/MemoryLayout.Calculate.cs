using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

// The arithmetic itself. Each value is defined once, in kernel order, by one expression that both
// computes it and prints its formula (Term); the typed properties read the same terms. The
// concerns live beside this file: sections (MemoryLayout.Sections.cs), pageblocks
// (MemoryLayout.Pageblocks.cs) and page->flags (MemoryLayout.PageFlags.cs). Sources:
// include/linux/mmzone.h (sections, subsections, section_mem_map flags, offsets and masks),
// include/linux/page-flags-layout.h (widths), include/linux/pageblock-flags.h, kernel/bounds.c,
// include/linux/gfp.h.
public sealed partial class MemoryLayout
{
    private Term _pageShift;
    private Term _pageSize;
    private Term _bitsPerLong;
    private Term _archPfnOffset;

    /// <summary><c>PAGE_SHIFT</c>.</summary>
    public int PageShift => _pageShift.Int;

    /// <summary><c>PAGE_SIZE</c> in bytes.</summary>
    public ulong PageSize => _pageSize.Bits;

    /// <summary><c>BITS_PER_LONG</c>.</summary>
    public int BitsPerLong => _bitsPerLong.Int;

    /// <summary><c>sizeof(struct page)</c>.</summary>
    public int StructPageSize => Spec.StructPageSize;

    /// <summary><c>ARCH_PFN_OFFSET</c> (FLATMEM; 0 otherwise).</summary>
    public ulong ArchPfnOffset => _archPfnOffset.Bits;

    private static string S(long v) => Str(v);

    private void Calculate(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        _bitsPerLong = DefineInt("BITS_PER_LONG", "BitsPerLong", s.BitsPerLong, "Bits in an unsigned long, and so in page->flags.");
        _pageShift = DefineInt("PAGE_SHIFT", "PageShift", s.PageShift, "log2 of the page size.");
        _pageSize = DefineCount("PAGE_SIZE", "PageSize", (Term)1 << _pageShift, "Bytes in a page.");
        DefineInt("MAX_PAGE_ORDER", "MaxPageOrder", s.MaxPageOrder, "The largest order the buddy allocator hands out.");
        if (s.Model == Model.Flat)
        {
            _archPfnOffset = DefineCount("ARCH_PFN_OFFSET", "ArchPfnOffset", unchecked((long)s.ArchPfnOffset), "The pfn of mem_map[0].");
        }

        if (s.Model == Model.Sparse && !CalculateSections(problems))
        {
            return;
        }

        CalculatePageblocks(problems);
        CalculatePageFlags(problems);
    }
}
