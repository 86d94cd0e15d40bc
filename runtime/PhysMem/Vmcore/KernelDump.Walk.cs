using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PhysMem;

/// <summary>
/// Receives one piece of a dump's memmap from <see cref="KernelDump.WalkMemmap{TPage}"/>: the struct
/// pages of the pfns from <paramref name="startPfn"/> on, the dump's own bytes. The span is valid only
/// during the call.
/// </summary>
/// <typeparam name="TPage">An unmanaged type of exactly <see cref="KernelDump.StructPageSize"/> bytes.</typeparam>
/// <param name="startPfn">The pfn of <c>pages[0]</c>.</param>
/// <param name="pages">The pages, one per pfn, in pfn order.</param>
/// <returns>True to go on; false to stop the walk.</returns>
public delegate bool DumpMemmapVisitor<TPage>(ulong startPfn, ReadOnlySpan<TPage> pages)
    where TPage : unmanaged;

/// <summary>
/// One struct page of a dump, decoded by the dump's own numbers (<see cref="KernelDump.DescribePage"/>):
/// what this struct page itself says. A compound page's tail carries no LRU, slab or buddy marking of
/// its own (the head does): follow <see cref="HeadPfn"/> for it.
/// </summary>
public sealed class DumpPageInfo
{
    internal DumpPageInfo(ulong pfn, ulong flags, IReadOnlyList<string> flagNames, int? node, int? zone, string? zoneName, bool isHead, bool isTail, ulong? headPfn, bool isLru, bool isSlab, bool isBuddy, int? buddyOrder)
    {
        (Pfn, Flags, FlagNames, Node, Zone, ZoneName) = (pfn, flags, flagNames, node, zone, zoneName);
        (IsHead, IsTail, HeadPfn, IsLru, IsSlab, IsBuddy, BuddyOrder) = (isHead, isTail, headPfn, isLru, isSlab, isBuddy, buddyOrder);
    }

    /// <summary>The page frame number.</summary>
    public ulong Pfn { get; }

    /// <summary>The <c>page-&gt;flags</c> word.</summary>
    public ulong Flags { get; }

    /// <summary>The set bits of <see cref="Flags"/> below <c>NR_PAGEFLAGS</c>, ascending, named as the note names them (<c>lru</c>, <c>head</c>, <c>slab</c>), others as <c>bit N</c>.</summary>
    public IReadOnlyList<string> FlagNames { get; }

    /// <summary>The node in <c>page-&gt;flags</c>, or null when no kernel configuration said where it sits (<see cref="KernelDump.FlagsLayoutKnown"/>).</summary>
    public int? Node { get; }

    /// <summary>The zone index in <c>page-&gt;flags</c>, or null likewise.</summary>
    public int? Zone { get; }

    /// <summary>The zone's name as /proc/zoneinfo writes it (<c>DMA32</c>, <c>Normal</c>), or null when <see cref="Zone"/> is null or names no configured zone (hole pages can hold such a number).</summary>
    public string? ZoneName { get; }

    /// <summary>Whether the page heads a compound page (<c>PG_head</c>).</summary>
    public bool IsHead { get; }

    /// <summary>Whether the page is a compound page's tail (<c>compound_head</c>'s low bit, without <c>PG_head</c>).</summary>
    public bool IsTail { get; }

    /// <summary>For a tail, the pfn of its head page (from <c>compound_head</c>); null otherwise, or when <c>compound_head</c> points at no struct page of this memmap (a damaged page).</summary>
    public ulong? HeadPfn { get; }

    /// <summary>Whether <c>PG_lru</c> is set (on a head or a single page).</summary>
    public bool IsLru { get; }

    /// <summary>Whether the page is marked slab (<c>PG_slab</c>, or the slab page type as the version marks it): a slab's head or a single-page slab.</summary>
    public bool IsSlab { get; }

    /// <summary>Whether the page carries the buddy page type: it heads a free block.</summary>
    public bool IsBuddy { get; }

