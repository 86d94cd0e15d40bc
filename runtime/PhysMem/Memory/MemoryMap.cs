using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PhysMem;

/// <summary>
/// The physical memory of a machine: its RAM ranges, sorted by start address and not overlapping,
/// each with its node. What the kernel's memblock holds once the firmware map has been read.
/// </summary>
/// <remarks>
/// Build one from ranges given in code (<see cref="FromRanges(MemoryRange[])"/>), from
/// <c>/proc/iomem</c> text (<see cref="ParseIomem(string)"/>), from the running machine
/// (<see cref="TryReadMachine(out MemoryMap?, out string?)"/>), or use <see cref="Example"/>.
/// </remarks>
public sealed partial class MemoryMap
{
    private readonly MemoryRange[] _ranges;

    private MemoryMap(MemoryRange[] sortedRanges)
    {
        _ranges = sortedRanges;
    }

    /// <summary>
    /// A typical x86-64 PC with 8 GiB: low memory below the legacy hole
    /// (<c>0x1000-0x9fc00</c>), memory up to the 32-bit PCI hole (<c>0x100000-0xc0000000</c>),
    /// and memory above 4 GiB (<c>0x100000000-0x240000000</c>), all on node 0. For machines
    /// without a readable <c>/proc/iomem</c>.
    /// </summary>
    public static MemoryMap Example { get; } = FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0xc000_0000),
        new MemoryRange(0x1_0000_0000, 0x2_4000_0000));

    /// <summary>The ranges, sorted by <see cref="MemoryRange.Start"/>.</summary>
    public IReadOnlyList<MemoryRange> Ranges => _ranges;

    /// <summary>The number of ranges.</summary>
    public int Count => _ranges.Length;

    /// <summary>Bytes of memory in all ranges together.</summary>
    public ulong TotalBytes
    {
        get
        {
            ulong total = 0;
            foreach (var r in _ranges)
            {
                total += r.Size;
            }

            return total;
        }
    }

    /// <summary>One past the highest byte of memory (0 for an empty map).</summary>
    public ulong EndAddress => _ranges.Length == 0 ? 0 : _ranges[_ranges.Length - 1].End;

    /// <summary>Builds a map from ranges in any order.</summary>
    /// <param name="ranges">The ranges; none may overlap another (touching is allowed).</param>
    /// <returns>The map, sorted by start address.</returns>
    /// <exception cref="ArgumentException">Two ranges overlap; the message names both.</exception>
    public static MemoryMap FromRanges(params MemoryRange[] ranges)
    {
        if (ranges is null)
        {
            throw new ArgumentNullException(nameof(ranges));
        }

        var sorted = (MemoryRange[])ranges.Clone();
        Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Start >= sorted[i].End)
            {
                // Only default(MemoryRange) gets here: the constructor rejects the rest.
                throw new ArgumentException("The memory range " + sorted[i] + " is empty; a range needs Start < End.", nameof(ranges));
            }

            if (i > 0 && sorted[i].Start < sorted[i - 1].End)
            {
                throw new ArgumentException("The memory ranges " + sorted[i - 1] + " and " + sorted[i] + " overlap; every byte of memory belongs to one range.", nameof(ranges));
            }
        }

        return new MemoryMap(sorted);
    }

    /// <summary>
    /// Checks that <paramref name="layout"/> can describe every range: its node is below
    /// <c>MAX_NUMNODES</c> and, for SPARSEMEM, it ends at or below <c>1 &lt;&lt; MAX_PHYSMEM_BITS</c>.
    /// The kernel's memory_present clamps memory above that limit with a warning; PhysMem refuses it,
    /// so that a model never silently holds less memory than its map.
    /// </summary>
    /// <param name="layout">The layout the map is meant for.</param>
    /// <exception cref="ArgumentException">A range does not fit; the message names the range and the limit.</exception>
    public void CheckFits(MemoryLayout layout)
    {
        if (layout is null)
        {
            throw new ArgumentNullException(nameof(layout));
        }

        int maxNodes = layout.MaxNumnodes;
        foreach (var range in _ranges)
        {
            if (range.Node >= maxNodes)
            {
                throw new ArgumentException(
                    "The memory range " + range + " is on node " + range.Node.ToString(CultureInfo.InvariantCulture) + ", but the layout has NODES_SHIFT = "
                    + layout.NodesShift.ToString(CultureInfo.InvariantCulture) + " (MAX_NUMNODES = " + maxNodes.ToString(CultureInfo.InvariantCulture)
                    + "); raise NodesShift or renumber the nodes.", "map");
            }

            if (layout.BeyondPhysicalAddressLimit(range.End) is { } why)
            {
                throw new ArgumentException("The memory range " + range + " " + why + "; raise MaxPhysmemBits or leave the range out of the map.", "map");
            }
        }
    }

    /// <summary>
    /// The whole pages of every range as pfn runs, in address order, as the kernel walks memblock
    /// (<c>PFN_UP(start)</c> to <c>PFN_DOWN(end)</c>); ranges holding no whole page are left out.
    /// </summary>
    /// <param name="pageShift"><c>PAGE_SHIFT</c>.</param>
    /// <returns>The runs.</returns>
    public IReadOnlyList<PfnRange> Pfns(int pageShift)
    {
        var list = new List<PfnRange>(_ranges.Length);
        foreach (var r in _ranges)
        {
            ulong start = r.StartPfn(pageShift);
            ulong end = r.EndPfn(pageShift);
            if (end > start)
            {
                list.Add(new PfnRange(start, end, r.Node));
            }
        }

        return list;
    }

    /// <summary>Whole pages in all ranges together.</summary>
    /// <param name="pageShift"><c>PAGE_SHIFT</c>.</param>
    /// <returns>The page count.</returns>
    public ulong TotalPages(int pageShift)
    {
        ulong total = 0;
        foreach (var r in _ranges)
        {
            total += r.PageCount(pageShift);
        }

        return total;
    }

    /// <summary>The map as <c>/proc/iomem</c> would print it (inclusive ends), one range a line.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var r in _ranges)
        {
            sb.Append(r.Start.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append('-')
              .Append((r.End - 1).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append(" : System RAM");
            if (r.Node != 0)
            {
                sb.Append(" (node ").Append(r.Node.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(')');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
