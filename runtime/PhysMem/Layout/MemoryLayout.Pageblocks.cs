namespace PhysMem;

// Where each pageblock's flags sit among its NR_PAGEBLOCK_BITS (include/linux/pageblock-flags.h,
// 6.17: enum pageblock_bits): three migratetype bits from bit 0, then the compaction skip bit, then
// with CONFIG_MEMORY_ISOLATION the isolate bit; the count is rounded up to a power of two.
public sealed partial class MemoryLayout
{
    /// <summary><c>PB_migratetype_bits</c>: the migratetype takes bits 0 to 2 of a pageblock's flags.</summary>
    public const int PageblockMigratetypeBits = 3;

    /// <summary><c>MIGRATETYPE_MASK</c>: the migratetype bits of a pageblock's flags.</summary>
    public const ulong PageblockMigratetypeMask = (1UL << PageblockMigratetypeBits) - 1;

    /// <summary><c>PB_compact_skip</c>: the bit compaction sets on a pageblock it found nothing to do in.</summary>
    public const int PageblockCompactSkipBit = PageblockMigratetypeBits;

    /// <summary><c>PB_migrate_isolate</c>: the isolate bit (CONFIG_MEMORY_ISOLATION, 6.16+); -1 when the layout has none.</summary>
    public int PageblockMigrateIsolateBit => Spec.MemoryIsolation ? PageblockCompactSkipBit + 1 : -1;

    /// <summary><c>pageblock_nr_pages</c>: pages in one pageblock, <c>1 &lt;&lt; pageblock_order</c>.</summary>
    public ulong PageblockNrPages => 1UL << PageblockOrder;

    /// <summary>All <see cref="NrPageblockBits"/> bits of one pageblock's flags.</summary>
    public ulong PageblockFlagsMask => (1UL << NrPageblockBits) - 1;
}
