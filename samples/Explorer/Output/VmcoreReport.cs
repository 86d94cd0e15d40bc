using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using PhysMem.Explorer.Commands;

namespace PhysMem.Explorer.Output;

/// <summary>The text and JSON forms of <c>physmem vmcore</c>.</summary>
internal static class VmcoreReport
{
    /// <summary>A pfn given with <c>--page</c>: its decoded struct page, or why there is none.</summary>
    public sealed record AskedPage(ulong Pfn, DumpPageInfo? Page, string? Problem);

    /// <summary>Writes the human report.</summary>
    public static void WriteText(TextWriter w, VmcoreReader reader, DumpStatistics stats, IReadOnlyList<AskedPage> pages)
    {
        var dump = reader.Dump;
        var memmap = reader.Memmap;
        w.WriteLine("Kernel:  " + dump.Info.OsRelease + (dump.Tables.FiveLevel ? " (5-level paging)" : " (4-level paging)"));
        w.WriteLine("Model:   " + reader.Model.Layout.Describe());
        foreach (var c in reader.Model.Chosen.Where(c => c.Source.StartsWith("vmcoreinfo", System.StringComparison.Ordinal)))
        {
            w.WriteLine("  " + c.Name + " = " + c.Value + "  (" + c.Source + ")");
        }

        w.WriteLine("Sections: " + Str(memmap.PresentSections.Count) + " present of " + Str(memmap.NrMemSections) + ", section_mem_map read with the " + memmap.Encoding.Era + " encoding; numbers "
            + string.Join(", ", Ranges(memmap.PresentSections.Select(s => s.Number))));
        w.WriteLine("Pages:   " + Str(stats.Pages) + " struct pages read" + (stats.MissingPages > 0 ? ", " + Str(stats.MissingPages) + " valid pfns whose struct page is not in the dump" : string.Empty));
        w.WriteLine();
        var table = new TextTable();
        table.Add("node", "zone", "start pfn", "spanned", "present", "struct pages", "in span", "free", "slabs", "slab pages", "lru");
        foreach (var z in stats.Zones)
        {
            var k = z.Kernel;
            table.Add(Str(z.Node), z.Name, k is { } a ? "0x" + a.StartPfn.ToString("x", CultureInfo.InvariantCulture) : "-", k is { } b ? Str(b.Spanned) : "-", k is { } c ? Str(c.Present) : "-",
                Str(z.StructPages), k is null ? "-" : Str(z.StructPagesInSpan), Str(z.FreePages), Str(z.Slabs), Str(z.SlabPages), Str(z.LruPages));
        }

        table.Write(w, indent: string.Empty);
        w.WriteLine("start pfn, spanned, present: the kernel's struct zone. struct pages: pages whose page->flags name the zone (holes included); in span: those within");
        w.WriteLine("the kernel's span. free: buddy blocks counted with their order. slabs: slab heads; slab pages and lru count compound tails too.");
        if (stats.ImpossibleZonePages > 0)
        {
            w.WriteLine("Impossible zone numbers: " + Str(stats.ImpossibleZonePages) + " pages (first: pfn 0x" + stats.FirstImpossibleZone!.Value.Pfn.ToString("x", CultureInfo.InvariantCulture)
                + ", zone " + Str(stats.FirstImpossibleZone.Value.Zone) + "), counted in no zone");
        }

        if (stats.BadOrders > 0)
        {
            w.WriteLine("Buddy pages with an order beyond LENGTH(zone.free_area): " + Str(stats.BadOrders) + ", not counted as free");
        }

        w.WriteLine();
        w.WriteLine("Page flags (pages with the bit set):");
        var flags = new TextTable();
        for (int bit = 0; bit < 64; bit++)
        {
            if (stats.FlagCounts[bit] > 0)
            {
                flags.Add(Str(bit), reader.Flags.NameOf(bit), Str(stats.FlagCounts[bit]));
            }
        }

        flags.Write(w);
        if (pages.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Pages (--page):");
            var decoded = new TextTable();
            decoded.Add("pfn", "flags", "named bits", "node", "zone", "compound", "lru", "slab", "free block");
            foreach (var (pfn, p, problem) in pages)
            {
                if (p is null)
                {
                    decoded.Add(Hex(pfn), problem!, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
                    continue;
                }

                string zone = p.ZoneName ?? (p.Zone is int z ? Str(z) + " (no such zone)" : "-");
                decoded.Add(Hex(pfn), Hex(p.Flags), p.FlagNames.Count == 0 ? "-" : string.Join(",", p.FlagNames), p.Node is int n ? Str(n) : "-", zone,
                    p.IsHead ? "head" : p.IsTail ? (p.HeadPfn is ulong h ? "tail of " + Hex(h) : "tail") : "-", p.IsLru ? "yes" : "-", p.IsSlab ? "yes" : "-", p.BuddyOrder is int o ? "order " + Str(o) : "-");
            }

            decoded.Write(w, indent: "  ");
        }

        if (reader.Notes.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Notes:");
            foreach (var n in reader.Notes)
            {
                w.WriteLine("  - " + n);
            }
        }
    }

    /// <summary>Writes the JSON report (docs/cli-json.md, <c>physmem vmcore --json</c>).</summary>
    public static void WriteJson(Utf8JsonWriter json, VmcoreReader reader, DumpStatistics stats, IReadOnlyList<AskedPage> pages)
    {
        var memmap = reader.Memmap;
        json.WriteStartObject();
        json.WriteString("release", reader.Dump.Info.OsRelease);
        json.WriteBoolean("fiveLevelPaging", reader.Dump.Tables.FiveLevel);
        json.WriteString("model", reader.Model.Layout.Describe());
        json.WriteStartObject("inputs");
        foreach (var c in reader.Model.Chosen)
        {
            json.WriteStartObject(c.Name);
            json.WriteString("value", c.Value);
            json.WriteString("source", c.Source);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteBoolean("flagsLayoutFromKconfig", reader.Model.FlagsLayoutKnown);
        json.WriteString("sectionEncoding", memmap.Encoding.Era);
        json.WriteStartArray("presentSections");
        foreach (var s in memmap.PresentSections)
        {
            json.WriteNumberValue(s.Number);
        }

        json.WriteEndArray();
        json.WriteNumber("structPagesRead", stats.Pages);
        json.WriteNumber("missingStructPages", stats.MissingPages);
        json.WriteNumber("impossibleZonePages", stats.ImpossibleZonePages);
        json.WriteNumber("badOrderBuddyPages", stats.BadOrders);
        json.WriteStartArray("zones");
        foreach (var z in stats.Zones)
        {
            json.WriteStartObject();
            json.WriteNumber("node", z.Node);
            json.WriteNumber("zone", z.Zone);
            json.WriteString("name", z.Name);
            if (z.Kernel is { } k)
            {
                json.WriteStartObject("kernel");
                json.WriteNumber("startPfn", k.StartPfn);
                json.WriteNumber("spanned", k.Spanned);
                json.WriteNumber("present", k.Present);
                if (k.NrFreePages is long nr)
                {
                    json.WriteNumber("nrFreePages", nr);
                }

                json.WriteEndObject();
                json.WriteNumber("structPagesInSpan", z.StructPagesInSpan);
            }

            json.WriteNumber("structPages", z.StructPages);
            json.WriteNumber("firstPfn", z.FirstPfn == ulong.MaxValue ? 0 : z.FirstPfn);
            json.WriteNumber("pfnsFirstToLast", z.PfnsFirstToLast);
            json.WriteNumber("freePages", z.FreePages);
            json.WriteStartArray("freeBlocksByOrder");
            for (int o = 0; o < reader.Flags.MaxOrder; o++)
            {
                json.WriteNumberValue(z.FreeBlocks[o]);
            }

            json.WriteEndArray();
            json.WriteNumber("slabs", z.Slabs);
            json.WriteNumber("slabPages", z.SlabPages);
            json.WriteNumber("lruPages", z.LruPages);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("flags");
        for (int bit = 0; bit < 64; bit++)
        {
            if (stats.FlagCounts[bit] > 0)
            {
                json.WriteNumber(reader.Flags.NameOf(bit), stats.FlagCounts[bit]);
            }
        }

        json.WriteEndObject();
        if (pages.Count > 0)
        {
            json.WriteStartArray("pages");
            foreach (var (pfn, p, problem) in pages)
            {
                json.WriteStartObject();
                json.WriteNumber("pfn", pfn);
                json.WriteBoolean("valid", p is not null || reader.Memmap.PfnValid(pfn));
                if (problem is not null)
                {
                    json.WriteString("problem", problem);
                }

                if (p is not null)
                {
                    json.WriteNumber("flags", p.Flags);
                    json.WriteStartArray("flagNames");
                    p.FlagNames.ToList().ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                    WriteNumberOrNull(json, "node", p.Node);
                    WriteNumberOrNull(json, "zone", p.Zone);
                    if (p.ZoneName is null)
                    {
                        json.WriteNull("zoneName");
                    }
                    else
                    {
                        json.WriteString("zoneName", p.ZoneName);
                    }

                    json.WriteBoolean("head", p.IsHead);
                    json.WriteBoolean("tail", p.IsTail);
                    if (p.HeadPfn is ulong head)
                    {
                        json.WriteNumber("headPfn", head);
                    }
                    else
                    {
                        json.WriteNull("headPfn");
                    }

                    json.WriteBoolean("lru", p.IsLru);
                    json.WriteBoolean("slab", p.IsSlab);
                    json.WriteBoolean("buddy", p.IsBuddy);
                    WriteNumberOrNull(json, "buddyOrder", p.BuddyOrder);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("notes");
        foreach (var n in reader.Notes)
        {
            json.WriteStringValue(n);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static IEnumerable<string> Ranges(IEnumerable<ulong> numbers)
    {
        ulong? start = null, last = null;
        foreach (var n in numbers)
        {
            if (last is ulong l && n == l + 1)
            {
                last = n;
                continue;
            }

            if (start is ulong s)
            {
                yield return s == last ? Str(s) : Str(s) + "-" + Str(last!.Value);
            }

            start = last = n;
        }

        if (start is ulong f)
        {
            yield return f == last ? Str(f) : Str(f) + "-" + Str(last!.Value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private static string Str(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Str(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
}
