using System;
using System.Collections.Generic;

namespace PhysMem;

// An immutable, sorted set of disjoint pfn ranges [Start, End) with a node each: the storage's view
// of memblock (RAM by node) and of the ZONE_DEVICE page maps. Readers take the current instance
// with one volatile read and search it without locks; the single writer (under the hotplug lock)
// builds a new instance and publishes it, as the kernel's readers walk RCU-protected lists.
internal sealed class PfnRangeSet
{
    private readonly PfnRange[] _ranges;

    private PfnRangeSet(PfnRange[] ranges)
    {
        _ranges = ranges;
    }

    internal static PfnRangeSet Empty { get; } = new(Array.Empty<PfnRange>());

    internal IReadOnlyList<PfnRange> Ranges => _ranges;

    internal static PfnRangeSet From(IEnumerable<PfnRange> ranges)
    {
        var list = new List<PfnRange>(ranges);
        list.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new PfnRangeSet(list.ToArray());
    }

    // The index of the range holding pfn, or -1.
    internal int IndexOf(ulong pfn)
    {
        int lo = 0;
        int hi = _ranges.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (pfn < _ranges[mid].Start)
            {
                hi = mid - 1;
            }
            else if (pfn >= _ranges[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    internal bool Contains(ulong pfn) => IndexOf(pfn) >= 0;

    // True when every pfn of [start, end) lies in the set.
    internal bool Covers(ulong start, ulong end)
    {
        while (start < end)
        {
            int i = IndexOf(start);
            if (i < 0)
            {
                return false;
            }

            start = _ranges[i].End;
        }

        return true;
    }

    // True when some pfn of [start, end) lies in the set.
    internal bool Overlaps(ulong start, ulong end)
    {
        foreach (var r in _ranges)
        {
            if (r.Start < end && start < r.End)
            {
                return true;
            }
        }

        return false;
    }

    internal PfnRangeSet With(PfnRange range)
    {
        var list = new List<PfnRange>(_ranges) { range };
        return From(list);
    }

    // The set without [start, end): ranges are cut where they straddle its ends.
    internal PfnRangeSet Without(ulong start, ulong end)
    {
        var list = new List<PfnRange>(_ranges.Length + 1);
        foreach (var r in _ranges)
        {
            if (r.End <= start || r.Start >= end)
            {
                list.Add(r);
                continue;
            }

            if (r.Start < start)
            {
                list.Add(new PfnRange(r.Start, start, r.Node));
            }

            if (r.End > end)
            {
                list.Add(new PfnRange(end, r.End, r.Node));
            }
        }

        return new PfnRangeSet(list.ToArray());
    }
}
