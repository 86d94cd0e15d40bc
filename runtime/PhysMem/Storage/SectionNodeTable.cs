using System.Collections.Generic;

namespace PhysMem;

// The kernel's section_to_node_table: the node of every present section, kept apart from
// section_mem_map because the early node encoding is overwritten when the memmap is installed.
// An array indexed by section number up to the highest present section; a dictionary when memory
// sits so high that such an array would be wasteful (beyond 16 Mi sections).
internal sealed class SectionNodeTable
{
    private const ulong ArrayLimit = 1UL << 24;

    private readonly ushort[]? _array;
    private readonly Dictionary<ulong, ushort>? _map;

    internal SectionNodeTable(ulong highestSectionNr, bool any)
    {
        if (!any)
        {
            _array = System.Array.Empty<ushort>();
        }
        else if (highestSectionNr < ArrayLimit)
        {
            _array = new ushort[highestSectionNr + 1];
        }
        else
        {
            _map = new Dictionary<ulong, ushort>();
        }
    }

    internal static SectionNodeTable Empty { get; } = new(0, false);

    internal int this[ulong sectionNr]
    {
        get
        {
            if (_array is not null)
            {
                return sectionNr < (ulong)_array.Length ? _array[sectionNr] : 0;
            }

            return _map!.TryGetValue(sectionNr, out ushort node) ? node : 0;
        }

        set
        {
            if (_array is not null)
            {
                _array[sectionNr] = (ushort)value;
            }
            else
            {
                _map![sectionNr] = (ushort)value;
            }
        }
    }
}
