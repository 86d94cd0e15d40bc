using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The part of <c>physmem map</c> that says how much memmap each range of the map could host in its
/// own first pages instead of in RAM: a System RAM range if it were hot-added with
/// <c>memmap_on_memory</c> (one altmap per whole memory block, when the kernel's conditions hold),
/// and a Persistent Memory range (a top-level <c>Persistent Memory</c> line of the iomem text) in
/// <c>devm</c> mode, whose <c>vmem_altmap</c> holds its whole memmap.
/// </summary>
internal static class SelfHostedReport
{
    /// <summary>One range and the memmap it could host itself.</summary>
    /// <param name="Start">First byte.</param>
    /// <param name="End">Last byte, inclusive.</param>
    /// <param name="Kind">"System RAM" or "Persistent Memory".</param>
    /// <param name="HostedBytes">Bytes of memmap the range would hold in its own pages.</param>
    /// <param name="How">How that comes about, with the numbers.</param>
    internal sealed record Row(ulong Start, ulong End, string Kind, ulong HostedBytes, string How);

    /// <summary>The rows for a map, and why <c>memmap_on_memory</c> is refused (null when it is allowed).</summary>
    /// <param name="layout">The layout (VMEMMAP or not, page size, pageblocks).</param>
    /// <param name="map">The System RAM ranges.</param>
    /// <param name="iomemText">The iomem text, read again for its Persistent Memory lines.</param>
    /// <param name="blockSize">The memory block size in bytes.</param>
    /// <returns>The rows, RAM first, then persistent memory, each by address.</returns>
    public static (List<Row> Rows, string? Problem) Build(MemoryLayout layout, MemoryMap map, string iomemText, ulong blockSize)
    {
        ulong page = 1UL << layout.PageShift;
        ulong entry = (ulong)layout.StructPageSize;
        ulong blockPages = blockSize / page;
        string? problem = SelfHostedMemmap.MemmapOnMemoryProblem(layout, entry, blockPages);
        ulong perBlock = SelfHostedMemmap.MemmapOnMemoryPages(layout, entry, blockPages);
        var rows = new List<Row>();
        foreach (var range in map.Ranges)
        {
            ulong first = (range.Start + blockSize - 1) / blockSize;
            ulong end = range.End / blockSize;
            ulong blocks = end > first ? end - first : 0;
            rows.Add(problem == null
                ? new Row(range.Start, range.End - 1, "System RAM", blocks * perBlock * page, "if hot-added with memmap_on_memory: " + Decimal((long)blocks) + " whole blocks × " + Decimal((long)perBlock) + " pages")
                : new Row(range.Start, range.End - 1, "System RAM", 0, "memmap_on_memory refused (below)"));
        }

        foreach (var (start, last) in PersistentMemory(iomemText))
        {
            ulong pages = (last - start + 1) / page;
            if (last >> layout.MaxPhysmemBits != 0)
            {
                rows.Add(new Row(start, last, "Persistent Memory", 0, "beyond MAX_PHYSMEM_BITS = " + Decimal(layout.MaxPhysmemBits) + ": the kernel cannot add it"));
                continue;
            }

            rows.Add(layout.IsVmemmap
                ? new Row(start, last, "Persistent Memory", SelfHostedMemmap.DeviceMemmapPages(layout, entry, pages) * page, "devm mode: its vmem_altmap holds " + Decimal((long)pages) + " pages × " + Decimal((long)entry) + " bytes")
                : new Row(start, last, "Persistent Memory", 0, "ZONE_DEVICE needs SPARSEMEM_VMEMMAP"));
        }

        return (rows, problem);
    }

    /// <summary>Writes the rows as a table, and the refusal if there is one.</summary>
    /// <param name="w">Where to write.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="problem">Why memmap_on_memory is refused, or null.</param>
    public static void Write(TextWriter w, IReadOnlyList<Row> rows, string? problem)
    {
        w.WriteLine("memmap each range could host in its own first pages (not in RAM):");
        var table = new TextTable();
        foreach (var r in rows)
        {
            table.Add(Hex(r.Start) + "-" + Hex(r.End), r.Kind, Bytes(r.HostedBytes), r.How);
        }

        table.Write(w);
        if (problem != null)
        {
            w.WriteLine("  " + problem);
        }
    }

    /// <summary>Writes the rows as the JSON array <c>selfHostedMemmap</c>, and <c>memmapOnMemoryProblem</c>.</summary>
    /// <param name="j">The writer, inside an object.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="problem">Why memmap_on_memory is refused, or null.</param>
    public static void WriteJson(Utf8JsonWriter j, IReadOnlyList<Row> rows, string? problem)
    {
        j.WriteStartArray("selfHostedMemmap");
        foreach (var r in rows)
        {
            j.WriteStartObject();
            j.WriteNumber("start", r.Start);
            j.WriteNumber("end", r.End);
            j.WriteString("kind", r.Kind);
            j.WriteNumber("hostedBytes", r.HostedBytes);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteString("memmapOnMemoryProblem", problem); // null when allowed
    }

    // Top-level "start-end : Persistent Memory" lines (also "(legacy)", e820 type 12); nested lines
    // (the namespaces) are indented and skipped, as the RAM parser skips them.
    private static IEnumerable<(ulong Start, ulong Last)> PersistentMemory(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            int colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || colon < 0 || !line[(colon + 3)..].StartsWith("Persistent Memory", StringComparison.Ordinal))
            {
                continue;
            }

            string[] bounds = line[..colon].Split('-');
            if (bounds.Length == 2
                && ulong.TryParse(bounds[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(bounds[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong last)
                && last >= start)
            {
                yield return (start, last);
            }
        }
    }
}
