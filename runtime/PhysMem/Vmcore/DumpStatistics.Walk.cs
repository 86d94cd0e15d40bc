using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhysMem;

/// <content>The per-page loop of <see cref="DumpStatistics"/>.</content>
public sealed partial class DumpStatistics
{
    /// <summary>
    /// Counts struct pages run by run. It is the whole cost of a report, so it is written to run at the
    /// speed of reading the memmap: one plain loop per run with no delegate, struct pages read by
    /// offset without per-page bounds checks (the run's length is checked once), and the work that
    /// depends only on the flags word (node and zone, the zone's span, the flags histogram) done again
    /// only when the word changes, which in a memmap of mostly free or alike pages is rare.
    /// </summary>
    private sealed class PageWalk
    {
        private readonly DumpStatistics _stats;
        private readonly string[] _names;
        private readonly PageFlags _pageFlags;
        private readonly ZoneRule _rule;
        private readonly bool _flagsLayoutKnown;
        private readonly DumpPageFlags _flags;
        private DumpZoneStatistics?[] _slots;

        // The last word met in each slot of a table hashed by word, zone and node (a word pushed out
        // adds its pages to the histogram then); _entry is the open stretch's.
        private const int WordTableBits = 6;
        private readonly WordState?[] _words = new WordState?[1 << WordTableBits];
        private WordState? _entry;
        private readonly ulong _flagBits;
        private readonly int _stride;

        // The stretch of consecutive pages with one flags word (and, without a flags layout, one zone by address).
        private ulong _word = ulong.MaxValue;
        private ulong _zoneEnd;
        private int _zone;
        private DumpZoneStatistics? _z;
        private ulong _spanStart;
        private ulong _spanLength;
        private Scan _scan = Scan.Passing(ulong.MaxValue);
        private readonly Offsets _offsets;
        private ulong _pagesBase;

        // The pages counted to _z but not yet added to it.
        private ulong _zPages;
        private ulong _zInSpan;

        // Of those, the pages the scan stopped at (counted one by one by Page); the rest are plain: not a
        // tail, no page type a test accepts, so LRU when the word has PG_lru and slab when it has
        // PG_slab, all alike.
        private ulong _zStopped;
        private ulong _zFirst;
        private ulong _zLast;

        // The compound page being followed: whether a head was seen, its address and what it was.
        private bool _headSeen;
        private ulong _headAddress;
        private bool _headSlab;
        private bool _headLru;

        public PageWalk(DumpStatistics stats, VmcoreModel model, DumpPageFlags flags, int structPageSize)
        {
            _stats = stats;
            _names = model.ZoneNames;
            _flags = flags;
            var layout = model.Layout;
            _pageFlags = model.PageFlags;
            _rule = model.ZoneRule;
            _flagsLayoutKnown = model.FlagsLayoutKnown;
            _slots = new DumpZoneStatistics?[_names.Length];
            _flagBits = layout.Spec.NrPageflags >= 64 ? ulong.MaxValue : (1UL << layout.Spec.NrPageflags) - 1;
            _stride = structPageSize;
            _offsets = new Offsets(structPageSize, flags.FlagsOffset, flags.CompoundHeadOffset, flags.MapcountOffset);

            // The loop reads these words of every struct page unchecked: each must lie inside SIZE(page).
            flags.CheckOffsets(structPageSize);
        }

