using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The part of <c>physmem map --sysfs-memory DIR</c> that sets the kernel's own view beside the
/// computed one: its memory blocks (the <c>memoryN/nodeK</c> links, or a captured copy's
/// <c>memory_blocks</c> list) and its zones (<c>zoneinfo</c>), against the blocks and zones computed
/// from the memory map.
/// </summary>
/// <remarks>
/// The computed blocks take their nodes from somewhere other than the links they are checked against,
/// or the check of nodes would hold by construction: from <c>--numa</c> when given, else from each
/// node's span in the kernel's zoneinfo (the pfns from its first zone's start to its last zone's end),
/// else from the links themselves (then only which blocks hold memory is checked, and the report says so).
/// </remarks>
internal static class SysfsAgreement
{
    /// <summary>What was compared and every disagreement.</summary>
    /// <param name="Directory">The sysfs directory (or captured copy) read.</param>
    /// <param name="NodesFrom">Where the computed blocks' nodes came from.</param>
    /// <param name="BlocksCompared">How many blocks were compared (the union of both sides).</param>
    /// <param name="ZoneinfoFile">The zoneinfo compared, or null when none was found.</param>
    /// <param name="ZonesCompared">How many (node, zone) pairs were compared.</param>
    /// <param name="Disagreements">One sentence per disagreement, blocks first, then zones.</param>
    internal sealed record Result(string Directory, string NodesFrom, int BlocksCompared, string? ZoneinfoFile, int ZonesCompared, List<string> Disagreements)
    {
        /// <summary>Gets a value indicating whether the kernel and the computed view agree.</summary>
        public bool Agrees => Disagreements.Count == 0;
    }

    /// <summary>Compares the kernel's blocks and zones under <paramref name="directory"/> with those computed from <paramref name="map"/>.</summary>
    /// <param name="layout">The layout (page size, zones).</param>
    /// <param name="map">The memory map with the nodes of <c>--numa</c> (all node 0 when none was given).</param>
    /// <param name="numaGiven">Whether <c>--numa</c> gave the nodes.</param>
    /// <param name="directory">The sysfs memory directory or a captured copy.</param>
    /// <param name="zoneinfoFile">The kernel's zoneinfo, or null to look for one (see <see cref="FindZoneinfo"/>).</param>
    /// <param name="zoneRule">Which zone each pfn is in.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="IOException">The directory, its block size or the zoneinfo cannot be read.</exception>
    /// <exception cref="FormatException">The zoneinfo has a value that is not a number.</exception>
    public static Result Compare(MemoryLayout layout, MemoryMap map, bool numaGiven, string directory, string? zoneinfoFile, Func<MemoryMap, ZoneRule> zoneRule)
    {
        var kernelBlocks = MemoryMap.MemoryBlocksFromSysfs(directory, out ulong blockSize);
        zoneinfoFile ??= FindZoneinfo(directory);
        List<ZoneSpan>? kernelZones = null;
        if (zoneinfoFile is not null)
        {
            kernelZones = new List<ZoneSpan>();
            foreach (var z in MemoryReport.ParseZoneinfo(File.ReadAllText(zoneinfoFile)))
            {
                if (z.Spanned != 0)
                {
                    kernelZones.Add(z);
                }
            }
        }

        var problems = new List<string>();
        MemoryMap computed;
        string nodesFrom;
        if (numaGiven)
        {
            computed = map;
            nodesFrom = "--numa";
        }
        else if (kernelZones is not null && NodeSpans(kernelZones, layout.PageShift) is { } spans)
        {
            nodesFrom = "each node's span in " + zoneinfoFile;
            try
            {
                computed = map.WithNodes(spans);
            }
            catch (ArgumentException e)
            {
                // Memory outside every node's span: the zoneinfo and the map disagree before any block does.
                problems.Add("the zoneinfo's node spans do not cover the map: " + e.Message);
                computed = map.WithNodesFromSysfs(directory);
            }
        }
        else
        {
            computed = map.WithNodesFromSysfs(directory);
            nodesFrom = "the links in " + directory + " themselves (so only which blocks hold memory is compared)";
        }

        int blocksCompared = CompareBlocks(kernelBlocks, MemoryReport.Blocks(computed, blockSize), blockSize, problems);
        int zonesCompared = 0;
        if (kernelZones is not null)
        {
            zonesCompared = CompareZones(kernelZones, MemoryReport.ZoneSpans(layout, computed, zoneRule(computed)), problems);
        }

        return new Result(directory, nodesFrom, blocksCompared, zoneinfoFile, zonesCompared, problems);
    }

    /// <summary>
    /// The zoneinfo beside the blocks: <c>DIR/zoneinfo</c> in a captured copy, or <c>/proc/zoneinfo</c>
    /// for the live <c>/sys/devices/system/memory</c>; null when there is none.
    /// </summary>
    /// <param name="directory">The sysfs memory directory or a captured copy.</param>
    /// <returns>The file, or null.</returns>
    public static string? FindZoneinfo(string directory)
    {
        string beside = Path.Combine(directory, "zoneinfo");
        if (File.Exists(beside))
        {
            return beside;
        }

        bool live = string.Equals(Path.GetFullPath(directory).TrimEnd('/'), "/sys/devices/system/memory", StringComparison.Ordinal);
        return live && File.Exists("/proc/zoneinfo") ? "/proc/zoneinfo" : null;
    }

