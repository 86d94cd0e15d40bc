using System;
using System.Collections.Concurrent;
using System.Threading;

namespace PhysMem;

// The kernel's section_to_node_table: the node of every present section, kept apart from
// section_mem_map because the early node encoding is overwritten when the memmap is installed.
// An array indexed by section number up to the highest section seen; sections beyond 16 Mi, where
// such an array would be wasteful, go to a dictionary. One writer (boot, then the hotplug lock);
// readers take no lock: the array grows by copying and publishing the copy, slots are single
// 16-bit stores, and the dictionary is a concurrent one.
internal sealed class SectionNodeTable
{
    private const ulong ArrayLimit = 1UL << 24;

    private ushort[] _array;
    private ConcurrentDictionary<ulong, ushort>? _high;

    internal SectionNodeTable(ulong highestSectionNr, bool any)
    {
        _array = !any ? Array.Empty<ushort>() : new ushort[highestSectionNr < ArrayLimit ? highestSectionNr + 1 : 0];
    }

    internal static SectionNodeTable Empty => new(0, false);

    internal int this[ulong sectionNr]
    {
        get
        {
            ushort[] array = Volatile.Read(ref _array);
            if (sectionNr < (ulong)array.Length)
            {
                return array[sectionNr];
            }

            var high = Volatile.Read(ref _high);
            return high is not null && high.TryGetValue(sectionNr, out ushort node) ? node : 0;
        }

        set
        {
            ushort[] array = _array;
            if (sectionNr >= (ulong)array.Length && sectionNr < ArrayLimit)
            {
                // Grow to twice the need (at most the limit), then publish the copy.
                ulong size = Math.Min(Math.Max(sectionNr + 1, (ulong)array.Length * 2), ArrayLimit);
                var grown = new ushort[size];
                array.CopyTo(grown, 0);
                Volatile.Write(ref _array, grown);
                array = grown;
            }

            if (sectionNr < (ulong)array.Length)
            {
                array[sectionNr] = (ushort)value;
                return;
            }

            if (_high is null)
            {
                Volatile.Write(ref _high, new ConcurrentDictionary<ulong, ushort>());
            }

            _high![sectionNr] = (ushort)value;
        }
    }
}