        /// <summary>Counts the struct pages of one run.</summary>
        /// <param name="pagesBase">The section's decoded memmap pointer (a page's address is <c>pagesBase + pfn * SIZE(page)</c>).</param>
        /// <param name="firstPfn">The run's first pfn.</param>
        /// <param name="pages">The run's struct pages.</param>
        // Fully optimized from the first call, and so are the methods it calls per stop and per stretch
        // (Page, Close, Switch, Flush, Scan.For): a report runs this loop once per run of the memmap, in a
        // process that lives a fraction of a second, so tier-0 code and on-stack replacement would be
        // most of what it runs (measured under the runtime's defaults: 2-4x the time in some runs). The
        // callees matter as much: in processes with one processor (DOTNET_PROCESSOR_COUNT=1, or one CPU
        // in the affinity mask) and in some with two, a profile showed them still in tier-0 code after
        // 450 passes, and the statistics took 2x the memmap read instead of 1.3x.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Count(ulong pagesBase, ulong firstPfn, ReadOnlySpan<byte> pages)
        {
            int stride = _stride;
            _pagesBase = pagesBase;
            ulong end = firstPfn + (ulong)(pages.Length / stride);
            ulong open = firstPfn;
            _stats.Pages += end - firstPfn;

            // Without a flags layout the zone also ends at an address: the scan stops there.
            ulong stop = Math.Min(end, _zoneEnd);
            ref byte start = ref MemoryMarshal.GetReference(pages);
            ulong pfn = firstPfn;
            while (true)
            {
                pfn = ScanTo(ref start, firstPfn, pfn, stop, _offsets, _scan);
                if (pfn >= end)
                {
                    break;
                }

                ref byte page = ref Unsafe.Add(ref start, (nint)(pfn - firstPfn) * stride);
                ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, _offsets.Flags));
                if (word != _word || pfn >= stop)
                {
                    // Another word, or a zone boundary by address: close the stretch and scan this page again.
                    Close(open, pfn);
                    Switch(word, pfn);
                    stop = Math.Min(end, _zoneEnd);
                    open = pfn;
                    continue;
                }

                _zStopped++;
                Page(ref page, pfn);
                pfn++;
            }

