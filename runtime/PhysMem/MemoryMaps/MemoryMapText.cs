using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// The text form of a memory map, read the same way by the runtime (<c>MemoryMap.ParseIomem</c>,
/// <c>MemoryMap.WithNodes</c>) and by the source generator (a <c>MemoryMapFile</c> among the
/// AdditionalFiles). Pure and exception-free: every problem comes back with its line and column.
/// </summary>
/// <remarks>
/// The format is <c>/proc/iomem</c>: one resource a line, <c>start-end : name</c> with hexadecimal
/// addresses and an inclusive end, children indented (kernel/resource.c prints it so). The RAM is
/// the top-level lines named exactly <c>System RAM</c>; indented lines are skipped. Lines whose
/// first character is <c>#</c> are comments (the kernel never prints one), and one comment
/// <c># numa: SPEC</c> gives the memory its nodes, SPEC being <c>node:start-end</c> items
/// separated by commas (end inclusive, hexadecimal with <c>0x</c> or decimal), as in
/// <c># numa: 0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff</c>. Without it every range is on node 0.
/// </remarks>
internal static class MemoryMapText
{
    /// <summary>The resource name of RAM in <c>/proc/iomem</c>.</summary>
    public const string SystemRam = "System RAM";

    /// <summary>The comment that carries the NUMA spec.</summary>
    public const string NumaKey = "numa:";

    /// <summary>What kind of problem a <see cref="Problem"/> is.</summary>
    public enum ProblemKind
    {
        /// <summary>A top-level line is not <c>start-end : name</c>, or a second NUMA line.</summary>
        Malformed,

        /// <summary>Every address reads as zero: the file was read without root.</summary>
        HiddenAddresses,

        /// <summary>Two System RAM ranges overlap.</summary>
        Overlap,

        /// <summary>A NUMA item is not <c>node:start-end</c>.</summary>
        NumaMalformed,

        /// <summary>Two NUMA parts overlap.</summary>
        NumaOverlap,

        /// <summary>Some memory lies in no NUMA part.</summary>
        NumaUncovered,
    }

    /// <summary>
    /// A range of memory <c>[Start, End)</c> with its node, and where the text gave it: the 1-based
    /// <paramref name="Line"/> (0 when not from a text), the 1-based <paramref name="Column"/> where its
    /// text starts, and that text's <paramref name="Length"/>.
    /// </summary>
    public readonly record struct Range(ulong Start, ulong End, int Node, int Line, int Column, int Length)
    {
        public Range WithNode(ulong start, ulong end, int node) => new(start, end, node, Line, Column, Length);

        /// <summary>The range as <c>0x1000-0x9fbff</c> (inclusive end, as iomem and NUMA specs write it).</summary>
        public string Text => "0x" + Hex(Start) + "-0x" + Hex(End - 1);
    }

    /// <summary>
    /// A problem, at the 1-based <paramref name="Line"/> and <paramref name="Column"/> (line 0: not in a
    /// text), <paramref name="Length"/> characters to blame; <paramref name="LineText"/> is the whole
    /// line and <paramref name="Detail"/> what is wrong, without the line number.
    /// </summary>
    public sealed record Problem(ProblemKind Kind, int Line, int Column, int Length, string LineText, string Detail);

    /// <summary>
    /// What a text holds: its System RAM <paramref name="Ranges"/> (sorted, with their nodes, split
    /// where a node's part ends), or the first <paramref name="Problem"/>; and the node parts of its
    /// <c># numa:</c> line, each located at its item (null without one).
    /// </summary>
    public sealed record Result(List<Range> Ranges, Problem? Problem, List<Range>? NumaParts);