    /// <summary>Writes the comparison as text: one verdict line, then each disagreement.</summary>
    /// <param name="w">The output.</param>
    /// <param name="r">The comparison.</param>
    public static void Write(TextWriter w, Result r)
    {
        w.WriteLine();
        string zones = r.ZoneinfoFile is null ? "no zoneinfo found (give --zoneinfo FILE to compare zones)" : $"{Decimal(r.ZonesCompared)} zones from {r.ZoneinfoFile}";
        w.WriteLine($"Kernel's view ({r.Directory}): {Decimal(r.BlocksCompared)} blocks, {zones}; computed nodes from {r.NodesFrom}.");
        if (r.Agrees)
        {
            w.WriteLine("The kernel's blocks and zones agree with the computed ones.");
            return;
        }

        w.WriteLine($"The kernel's blocks and zones DO NOT agree with the computed ones ({Decimal(r.Disagreements.Count)} disagreements):");
        foreach (string problem in r.Disagreements)
        {
            w.WriteLine("  " + problem);
        }
    }

    /// <summary>Writes the comparison as the <c>sysfsAgreement</c> object of the JSON report.</summary>
    /// <param name="j">The writer, inside the report object.</param>
    /// <param name="r">The comparison.</param>
    public static void WriteJson(Utf8JsonWriter j, Result r)
    {
        j.WriteStartObject("sysfsAgreement");
        j.WriteBoolean("agrees", r.Agrees);
        j.WriteString("directory", r.Directory);
        j.WriteString("nodesFrom", r.NodesFrom);
        j.WriteNumber("blocksCompared", r.BlocksCompared);
        if (r.ZoneinfoFile is null)
        {
            j.WriteNull("zoneinfo");
        }
        else
        {
            j.WriteString("zoneinfo", r.ZoneinfoFile);
        }

        j.WriteNumber("zonesCompared", r.ZonesCompared);
        j.WriteStartArray("disagreements");
        foreach (string problem in r.Disagreements)
        {
            j.WriteStringValue(problem);
        }

        j.WriteEndArray();
        j.WriteEndObject();
    }

    // Each node's span as zoneinfo gives it; null when spans overlap (nodes interleaved), which no
    // address ranges can express.
    private static List<MemoryRange>? NodeSpans(List<ZoneSpan> zones, int pageShift)
    {
        var byNode = new SortedDictionary<int, (ulong Start, ulong End)>();
        foreach (var z in zones)
        {
            ulong end = z.StartPfn + z.Spanned;
            byNode[z.Node] = byNode.TryGetValue(z.Node, out var s) ? (Math.Min(s.Start, z.StartPfn), Math.Max(s.End, end)) : (z.StartPfn, end);
        }

        var spans = new List<MemoryRange>();
        foreach (var (node, span) in byNode)
        {
            spans.Add(new MemoryRange(span.Start << pageShift, span.End << pageShift, node));
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < spans.Count; i++)
        {
            if (spans[i].Start < spans[i - 1].End)
            {
                return null;
            }
        }

        return spans;
    }

    private static int CompareBlocks(IReadOnlyList<MemoryBlock> kernel, IReadOnlyList<MemoryBlock> computed, ulong blockSize, List<string> problems)
    {
        var computedByIndex = new SortedDictionary<ulong, int>();
        foreach (var b in computed)
        {
            computedByIndex[b.Index] = b.Node;
        }

        var seen = new HashSet<ulong>();
        foreach (var b in kernel)
        {
            seen.Add(b.Index);
            string where = $"memory{b.Index} [{Hex(b.Index * blockSize)}-{Hex(((b.Index + 1) * blockSize) - 1)}]";
            if (!computedByIndex.TryGetValue(b.Index, out int node))
            {
                problems.Add($"{where}: the kernel lists it on node {b.Node}; the map has no memory in it.");
            }
            else if (node != b.Node)
            {
                problems.Add($"{where}: the kernel puts it on node {b.Node}; computed node {node}.");
            }
        }

        foreach (var (index, node) in computedByIndex)
        {
            if (seen.Add(index))
            {
                problems.Add($"memory{index} [{Hex(index * blockSize)}-{Hex(((index + 1) * blockSize) - 1)}]: computed on node {node}; the kernel does not list it.");
            }
        }

        return seen.Count;
    }

    private static int CompareZones(List<ZoneSpan> kernel, IReadOnlyList<ZoneSpan> computed, List<string> problems)
    {
        var computedByKey = new Dictionary<(int, string), ZoneSpan>();
        foreach (var z in computed)
        {
            computedByKey[(z.Node, z.Zone)] = z;
        }

        var seen = new HashSet<(int, string)>();
        foreach (var k in kernel)
        {
            seen.Add((k.Node, k.Zone));
            if (!computedByKey.TryGetValue((k.Node, k.Zone), out var c))
            {
                problems.Add($"node {k.Node} zone {k.Zone}: the kernel has start_pfn {Hex(k.StartPfn)}, spanned {Decimal((long)k.Spanned)}; computed nothing.");
            }
            else if (c != k)
            {
                problems.Add($"node {k.Node} zone {k.Zone}: the kernel has start_pfn {Hex(k.StartPfn)}, spanned {Decimal((long)k.Spanned)}, present {Decimal((long)k.Present)}; "
                    + $"computed start_pfn {Hex(c.StartPfn)}, spanned {Decimal((long)c.Spanned)}, present {Decimal((long)c.Present)}.");
            }
        }

        foreach (var c in computed)
        {
            if (seen.Add((c.Node, c.Zone)))
            {
                problems.Add($"node {c.Node} zone {c.Zone}: computed start_pfn {Hex(c.StartPfn)}, spanned {Decimal((long)c.Spanned)}; the kernel has no such zone.");
            }
        }

        return seen.Count;
    }
}