    /// <summary>The order of the free block the page heads (<c>page.private</c>), or null when it heads none or the order is not below the kernel's number of orders (a damaged page).</summary>
    public int? BuddyOrder { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        "pfn 0x" + Pfn.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ": flags 0x" + Flags.ToString("x", System.Globalization.CultureInfo.InvariantCulture)
        + (FlagNames.Count > 0 ? " [" + string.Join(",", FlagNames) + "]" : string.Empty)
        + (ZoneName is null ? string.Empty : " " + ZoneName) + (IsHead ? " head" : string.Empty)
        + (IsTail ? " tail" + (HeadPfn is ulong h ? " of 0x" + h.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : string.Empty) : string.Empty)
        + (IsLru ? " lru" : string.Empty) + (IsSlab ? " slab" : string.Empty) + (BuddyOrder is int o ? " free order " + o.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
}

/// <content>The walks over a dump's memmap, its statistics and the page decoder.</content>
public sealed partial class KernelDump
{
    /// <summary>
    /// The memmap of the valid pfns of [<paramref name="startPfn"/>, <paramref name="endPfn"/>), lent
    /// to <paramref name="visitor"/> piece by piece, ascending: each piece is physically contiguous in
    /// the dump (a page-table leaf of the memmap at most, within one section), and <c>pages[i]</c> is
    /// the struct page of <c>startPfn + i</c>, exactly what <see cref="CopyPage"/> copies. Nothing is copied.
    /// </summary>
    /// <remarks>
    /// The walk holds the dump open: <see cref="Dispose"/> on another thread waits for it, and on the
    /// visitor's own thread throws. A span cannot be kept past the visitor's return (it is a
    /// <see cref="ReadOnlySpan{T}"/>); copy what must outlive it. The visitor's exceptions end the walk
    /// and reach the caller. The visitor may call the dump's other members on its own thread; it must
    /// not wait for other threads that read the dump while another thread may be disposing it (the
    /// pending <see cref="Dispose"/> holds new readers back, so such a wait never ends).
    /// </remarks>
    /// <typeparam name="TPage">An unmanaged type of exactly <see cref="StructPageSize"/> bytes (<see cref="Page"/> on a 64-byte struct page).</typeparam>
    /// <param name="visitor">Receives each piece; returns false to stop.</param>
    /// <param name="startPfn">The first pfn to consider.</param>
    /// <param name="endPfn">The first pfn not to hand out.</param>
    /// <returns>The valid pfns of the range whose struct pages are not in the dump (a trimmed or filtered dump), which no piece holds; 0 for a whole dump. When the visitor stops the walk, those before the piece it stopped at.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="visitor"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="TPage"/> is not <see cref="StructPageSize"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public unsafe ulong WalkMemmap<TPage>(DumpMemmapVisitor<TPage> visitor, ulong startPfn = 0, ulong endPfn = ulong.MaxValue)
        where TPage : unmanaged
    {
        ArgumentNullException.ThrowIfNull(visitor);
        CheckPageType<TPage>();
        if (startPfn >= endPfn)
        {
            return 0;
        }

        return Read(() =>
        {
            var memmap = _reader.Memmap;
            ulong missing = 0;
            foreach (var s in memmap.PresentSections)
            {
                ulong first = s.Number * memmap.PagesPerSection, end = first + memmap.PagesPerSection;
                if (end <= startPfn || !memmap.IsValid(s))
                {
                    continue;
                }

                if (first >= endPfn)
                {
                    break;
                }

                // Runs go to the section's end; the last one in the range is cut at its end. Valid pfns
                // between the runs handed out are the ones whose struct pages the dump does not hold.
                ulong low = Math.Max(first, startPfn), high = Math.Min(end, endPfn), pfn = low, expected = low, skipped = 0;
                while (pfn < high && memmap.NextRun(s, ref pfn, out ulong runStart, out var bytes, ref skipped) && runStart < high)
                {
                    missing += runStart - expected;
                    int count = (int)Math.Min((ulong)(bytes.Length / sizeof(TPage)), high - runStart);
                    if (!visitor(runStart, MemoryMarshal.Cast<byte, TPage>(bytes).Slice(0, count)))
                    {
                        return missing;
                    }

                    expected = runStart + (ulong)count;
                }

                missing += high - expected;
            }

            return missing;
        });
    }

    /// <summary>
    /// <c>for_each_valid_pfn</c> by runs: the maximal runs of valid pfns of [<paramref name="startPfn"/>,
    /// <paramref name="endPfn"/>) as (start, end) pairs, end exclusive, ascending. A pfn is in a run
    /// exactly when <see cref="PfnValid"/> holds for it.
    /// </summary>
    /// <param name="startPfn">The first pfn to consider.</param>
    /// <param name="endPfn">The first pfn not to return.</param>
    /// <returns>A list taken now.</returns>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public IReadOnlyList<(ulong Start, ulong End)> ValidPfnRanges(ulong startPfn = 0, ulong endPfn = ulong.MaxValue) => Read(() =>
    {
        var memmap = _reader.Memmap;
        var runs = new List<(ulong Start, ulong End)>();
        foreach (var s in memmap.PresentSections)
        {
            ulong first = Math.Max(s.Number * memmap.PagesPerSection, startPfn);
            ulong end = Math.Min((s.Number + 1) * memmap.PagesPerSection, endPfn);
            if (first >= end || !memmap.IsValid(s))
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].End == first)
            {
                runs[^1] = (runs[^1].Start, end);
            }
            else
            {
                runs.Add((first, end));
            }
        }

        return (IReadOnlyList<(ulong Start, ulong End)>)runs;
    });

    /// <summary>
    /// Counts every valid page of the dump in one pass over its memmap: per node and zone the struct
    /// pages, the free pages (buddy heads with their order), slabs, slab and LRU pages, beside the
    /// kernel's own record of each zone; and the pages per flag bit.
    /// </summary>
    /// <remarks>
    /// Without a kernel configuration (<see cref="FlagsLayoutKnown"/> false) node and zone cannot be
    /// read from <c>page-&gt;flags</c>, and pages are given a zone by address, as the layout's zone
    /// rule places it. About the time of reading every struct page once (a 1 GiB guest: a few milliseconds).
    /// </remarks>
    /// <param name="progress">Receives the fraction of sections done, from 0 to 1: <see cref="IProgress{T}.Report"/> is called on the calling thread, inside the read (an implementation such as <see cref="Progress{T}"/> may post it elsewhere and run it later); or null.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="VmcoreException">A page-table or memmap word the count needs is not in the dump, or the note's struct page offsets do not fit <c>SIZE(page)</c>.</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public DumpStatistics ComputeStatistics(IProgress<double>? progress = null) =>
        Read(() => _reader.Statistics(progress is null ? null : progress.Report));

    /// <summary>The note's name of flag bit <paramref name="bit"/> of <c>page-&gt;flags</c> (<c>lru</c>, <c>head</c>, <c>slab</c>, ...), or null when the note does not name it.</summary>
    /// <param name="bit">A bit number, 0 to 63.</param>
    /// <returns>The name without its <c>PG_</c>, or null.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bit"/> is not 0 to 63.</exception>
    public string? PageFlagName(int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 63);
        return _reader.Flags.IsNamed(bit) ? _reader.Flags.NameOf(bit) : null;
    }

    /// <summary>The struct page of <paramref name="pfn"/>, decoded by the dump's own numbers: flags and their names, node and zone, compound, LRU, slab and buddy.</summary>
    /// <param name="pfn">A valid pfn.</param>
    /// <returns>The decoded page.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="VmcoreException">The page's memory is not in the dump, or the note's struct page offsets do not fit <c>SIZE(page)</c>.</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public DumpPageInfo DescribePage(ulong pfn) => Read(() =>
    {
        CheckValid(pfn);
        return _reader.DescribePage(pfn);
    });

    private unsafe void CheckPageType<TPage>()
        where TPage : unmanaged
    {
        if (sizeof(TPage) != StructPageSize)
        {
            throw new ArgumentException(typeof(TPage).Name + " is " + sizeof(TPage) + " bytes; a struct page of this dump (SIZE(page)) is " + StructPageSize + ".", nameof(TPage));
        }
    }
}
