using System;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// A range of physical memory, <c>[Start, End)</c> in bytes (<see cref="End"/> is exclusive), and the
/// node it belongs to: one memblock region as the kernel sees it at boot.
/// </summary>
/// <param name="Start">The first byte of the range.</param>
/// <param name="End">One past the last byte of the range; must be greater than <paramref name="Start"/>.</param>
/// <param name="Node">The NUMA node of the range (0 without NUMA).</param>
public readonly record struct MemoryRange(ulong Start, ulong End, int Node = 0)
{
    /// <summary>The first byte of the range.</summary>
    public ulong Start { get; } = Start;

    /// <summary>One past the last byte of the range.</summary>
    public ulong End { get; } = Check(Start, End, Node);

    /// <summary>The NUMA node of the range.</summary>
    public int Node { get; } = Node;

    /// <summary>Bytes in the range.</summary>
    public ulong Size => End - Start;

    /// <summary>
    /// The first whole page of the range: <see cref="Start"/> rounded up to a page, as a pfn
    /// (the kernel's <c>PFN_UP</c>).
    /// </summary>
    /// <param name="pageShift"><c>PAGE_SHIFT</c>.</param>
    /// <returns>The pfn.</returns>
    public ulong StartPfn(int pageShift)
    {
        ulong pfn = Start >> pageShift;
        return (Start & ((1UL << pageShift) - 1)) != 0 ? pfn + 1 : pfn;
    }

    /// <summary>
    /// One past the last whole page of the range: <see cref="End"/> rounded down to a page, as a pfn
    /// (the kernel's <c>PFN_DOWN</c>).
    /// </summary>
    /// <param name="pageShift"><c>PAGE_SHIFT</c>.</param>
    /// <returns>The pfn.</returns>
    public ulong EndPfn(int pageShift) => End >> pageShift;

    /// <summary>Whole pages in the range (0 when it holds no whole page).</summary>
    /// <param name="pageShift"><c>PAGE_SHIFT</c>.</param>
    /// <returns>The page count.</returns>
    public ulong PageCount(int pageShift)
    {
        ulong start = StartPfn(pageShift);
        ulong end = EndPfn(pageShift);
        return end > start ? end - start : 0;
    }

    /// <summary>True when <paramref name="address"/> lies in the range.</summary>
    /// <param name="address">A physical address.</param>
    /// <returns>True for <c>Start &lt;= address &lt; End</c>.</returns>
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The range as <c>[0x1000-0x9fc00) node 0</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        "[0x" + Start.ToString("x", CultureInfo.InvariantCulture) + "-0x" + End.ToString("x", CultureInfo.InvariantCulture) + ") node "
        + Node.ToString(CultureInfo.InvariantCulture);

    private static ulong Check(ulong start, ulong end, int node)
    {
        if (start >= end)
        {
            throw new ArgumentException(
                "A memory range needs Start < End (End is exclusive), but Start = 0x" + start.ToString("x", CultureInfo.InvariantCulture)
                + " and End = 0x" + end.ToString("x", CultureInfo.InvariantCulture) + ".", nameof(End));
        }

        if (node < 0)
        {
            throw new ArgumentException("A memory range's node must not be negative, but it is " + node.ToString(CultureInfo.InvariantCulture) + ".", nameof(Node));
        }

        return end;
    }
}

/// <summary>A run of whole pages <c>[Start, End)</c> as pfns, with its node.</summary>
/// <param name="Start">The first pfn.</param>
/// <param name="End">One past the last pfn.</param>
/// <param name="Node">The NUMA node.</param>
public readonly record struct PfnRange(ulong Start, ulong End, int Node)
{
    /// <summary>Pages in the run.</summary>
    public ulong Count => End - Start;

    /// <summary>True when <paramref name="pfn"/> lies in the run.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True for <c>Start &lt;= pfn &lt; End</c>.</returns>
    public bool Contains(ulong pfn) => pfn >= Start && pfn < End;
}
