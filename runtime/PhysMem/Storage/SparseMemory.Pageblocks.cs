using System;
using System.Collections.Generic;
using System.Threading;

namespace PhysMem;

// Pageblock flags (mm/page_alloc.c get_pfnblock_flags_mask / set_pfnblock_flags_mask,
// include/linux/pageblock-flags.h): NR_PAGEBLOCK_BITS per pageblock in the section's usemap, which
// follows the subsection map in the usage block. A pageblock's bits start at
// ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order) * NR_PAGEBLOCK_BITS and never straddle a word.
public unsafe partial class SparseMemory<TPage>
{
    /// <summary><c>MIGRATE_UNMOVABLE</c>: the migratetype every pageblock has before anything sets one.</summary>
    public const int MigrateUnmovable = 0;

    /// <summary><c>MIGRATE_MOVABLE</c>: what boot and hot-add give every pageblock that starts in memory.</summary>
    public const int MigrateMovable = 1;

    /// <summary><c>MIGRATE_RECLAIMABLE</c>.</summary>
    public const int MigrateReclaimable = 2;

    /// <summary><c>MIGRATE_HIGHATOMIC</c> (= <c>MIGRATE_PCPTYPES</c>); CMA and, before 6.16, ISOLATE follow, as configured.</summary>
    public const int MigrateHighatomic = 3;

    /// <summary><c>get_pageblock_migratetype</c>: the migratetype of the pageblock holding <paramref name="pfn"/>.</summary>
    /// <param name="pfn">A pfn with a page (<see cref="PfnValid"/>).</param>
    /// <returns>The migratetype, 0 to 7.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public int GetPageblockMigratetype(ulong pfn) => (int)GetPageblockBits(pfn, MemoryLayout.PageblockMigratetypeMask);

    /// <summary><c>set_pageblock_migratetype</c>: sets the migratetype bits, leaving the others alone.</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <param name="migratetype">The migratetype, 0 to 7 (see <see cref="MigrateMovable"/> and its neighbours).</param>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page, or the migratetype does not fit its three bits.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void SetPageblockMigratetype(ulong pfn, int migratetype)
    {
        if (migratetype < 0 || (ulong)migratetype > MemoryLayout.PageblockMigratetypeMask)
        {
            throw new ArgumentOutOfRangeException(nameof(migratetype), "A migratetype takes " + Str(MemoryLayout.PageblockMigratetypeBits) + " bits (0 to 7); " + Str(migratetype) + " does not fit.");
        }

        SetPageblockBits(pfn, MemoryLayout.PageblockMigratetypeMask, (ulong)migratetype);
    }

    /// <summary><c>get_pageblock_skip</c>: whether compaction marked the pageblock to be skipped.</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <returns>The <c>PB_compact_skip</c> bit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool GetPageblockSkip(ulong pfn) => GetPageblockBits(pfn, 1UL << MemoryLayout.PageblockCompactSkipBit) != 0;

    /// <summary><c>set_pageblock_skip</c> / <c>clear_pageblock_skip</c>.</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <param name="skip">The new value of <c>PB_compact_skip</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void SetPageblockSkip(ulong pfn, bool skip)
    {
        ulong mask = 1UL << MemoryLayout.PageblockCompactSkipBit;
        SetPageblockBits(pfn, mask, skip ? mask : 0);
    }

    /// <summary><c>get_pageblock_isolate</c> (CONFIG_MEMORY_ISOLATION, 6.16+): the <c>PB_migrate_isolate</c> bit.</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <returns>The bit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="InvalidOperationException">The layout has no memory isolation.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool GetPageblockIsolate(ulong pfn) => GetPageblockBits(pfn, IsolateMask()) != 0;

    /// <summary>Sets or clears <c>PB_migrate_isolate</c> (CONFIG_MEMORY_ISOLATION, 6.16+).</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <param name="isolate">The new value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="InvalidOperationException">The layout has no memory isolation.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void SetPageblockIsolate(ulong pfn, bool isolate)
    {
        ulong mask = IsolateMask();
        SetPageblockBits(pfn, mask, isolate ? mask : 0);
    }

    /// <summary>All <c>NR_PAGEBLOCK_BITS</c> flags of the pageblock holding <paramref name="pfn"/>, bit 0 first.</summary>
    /// <param name="pfn">A pfn with a page.</param>
    /// <returns>The flags.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ulong GetPageblockFlags(ulong pfn) => GetPageblockBits(pfn, Layout.PageblockFlagsMask);