    /// <summary>Reads a memory map's text.</summary>
    public static Result Parse(string text)
    {
        var ranges = new List<Range>();
        List<Range>? parts = null;
        int firstLine = 0;
        bool allZero = true;
        Result Fail(Problem p) => new(new List<Range>(), p, parts);
        if (text.Length > InputLimits.MaxTextLength)
        {
            return Fail(new Problem(ProblemKind.Malformed, 1, 1, 0, string.Empty, InputLimits.TooLargeReason));
        }

        var lines = new List<string>();
        foreach (var (start, length) in TextLines.Of(text))
        {
            lines.Add(text.Substring(start, length));
        }

        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            int number = i + 1;
            if (line.Trim().Length == 0 || line[0] == ' ' || line[0] == '\t')
            {
                continue;
            }

            if (line[0] == '#')
            {
                int key = line.IndexOf(NumaKey, StringComparison.OrdinalIgnoreCase);
                if (key < 0 || line.Substring(1, key - 1).Trim().Length != 0)
                {
                    continue;
                }

                if (parts is not null)
                {
                    return Fail(new Problem(ProblemKind.Malformed, number, 1, line.Length, line, "a second '# numa:' line; give every node's part in one"));
                }

                parts = new List<Range>();
                if (ParseNumaSpec(line.Substring(key + NumaKey.Length), number, key + NumaKey.Length + 1, line, parts) is { } bad)
                {
                    return Fail(bad);
                }

                continue;
            }

            if (ParseLine(line, number, out ulong start, out ulong last, out string name) is { } malformed)
            {
                return Fail(malformed);
            }

            firstLine = firstLine == 0 ? number : firstLine;
            allZero &= start == 0 && last == 0;
            if (!string.Equals(name, SystemRam, StringComparison.Ordinal))
            {
                continue;
            }

            if (start == 0 && last == 0)
            {
                return Fail(Hidden(number, line));
            }

            if (last == ulong.MaxValue)
            {
                return Fail(new Problem(ProblemKind.Malformed, number, 1, line.Length, line, "the range ends at the last byte of the 64-bit address space, which a memory range cannot describe"));
            }

            ranges.Add(new Range(start, last + 1, 0, number, 1, line.Length));
        }

        if (firstLine > 0 && allZero)
        {
            return Fail(Hidden(firstLine, lines[firstLine - 1]));
        }