            Close(open, end);
        }

        /// <summary>
        /// The first pfn from <paramref name="pfn"/> to <paramref name="stop"/> whose struct page may need
        /// more than the stretch's counts: another word, a tail, a page type at or above the lowest value
        /// a slab or buddy test accepts (other than the untyped <c>0xffffffff</c>), or any page at all of a
        /// word with PG_head, or of any word when a test accepts <c>0xffffffff</c> (the stretch's type
        /// bound is then <see cref="ulong.MaxValue"/>, which every page passes); <paramref name="stop"/> if none.
        /// A page it stops at that is none of these (a type no test accepts) is counted by <see cref="Page"/>
        /// as the scan would have counted it: as a plain page of its word.
        /// </summary>
        /// <remarks>
        /// This is where the time goes, so it is a loop that calls nothing, its values in registers, and
        /// four struct pages are tested with one branch: each page's tests are folded into one word that
        /// is zero when the page needs nothing (the type bound as the sign of a 64-bit difference).
        /// Every read is inside the run (<paramref name="stop"/> is at most its end) and inside SIZE(page)
        /// (the offsets are checked when the walk is made).
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static ulong ScanTo(ref byte start, ulong firstPfn, ulong pfn, ulong stop, Offsets offsets, Scan scan)
        {
            (nint stride, nint flagsOffset, nint compoundOffset, nint typeOffset) = (offsets.Stride, offsets.Flags, offsets.CompoundHead, offsets.Mapcount);
            (ulong scanWord, ulong tailMask, ulong typeLow) = (scan.Word, scan.TailMask, scan.TypeLow);
            ref byte page = ref Unsafe.Add(ref start, (nint)(pfn - firstPfn) * stride);
            for (; pfn + 4 <= stop; pfn += 4, page = ref Unsafe.Add(ref page, stride * 4))
            {
                ulong any = Needs(ref page, flagsOffset, compoundOffset, typeOffset, scanWord, tailMask, typeLow)
                    | Needs(ref Unsafe.Add(ref page, stride), flagsOffset, compoundOffset, typeOffset, scanWord, tailMask, typeLow)
                    | Needs(ref Unsafe.Add(ref page, stride * 2), flagsOffset, compoundOffset, typeOffset, scanWord, tailMask, typeLow)
                    | Needs(ref Unsafe.Add(ref page, stride * 3), flagsOffset, compoundOffset, typeOffset, scanWord, tailMask, typeLow);
                if (any != 0)
                {
                    break;
                }
            }

            for (; pfn < stop; pfn++, page = ref Unsafe.Add(ref page, stride))
            {
                if (Needs(ref page, flagsOffset, compoundOffset, typeOffset, scanWord, tailMask, typeLow) != 0)
                {
                    break;
                }
            }

            return pfn;
        }

        // Zero when the struct page needs nothing beyond the stretch's counts (see ScanTo).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Needs(ref byte page, nint flagsOffset, nint compoundOffset, nint typeOffset, ulong scanWord, ulong tailMask, ulong typeLow)
        {
            ulong f = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, flagsOffset));
            ulong compound = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, compoundOffset));
            uint type = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref page, typeOffset));
            return (f ^ scanWord) | (compound & tailMask) | ((typeLow - (uint)(type + 1)) >> 63);
        }

        // A page the scan stopped at, in a zone: a tail, a head, a page whose type may be slab or buddy,
        // or any page when the stretch looks at every page. A tail counts as slab and LRU when the head
        // it follows is (those bits mark the head only), in its own zone, as decoding it alone would.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Page(ref byte page, ulong pfn)
        {
            var z = _z!;
            var flags = _flags;
            ulong compound = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, flags.CompoundHeadOffset));
            if ((compound & _scan.TailMask) != 0)
            {
                // A tail is what its head is (slab and LRU mark the head only).
                if (_headSeen && compound - 1 == _headAddress)
                {
                    z.SlabPages += _headSlab ? 1UL : 0;
                    z.LruPages += _headLru ? 1UL : 0;
                }

                return;
            }

            uint type = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref page, flags.MapcountOffset));
            bool slab = flags.IsSlab(_word, type);
            bool lru = (_word & flags.LruMask) != 0;
            if (slab)
            {
                z.SlabPages++;
                z.Slabs++;
            }

            if (lru)
            {
                z.LruPages++;
            }

            if ((_word & flags.HeadMask) != 0)
            {
                (_headSeen, _headAddress, _headSlab, _headLru) = (true, _pagesBase + (pfn * (ulong)_stride), slab, lru);
            }

            if ((type & _scan.BuddyMask) == _scan.BuddyValue)
            {
                ulong order = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, flags.PrivateOffset));
                if (order < (ulong)flags.MaxOrder)
                {
                    z.FreePages += 1UL << (int)order;
                    z.FreeBlockCounts[order]++;
                }
                else
                {
                    _stats.BadOrders++;
                }
            }
        }

        // Pfns a to b - 1 of this run belong to the open stretch: add them to its counts.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Close(ulong a, ulong b)
        {
            if (a >= b)
            {
                return;
            }

            if (_z is null)
            {
                _stats.ImpossibleZonePages += b - a;
                _stats.FirstImpossibleZone ??= (a, _zone);
                return;
            }

            ulong low = Math.Max(a, _spanStart), high = Math.Min(b, _spanStart + _spanLength);
            _zInSpan += high > low ? high - low : 0;
            _zPages += b - a;
            _zLast = b - 1;
        }

        /// <summary>Adds what is still held in the walk to the zones and the histogram.</summary>
        public void Finish()
        {
            Flush();
            foreach (var w in _words)
            {
                w?.AddToHistogram(_stats.FlagCountsArray, _flagBits);
            }
        }

        // A new flags word (or a zone boundary by address): add the last stretch, then take up this one's
        // word: its zone, span and scan, worked out once per word and zone and kept in a small table,
        // since a memmap goes back and forth between a few words (a free page's, a tail's, a head's).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Switch(ulong f, ulong pfn)
        {
            Flush();
            _word = f;

            int zone, node;
            if (_flagsLayoutKnown)
            {
                zone = _pageFlags.Zonenum(f);
                node = _pageFlags.Nid(f);
                _zoneEnd = ulong.MaxValue;
            }
            else
            {
                zone = _rule.ZoneFor(pfn);
                node = 0;
                _zoneEnd = _rule.ZoneEnd(pfn);
            }

            _zone = zone;
            ref var entry = ref _words[(int)(((f ^ ((ulong)zone << 56) ^ ((ulong)node << 48)) * 0x9E3779B97F4A7C15UL) >> (64 - WordTableBits))];
            if (entry is null || entry.Word != f || entry.Zone != zone || entry.Node != node)
            {
                entry?.AddToHistogram(_stats.FlagCountsArray, _flagBits);
                entry = NewWord(f, zone, node);
            }

            _entry = entry;
            _z = entry.Statistics;
            _scan = entry.Scan;
            (_spanStart, _spanLength) = (entry.SpanStart, entry.SpanLength);
            _zFirst = pfn;
        }

        private WordState NewWord(ulong f, int zone, int node)
        {
            if (zone >= _names.Length)
            {
                // Pages counted in no zone: the scan passes over them all.
                return new WordState(f, zone, node, null, Scan.Passing(f), 0, 0);
            }

            // A page is a tail when compound_head's low bit is set and its flags have no PG_head (none
            // is followed when the note has no PG_head_mask); every page of a word with PG_head is looked
            // at (a head is followed by its tails); PG_lru and PG_slab make the word's plain pages LRU and
            // slab, counted when the stretch is added.
            ulong headMask = _flags.HeadMask;
            var (slabMask, slabValue) = _flags.SlabTypeTest;
            var (buddyMask, buddyValue) = _flags.BuddyTest;
            var scan = Scan.For(f, (f & headMask) != 0, headMask != 0 && (f & headMask) == 0 ? 1UL : 0, slabMask, slabValue, buddyMask, buddyValue);

            if ((node + 1) * _names.Length > _slots.Length)
            {
                Array.Resize(ref _slots, (node + 1) * _names.Length);
            }

            ref var slot = ref _slots[(node * _names.Length) + zone];
            slot ??= _stats.Get(node, zone, _names);
            var (spanStart, spanLength) = slot.Kernel is KernelZone kz ? (kz.StartPfn, kz.Spanned) : (0UL, 0UL);
            return new WordState(f, zone, node, slot, scan, spanStart, spanLength);
        }

        // What a flags word (in one zone) means to the walk, and its pages not yet added to the histogram.
        private sealed class WordState(ulong word, int zone, int node, DumpZoneStatistics? statistics, Scan scan, ulong spanStart, ulong spanLength)
        {
            public ulong Word { get; } = word;

            public int Zone { get; } = zone;

            public int Node { get; } = node;

            // Null for a zone number no configured zone has.
            public DumpZoneStatistics? Statistics { get; } = statistics;

            public Scan Scan { get; } = scan;

            public ulong SpanStart { get; } = spanStart;

            public ulong SpanLength { get; } = spanLength;

            public ulong Pages { get; set; }

            public void AddToHistogram(ulong[] counts, ulong flagBits)
            {
                for (ulong bits = Word & flagBits; bits != 0 && Pages != 0; bits &= bits - 1)
                {
                    counts[BitOperations.TrailingZeroCount(bits)] += Pages;
                }

                Pages = 0;
            }
        }

        // The stride and the struct page's words the scan loop reads.
        private readonly record struct Offsets(nint Stride, nint Flags, nint CompoundHead, nint Mapcount);

        // What the scan loop compares each page with, for the open stretch. TypeLow: a page with type t
        // is looked at when (uint)(t + 1) > TypeLow, that is t is at least the lowest value a type test
        // accepts and is not the untyped 0xffffffff; uint.MaxValue when no test can accept a type, and
        // ulong.MaxValue to look at every page. It is a ulong so that TypeLow - (t + 1) borrows into bit 63.
        private readonly record struct Scan(ulong Word, ulong TailMask, uint BuddyMask, uint BuddyValue, ulong TypeLow)
        {
            // A stretch counted in no zone: the scan passes over every page of its word.
            public static Scan Passing(ulong word) => new(word, 0, 0, 1, uint.MaxValue);

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static Scan For(ulong word, bool everyPage, ulong tailMask, uint slabMask, uint slabValue, uint buddyMask, uint buddyValue)
            {
                // The lowest word either test accepts is its value (a test accepts t when t & mask == value).
                // A test that accepts 0xffffffff cannot be bounded that way: then every page is looked at.
                bool slab = (slabValue & ~slabMask) == 0, buddy = (buddyValue & ~buddyMask) == 0;
                uint low = Math.Min(slab ? slabValue : uint.MaxValue, buddy ? buddyValue : uint.MaxValue);
                everyPage |= (slab && (uint.MaxValue & slabMask) == slabValue) || (buddy && (uint.MaxValue & buddyMask) == buddyValue);
                return new(word, tailMask, buddyMask, buddyValue, everyPage ? ulong.MaxValue : low);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Flush()
        {
            if (_z is { } z && _zPages > 0)
            {
                z.StructPages += _zPages;
                z.StructPagesInSpan += _zInSpan;
                ulong plain = _zPages - _zStopped;
                ulong plainSlab = (_word & _flags.SlabMask) != 0 ? plain : 0;
                z.LruPages += (_word & _flags.LruMask) != 0 ? plain : 0;
                z.Slabs += plainSlab;
                z.SlabPages += plainSlab;
                z.FirstPfn = Math.Min(z.FirstPfn, _zFirst);
                z.LastPfn = Math.Max(z.LastPfn, _zLast);
                _entry!.Pages += _zPages;
            }

            (_zPages, _zInSpan, _zStopped) = (0, 0, 0);
        }
    }
}
