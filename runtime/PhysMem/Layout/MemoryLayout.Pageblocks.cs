using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

// Pageblocks and where each pageblock's flags sit among its NR_PAGEBLOCK_BITS
// (include/linux/pageblock-flags.h, 6.17: enum pageblock_bits): three migratetype bits from bit 0,
// then the compaction skip bit, then with CONFIG_MEMORY_ISOLATION the isolate bit; the count is
// rounded up to a power of two. A section's share of them is its usemap (mm/sparse.c).
public sealed partial class MemoryLayout
{
    /// <summary><c>PB_migratetype_bits</c>: the migratetype takes bits 0 to 2 of a pageblock's flags.</summary>
    public const int PageblockMigratetypeBits = 3;

    /// <summary><c>MIGRATETYPE_MASK</c>: the migratetype bits of a pageblock's flags.</summary>
    public const ulong PageblockMigratetypeMask = (1UL << PageblockMigratetypeBits) - 1;

    /// <summary><c>PB_compact_skip</c>: the bit compaction sets on a pageblock it found nothing to do in.</summary>
    public const int PageblockCompactSkipBit = PageblockMigratetypeBits;

    private Term _pageBlockMaxOrder;
    private Term _pageblockOrder;
    private Term _nrPageblockBits;
    private Term _sectionBlockflagsBits;

    /// <summary><c>PB_migrate_isolate</c>: the isolate bit (CONFIG_MEMORY_ISOLATION, 6.16+); -1 when the layout has none.</summary>
    public int PageblockMigrateIsolateBit => Spec.MemoryIsolation ? PageblockCompactSkipBit + 1 : -1;

    /// <summary><c>pageblock_nr_pages</c>: pages in one pageblock, <c>1 &lt;&lt; pageblock_order</c>.</summary>
    public ulong PageblockNrPages => 1UL << PageblockOrder;

    /// <summary>All <see cref="NrPageblockBits"/> bits of one pageblock's flags.</summary>
    public ulong PageblockFlagsMask => (1UL << NrPageblockBits) - 1;

    /// <summary><c>PAGE_BLOCK_MAX_ORDER</c> (include/linux/mmzone.h, 6.16+): <c>CONFIG_PAGE_BLOCK_MAX_ORDER</c> when set, else <c>MAX_PAGE_ORDER</c>.</summary>
    public int PageBlockMaxOrder => Spec.PageBlockMaxOrder != 0 ? _pageBlockMaxOrder.Int : Spec.MaxPageOrder;

    /// <summary><c>pageblock_order</c>.</summary>
    public int PageblockOrder => _pageblockOrder.Int;

    /// <summary><c>NR_PAGEBLOCK_BITS</c>.</summary>
    public int NrPageblockBits => _nrPageblockBits.Int;

    /// <summary><c>SECTION_BLOCKFLAGS_BITS</c>: pageblock flag bits per section.</summary>
    public ulong SectionBlockflagsBits => _sectionBlockflagsBits.Bits;

    /// <summary><c>usemap_size()</c> (mm/sparse.c): bytes of pageblock flags per section, rounded up to longs.</summary>
    public ulong UsemapSize { get; private set; }

    /// <summary><c>mem_section_usage_size()</c>: the kernel's per-section usage struct with its usemap (6.8+ layout, with the rcu head).</summary>
    public ulong MemSectionUsageSize { get; private set; }

    private void CalculatePageblocks(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        Term pageblockOrder = s.PageblockOrder;
        if (s.PageBlockMaxOrder != 0)
        {
            // include/linux/mmzone.h (6.16+): "#if (PAGE_BLOCK_MAX_ORDER > MAX_PAGE_ORDER) #error".
            if (s.PageBlockMaxOrder > s.MaxPageOrder)
            {
                problems.Add(Diag(DiagnosticCatalog.PageBlockMaxOrderTooLarge, new[] { Inputs.PageBlockMaxOrder, Inputs.MaxPageOrder }, S(s.PageBlockMaxOrder), S(s.MaxPageOrder)));
                return;
            }

            if (s.PageblockOrder > s.PageBlockMaxOrder)
            {
                problems.Add(Diag(DiagnosticCatalog.PageblockOrderAboveLimit, new[] { Inputs.PageblockOrder, Inputs.PageBlockMaxOrder }, S(s.PageblockOrder), S(s.PageBlockMaxOrder)));
                return;
            }

            _pageBlockMaxOrder = DefineInt("PAGE_BLOCK_MAX_ORDER", "PageBlockMaxOrder", Term.Named("CONFIG_PAGE_BLOCK_MAX_ORDER", s.PageBlockMaxOrder),
                "The upper limit of pageblock_order (CONFIG_PAGE_BLOCK_MAX_ORDER, 6.16+).");

            // include/linux/pageblock-flags.h (6.16+) with a constant huge page size:
            // pageblock_order = MIN_T(unsigned int, HPAGE_PMD_ORDER, PAGE_BLOCK_MAX_ORDER). The formula
            // is printed when the given or default order is that one (not for an order given for a
            // kernel that derives it otherwise, such as a variable huge page size).
            Term pmdOrder = Term.Named("HPAGE_PMD_ORDER", LayoutDefaults.HpagePmdOrderFor(PageShift, BitsPerLong));
            Term derived = Term.Min(pmdOrder, _pageBlockMaxOrder);
            if (derived.Value == s.PageblockOrder)
            {
                pageblockOrder = derived;
            }
        }

        if (s.PageblockOrder > s.MaxPageOrder)
        {
            problems.Add(Diag(DiagnosticCatalog.PageblockOrderTooLarge, new[] { Inputs.PageblockOrder, Inputs.MaxPageOrder }, S(s.PageblockOrder), S(s.MaxPageOrder)));
            return;
        }

        _pageblockOrder = DefineInt("PAGEBLOCK_ORDER", "PageblockOrder", pageblockOrder, "pageblock_order: log2 of the pages in one pageblock.");

        // __NR_PAGEBLOCK_BITS counts the enum: 3 migratetype bits, compaction skip [, isolate].
        Term enumBits = Term.Named("__NR_PAGEBLOCK_BITS", PageblockCompactSkipBit + 1 + (s.MemoryIsolation ? 1 : 0));
        _nrPageblockBits = DefineInt("NR_PAGEBLOCK_BITS", "NrPageblockBits", Term.RoundupPowOfTwo(enumBits), "Flag bits per pageblock.");
        if (s.Model == Model.Sparse)
        {
            // The kernel's header spells the order pageblock_order, its PAGEBLOCK_ORDER's other name.
            _sectionBlockflagsBits = DefineCount("SECTION_BLOCKFLAGS_BITS", "SectionBlockflagsBits",
                ((Term)1 << (_pfnSectionShift - Term.Named("pageblock_order", _pageblockOrder.Value))) * _nrPageblockBits, "Pageblock flag bits per section.");
            ulong longBytes = (ulong)BitsPerLong / 8;
            UsemapSize = (SectionBlockflagsBits + (ulong)BitsPerLong - 1) / (ulong)BitsPerLong * longBytes;
            ulong rcuHead = 2 * longBytes;
            ulong subsectionMap = Spec.Vmemmap ? (ulong)SubsectionMapLongs * longBytes : 0;
            MemSectionUsageSize = rcuHead + subsectionMap + UsemapSize;
        }
    }
}
