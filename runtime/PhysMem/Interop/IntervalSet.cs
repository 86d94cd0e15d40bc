using System.Collections.Generic;

namespace PhysMem;

// A set of disjoint, merged half-open intervals [start, end) over ulong offsets. Adding and
// removing report how many units changed, so committed memory is counted exactly however the
// commits overlap. Linear in the number of intervals, which stays small (one per run of sections).
internal sealed class IntervalSet
{
    private readonly List<(ulong Start, ulong End)> _items = new();

    internal ulong Total { get; private set; }

    internal int Count => _items.Count;

    // Adds [start, end); returns the units that were not in the set before.
    internal ulong Add(ulong start, ulong end)
    {
        if (start >= end)
        {
            return 0;
        }

        ulong covered = 0;
        ulong newStart = start;
        ulong newEnd = end;
        int i = FirstEndingAfter(start);
        int first = i;
        // Every interval touching or overlapping [start, end) is merged into one.
        while (i < _items.Count && _items[i].Start <= end)
        {
            var (s, e) = _items[i];
            ulong os = s > start ? s : start;
            ulong oe = e < end ? e : end;
            if (oe > os)
            {
                covered += oe - os;
            }

            newStart = s < newStart ? s : newStart;
            newEnd = e > newEnd ? e : newEnd;
            i++;
        }

        _items.RemoveRange(first, i - first);
        _items.Insert(first, (newStart, newEnd));
        ulong added = (end - start) - covered;
        Total += added;
        return added;
    }

    // Removes [start, end); returns the units that were in the set.
    internal ulong Remove(ulong start, ulong end)
    {
        if (start >= end)
        {
            return 0;
        }

        ulong removed = 0;
        int i = FirstEndingAfter(start);
        while (i < _items.Count && _items[i].Start < end)
        {
            var (s, e) = _items[i];
            ulong os = s > start ? s : start;
            ulong oe = e < end ? e : end;
            removed += oe - os;
            _items.RemoveAt(i);
            if (e > end)
            {
                _items.Insert(i, (end, e));
            }

            if (s < start)
            {
                _items.Insert(i, (s, start));
                i++;
            }

            if (e > end)
            {
                i++;
            }
        }

        Total -= removed;
        return removed;
    }

    // True when some unit of [start, end) is in the set.
    internal bool Overlaps(ulong start, ulong end)
    {
        int i = FirstEndingAfter(start + 1);
        return start < end && i < _items.Count && _items[i].Start < end;
    }

    internal bool Contains(ulong start, ulong end)
    {
        int i = FirstEndingAfter(start);
        return i < _items.Count && _items[i].Start <= start && _items[i].End >= end;
    }

    // The index of the first interval whose end is at or after 'value' (binary search).
    private int FirstEndingAfter(ulong value)
    {
        int lo = 0;
        int hi = _items.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[mid].End < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