    private ulong IsolateMask()
    {
        int bit = Layout.PageblockMigrateIsolateBit;
        return bit >= 0
            ? 1UL << bit
            : throw new InvalidOperationException("The layout has no PB_migrate_isolate bit (CONFIG_MEMORY_ISOLATION is off, NR_PAGEBLOCK_BITS = " + Str(_nrPageblockBits) + ").");
    }

    // Inside a read section, so a usage block that a concurrent removal retires cannot be reused by
    // a hot-add while this reads or writes it.
    private ulong GetPageblockBits(ulong pfn, ulong mask)
    {
        using (EnterReadSection())
        {
            ulong* word = PageblockWord(UsageForPageblock(pfn), pfn, out int shift);
            return (Volatile.Read(ref *word) >> shift) & mask;
        }
    }

    private void SetPageblockBits(ulong pfn, ulong mask, ulong value)
    {
        using (EnterReadSection())
        {
            UpdatePageblockBits(UsageForPageblock(pfn), pfn, mask, value);
        }
    }

    private ulong* UsageForPageblock(ulong pfn)
    {
        ulong* usage = PfnValid(pfn) ? UsageOf(NrToSectionCore(pfn >> _pfnSectionShift)) : null;
        if (usage == null)
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), "pfn 0x" + Hex(pfn) + " has no page, so it has no pageblock flags.");
        }

        return usage;
    }

    private ulong* PageblockWord(ulong* usage, ulong pfn, out int shift)
    {
        ulong bitIndex = ((pfn & (_pagesPerSection - 1)) >> _pageblockOrder) * (ulong)_nrPageblockBits;
        shift = (int)(bitIndex & 63);
        return usage + _subsectionWords + (bitIndex >> 6);
    }

    // set_pfnblock_flags_mask: a compare-and-exchange loop, so that concurrent setters of other
    // pageblocks in the same word lose nothing.
    private void UpdatePageblockBits(ulong* usage, ulong pfn, ulong mask, ulong value)
    {
        ulong* word = PageblockWord(usage, pfn, out int shift);
        ulong old = Volatile.Read(ref *word);
        while (true)
        {
            ulong updated = (old & ~(mask << shift)) | ((value & mask) << shift);
            ulong seen = Interlocked.CompareExchange(ref *word, updated, old);
            if (seen == old)
            {
                return;
            }

            old = seen;
        }
    }

    // memmap_init_range at boot: every pageblock whose first pfn lies in a range becomes MIGRATE_MOVABLE,
    // a section's usage block looked up once for all its pageblocks (a 256 GiB map has 131072). Plain
    // writes: nothing else holds the storage yet, the eager fill running beside this writes only
    // memmaps and deferred init's workers start later, so no setter can race these, which the
    // compare-and-exchange of UpdatePageblockBits is for.
    private void InitBootPageblocks(List<PfnRange> runs)
    {
        ulong pageblock = 1UL << _pageblockOrder;
        foreach (var run in runs)
        {
            for (ulong pfn = (run.Start + pageblock - 1) & ~(pageblock - 1); pfn < run.End;)
            {
                ulong nr = pfn >> _pfnSectionShift;
                ulong* usage = NrToSectionCore(nr)->Usage;
                ulong sectionEnd = (nr + 1) << _pfnSectionShift;
                for (ulong stop = run.End < sectionEnd ? run.End : sectionEnd; pfn < stop; pfn += pageblock)
                {
                    ulong* word = PageblockWord(usage, pfn, out int shift);
                    *word = (*word & ~(MemoryLayout.PageblockMigratetypeMask << shift)) | ((ulong)MigrateMovable << shift);
                }
            }
        }
    }

    // memmap_init_range for hot-added memory: every pageblock whose first pfn lies in [start, end)
    // becomes MIGRATE_MOVABLE; 'usage' is the block of the one section the range lies in.
    private void InitPageblocks(ulong* usage, ulong start, ulong end)
    {
        ulong pageblock = 1UL << _pageblockOrder;
        for (ulong pfn = (start + pageblock - 1) & ~(pageblock - 1); pfn < end; pfn += pageblock)
        {
            UpdatePageblockBits(usage, pfn, MemoryLayout.PageblockMigratetypeMask, MigrateMovable);
        }
    }
}