        Sort(ranges);
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].End)
            {
                var a = ranges[i - 1];
                var b = ranges[i];
                var at = a.Line > b.Line ? a : b;
                return Fail(new Problem(ProblemKind.Overlap, at.Line, at.Column, at.Length, lines[at.Line - 1],
                    "the System RAM ranges " + a.Text + LineSuffix(a) + " and " + b.Text + LineSuffix(b) + " overlap; every byte of memory belongs to one range"));
            }
        }

        if (parts is null)
        {
            return new Result(ranges, null, null);
        }

        var assigned = new List<Range>();
        return AssignNodes(ranges, parts, assigned) is { } uncovered ? Fail(uncovered) : new Result(assigned, null, parts);
    }

    /// <summary>
    /// Reads a NUMA spec into <paramref name="parts"/> (<c>[start, end)</c> with the node), each
    /// located at its item: <paramref name="column"/> is the 1-based column of the spec's first
    /// character on line <paramref name="line"/> (0 for a spec that is not in a file).
    /// </summary>
    /// <returns>The first malformed item, or null.</returns>
    public static Problem? ParseNumaSpec(string spec, int line, int column, string lineText, List<Range> parts)
    {
        int at = 0;
        bool any = false;
        foreach (string piece in spec.Split(',', '\n'))
        {
            string raw = piece.Trim();
            int itemColumn = column + at + piece.IndexOf(raw, StringComparison.Ordinal);
            at += piece.Length + 1;
            if (raw.Length == 0 || IsKernelNodeRangesHeader(raw))
            {
                continue;
            }

            any = true;
            if (!TryParseNumaItem(raw, out int node, out ulong start, out ulong last))
            {
                return new Problem(ProblemKind.NumaMalformed, line, itemColumn, raw.Length, lineText,
                    "The NUMA item '" + TextLines.Shown(raw) + "' is not of the form node:start-end (for example 1:0xc0000000-0x23fffffff, end inclusive) or a line of the kernel's 'Early memory node ranges' (node   1: [mem 0x00000000c0000000-0x000000023fffffff]).");
            }

            parts.Add(new Range(start, last + 1, node, line, itemColumn, raw.Length));
        }

        return any ? null : new Problem(ProblemKind.NumaMalformed, line, column, 0, lineText,
            "The NUMA spec names no node:start-end item (for example 0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff).");
    }

    // One item: "node:start-end", or the kernel's own line "node   0: [mem 0x...-0x...]" as the boot
    // log prints it under "Early memory node ranges" (a leading "[  0.000000]" timestamp allowed).
    private static bool TryParseNumaItem(string raw, out int node, out ulong start, out ulong last)
    {
        node = 0;
        start = 0;
        last = 0;
        string item = StripTimestamp(raw);
        if (item.StartsWith("node", StringComparison.Ordinal))
        {
            int colon = item.IndexOf(':');
            int open = item.IndexOf("[mem ", StringComparison.Ordinal);
            if (colon < 0 || open < colon || !item.EndsWith("]", StringComparison.Ordinal))
            {
                return false;
            }

            string range = item.Substring(open + 5, item.Length - open - 6);
            item = item.Substring(4, colon - 4).Trim() + ":" + range;
        }

        int c = item.IndexOf(':');
        int dash = c < 0 ? -1 : item.IndexOf('-', c + 1);
        return c > 0 && dash >= 0
            && AllDigits(item.Substring(0, c), hex: false)
            && int.TryParse(item.Substring(0, c), NumberStyles.None, CultureInfo.InvariantCulture, out node)
            && TryParseAddress(item.Substring(c + 1, dash - c - 1), out start)
            && TryParseAddress(item.Substring(dash + 1), out last)
            && last >= start && last != ulong.MaxValue;
    }

    private static bool IsKernelNodeRangesHeader(string raw) => StripTimestamp(raw) == "Early memory node ranges";

    private static string StripTimestamp(string raw)
    {
        if (raw.StartsWith("[", StringComparison.Ordinal) && raw.IndexOf(']') is int close and > 0
            && double.TryParse(raw.Substring(1, close - 1).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            return raw.Substring(close + 1).Trim();
        }

        return raw;
    }

    /// <summary>
    /// Gives each range (sorted, not overlapping) the node of the part it lies in, splitting it where
    /// a part ends, into <paramref name="result"/>.
    /// </summary>
    /// <returns>Parts that overlap, or memory in no part; null when every byte found its node.</returns>
    public static Problem? AssignNodes(List<Range> ranges, List<Range> nodeParts, List<Range> result)
    {
        var parts = new List<Range>(nodeParts);
        Sort(parts);
        for (int i = 1; i < parts.Count; i++)
        {
            if (parts[i].Start < parts[i - 1].End)
            {
                var b = parts[i];
                return new Problem(ProblemKind.NumaOverlap, b.Line, b.Column, b.Length, string.Empty,
                    "The node parts " + parts[i - 1].Text + " (node " + Dec(parts[i - 1].Node) + ") and " + b.Text + " (node " + Dec(b.Node) + ") overlap; every address belongs to one node.");
            }
        }

        foreach (var r in ranges)
        {
            ulong at = r.Start;
            foreach (var p in parts)
            {
                if (p.End <= at || p.Start >= r.End)
                {
                    continue;
                }

                if (p.Start > at && !InPartialPage(r, at, p.Start))
                {
                    return Uncovered(r, at, p.Start);
                }

                ulong end = Math.Min(p.End, r.End);
                at = Math.Max(at, p.Start);
                result.Add(r.WithNode(at, end, p.Node));
                at = end;
                if (at == r.End)
                {
                    break;
                }
            }

            if (at < r.End && !InPartialPage(r, at, r.End))
            {
                return Uncovered(r, at, r.End);
            }
        }

        return null;
    }

    /// <summary>An address as iomem and NUMA specs write it: hexadecimal with <c>0x</c>, or decimal.</summary>
    public static bool TryParseAddress(string text, out ulong value)
    {
        text = text.Trim();
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        string digits = hex ? text.Substring(2) : text;
        value = 0;
        return AllDigits(digits, hex) && ulong.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static Problem? ParseLine(string line, int number, out ulong start, out ulong last, out string name)
    {
        start = 0;
        last = 0;
        name = string.Empty;
        int colon = line.IndexOf(':');
        int dash = colon < 0 ? -1 : line.IndexOf('-', 0, colon);
        if (colon < 0 || dash < 0)
        {
            return new Problem(ProblemKind.Malformed, number, 1, line.Length, line, "expected 'start-end : name' with hexadecimal addresses");
        }

        string startText = line.Substring(0, dash).Trim();
        string endText = line.Substring(dash + 1, colon - dash - 1).Trim();
        name = line.Substring(colon + 1).Trim();
        if (!TryParseHex(startText, out start))
        {
            return new Problem(ProblemKind.Malformed, number, 1, dash, line, "'" + TextLines.Shown(startText) + "' is not a hexadecimal address");
        }

        if (!TryParseHex(endText, out last))
        {
            return new Problem(ProblemKind.Malformed, number, dash + 2, colon - dash - 1, line, "'" + TextLines.Shown(endText) + "' is not a hexadecimal address");
        }

        return start > last
            ? new Problem(ProblemKind.Malformed, number, 1, colon, line, "the start address is above the (inclusive) end address")
            : null;
    }

    /// <summary>
    /// The smallest page: memory in a page that a range covers only in part is no page's memory, and
    /// the kernel drops it before it gives memory to nodes (its node ranges are whole pages: iomem's
    /// <c>00001000-0009fbff</c> is node memory <c>0x1000-0x9efff</c>).
    /// </summary>
    public const ulong PartialPageSize = 4096;

    // Whether [from, to) lies within a page at either end of the range that the range covers only in part.
    private static bool InPartialPage(Range r, ulong from, ulong to)
    {
        ulong firstWhole = r.Start > ulong.MaxValue - (PartialPageSize - 1) ? r.End : (r.Start + PartialPageSize - 1) & ~(PartialPageSize - 1);
        ulong endWhole = r.End & ~(PartialPageSize - 1);
        return (from >= r.Start && to <= Math.Min(firstWhole, r.End) && firstWhole != r.Start)
            || (from >= Math.Max(endWhole, r.Start) && to <= r.End && endWhole != r.End);
    }

    private static Problem Uncovered(Range r, ulong from, ulong to) => new(ProblemKind.NumaUncovered, r.Line, r.Column, r.Length, string.Empty,
        "Memory 0x" + Hex(from) + "-0x" + Hex(to - 1) + " of the range " + r.Text + LineSuffix(r) + " lies in no node's part.");

    private static Problem Hidden(int line, string text) => new(ProblemKind.HiddenAddresses, line, 1, text.Length, text,
        "every address reads as zero: the kernel prints real addresses in /proc/iomem only to a reader with CAP_SYS_ADMIN");

    private static bool TryParseHex(string text, out ulong value)
    {
        value = 0;
        return text.Length is > 0 and <= 16 && AllDigits(text, hex: true) && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    // Only ASCII digits (and a-f for hex): .NET's number parsing also takes trailing NULs, which
    // no address has.
    private static bool AllDigits(string text, bool hex)
    {
        foreach (char c in text)
        {
            if (!(c is >= '0' and <= '9' || (hex && c is >= 'a' and <= 'f' or >= 'A' and <= 'F')))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static void Sort(List<Range> ranges) => ranges.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Line.CompareTo(b.Line));

    private static string LineSuffix(Range r) => r.Line > 0 ? " (line " + Dec(r.Line) + ")" : string.Empty;

    private static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);

    private static string Dec(int value) => value.ToString(CultureInfo.InvariantCulture);
}
