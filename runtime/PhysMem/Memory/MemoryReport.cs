using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>A memory block as sysfs shows it: <c>/sys/devices/system/memory/memory{Index}</c> on node <c>Node</c>.</summary>
/// <param name="Index">The block index: its first address divided by the block size.</param>
/// <param name="Node">The block's node.</param>
internal readonly record struct MemoryBlock(ulong Index, int Node);

/// <summary>One non-empty zone of one node, as <c>/proc/zoneinfo</c> reports it.</summary>
/// <param name="Node">The node.</param>
/// <param name="Zone">The zone's kernel name: DMA, DMA32, Normal, HighMem, Movable, Device.</param>
/// <param name="StartPfn"><c>zone_start_pfn</c>: the zone's first pfn in the node.</param>
/// <param name="Spanned"><c>spanned_pages</c>: from the first to the last pfn of the zone in the node, holes included.</param>
/// <param name="Present"><c>present_pages</c>: pages of memory in it, holes excluded.</param>
internal sealed record ZoneSpan(int Node, string Zone, ulong StartPfn, ulong Spanned, ulong Present);

/// <summary>
/// What a running kernel reports about its memory, computed from a memory map: the zones of every
/// node (as <c>/proc/zoneinfo</c>) and the memory blocks (as <c>/sys/devices/system/memory</c>).
/// </summary>
internal static class MemoryReport
{
    private static readonly (PhysMem.Zones Zone, string Name)[] ZoneNames =
    {
        (PhysMem.Zones.Dma, "DMA"), (PhysMem.Zones.Dma32, "DMA32"), (PhysMem.Zones.Normal, "Normal"), (PhysMem.Zones.HighMem, "HighMem"), (PhysMem.Zones.Movable, "Movable"), (PhysMem.Zones.Device, "Device"),
    };

    /// <summary>The kernel's name of each configured zone, by zone index.</summary>
    /// <param name="layout">The layout whose zones are configured.</param>
    /// <returns>The names, index 0 first.</returns>
    public static IReadOnlyList<string> ZoneNamesOf(MemoryLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var names = new List<string>();
        foreach (var (zone, name) in ZoneNames)
        {
            if ((layout.Spec.Zones & zone) != 0)
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>
    /// The zones of every node as free_area_init sizes them (mm/mm_init.c): the zones' pfn ranges
    /// follow each other from the lowest pfn with memory to the highest (the limits come from
    /// <paramref name="rule"/>, the x86 rule when null); a zone's span in a node is its range
    /// clipped to the node's span, holes included, and its present pages are the node's memory in
    /// that span. Zones that span nothing in a node are left out (ZONE_MOVABLE and ZONE_DEVICE span
    /// nothing at boot unless movable memory is configured).
    /// </summary>
    /// <param name="layout">The layout (page size, zones).</param>
    /// <param name="map">The memory, with nodes.</param>
    /// <param name="rule">Which zone each pfn belongs to; null for the x86 rule.</param>
    /// <returns>The zones, by node and then zone index.</returns>
    public static IReadOnlyList<ZoneSpan> ZoneSpans(MemoryLayout layout, MemoryMap map, ZoneRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(map);
        rule ??= new ZoneRule(layout);
        var names = ZoneNamesOf(layout);
        var runs = map.Pfns(layout.PageShift);
        var list = new List<ZoneSpan>();
        if (runs.Count == 0)
        {
            return list;
        }

        // arch_zone_lowest/highest_possible_pfn: consecutive zone ranges from the first to the last pfn.
        var zoneRanges = new List<(int Zone, ulong Start, ulong End)>();
        ulong maxPfn = runs[runs.Count - 1].End;
        for (ulong pfn = runs[0].Start; pfn < maxPfn;)
        {
            ulong end = Math.Min(rule.ZoneEnd(pfn), maxPfn);
            zoneRanges.Add((rule.ZoneFor(pfn), pfn, end));
            pfn = end;
        }

        var nodes = new SortedDictionary<int, (ulong Start, ulong End)>();
        foreach (var run in runs)
        {
            nodes[run.Node] = nodes.TryGetValue(run.Node, out var s) ? (Math.Min(s.Start, run.Start), Math.Max(s.End, run.End)) : (run.Start, run.End);
        }

        foreach (var (node, span) in nodes)
        {
            foreach (var (zone, zoneStart, zoneEnd) in zoneRanges)
            {
                ulong start = Math.Max(zoneStart, span.Start);
                ulong end = Math.Min(zoneEnd, span.End);
                if (end <= start)
                {
                    continue;
                }

                ulong present = 0;
                foreach (var run in runs)
                {
                    if (run.Node == node && run.End > start && run.Start < end)
                    {
                        present += Math.Min(run.End, end) - Math.Max(run.Start, start);
                    }
                }

                string name = zone < names.Count ? names[zone] : "zone" + zone.ToString(System.Globalization.CultureInfo.InvariantCulture);
                list.Add(new ZoneSpan(node, name, start, end - start, present));
            }
        }

        return list;
    }

    /// <summary>The memory blocks that hold memory, with their node, for a block size (sysfs <c>block_size_bytes</c>).</summary>
    /// <param name="map">The memory, with nodes.</param>
    /// <param name="blockSize">The block size in bytes, a power of two (the section size unless the architecture groups sections).</param>
    /// <returns>The blocks, by index.</returns>
    /// <exception cref="ArgumentException">The block size is not a power of two.</exception>
    public static IReadOnlyList<MemoryBlock> Blocks(MemoryMap map, ulong blockSize)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (blockSize == 0 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new ArgumentException($"The block size {blockSize} is not a power of two.", nameof(blockSize));
        }

        var blocks = new SortedDictionary<ulong, int>();
        foreach (var r in map.Ranges)
        {
            for (ulong index = r.Start / blockSize; index <= (r.End - 1) / blockSize; index++)
            {
                blocks.TryAdd(index, r.Node);
            }
        }

        var list = new List<MemoryBlock>();
        foreach (var kv in blocks)
        {
            list.Add(new MemoryBlock(kv.Key, kv.Value));
        }

        return list;
    }

    /// <summary>
    /// Reads <c>/proc/zoneinfo</c> text: every "Node N, zone NAME" block with its <c>spanned</c>,
    /// <c>present</c> and <c>start_pfn:</c> values (zones that span nothing included), so the
    /// kernel's own numbers can be set beside <see cref="ZoneSpans"/>.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The zones in file order.</returns>
    /// <exception cref="FormatException">A value is not a number; the message names the line.</exception>
    public static IReadOnlyList<ZoneSpan> ParseZoneinfo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var zones = new List<ZoneSpan>();
        ZoneSpan? current = null;
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            var words = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 4 && words[0] == "Node" && words[2] == "zone")
            {
                if (current is not null)
                {
                    zones.Add(current);
                }

                current = new ZoneSpan((int)Number(words[1].TrimEnd(','), lineNumber, raw), words[3], 0, 0, 0);
            }
            else if (current is not null && words.Length == 2)
            {
                current = words[0] switch
                {
                    "spanned" => current with { Spanned = (ulong)Number(words[1], lineNumber, raw) },
                    "present" => current with { Present = (ulong)Number(words[1], lineNumber, raw) },
                    "start_pfn:" => current with { StartPfn = (ulong)Number(words[1], lineNumber, raw) },
                    _ => current,
                };
            }
        }

        if (current is not null)
        {
            zones.Add(current);
        }

        return zones;
    }

    private static long Number(string word, int line, string text) =>
        long.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"zoneinfo line {line}: '{word}' is not a number in \"{text.Trim()}\".");
}
