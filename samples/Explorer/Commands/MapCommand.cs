using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using PhysMem.Explorer.Output;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem map</c>: reads a memory map (<c>/proc/iomem</c> text), gives its memory to nodes, and
/// prints what the kernel would report about it — present sections, memory blocks, each node's
/// zones — and what each memory model would spend on memmap and section tables for it.
/// </summary>
internal static class MapCommand
{
    /// <summary>Creates the <c>map</c> command.</summary>
    public static Command Create()
    {
        var iomem = new Option<FileInfo>("--iomem") { Description = "The memory map: /proc/iomem text ('System RAM' lines are the memory; a '# numa: SPEC' line gives the nodes, as --numa does). The format of MemoryMapFile.", HelpName = "FILE", Required = true };
        var arch = CliOptions.Arch();
        var zoneDmaBits = new Option<int?>("--zone-dma-bits") { Description = "arm64: the width the firmware's DMA ranges restrict ZONE_DMA to (30 on a Raspberry Pi 4). Default: nothing restricts it, so ZONE_DMA reaches 4 GiB as on QEMU's virt board.", HelpName = "BITS" };
        var numa = new Option<string?>("--numa") { Description = "Node of each address: node:start-end items, end inclusive (0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff), or the kernel's own 'Early memory node ranges' lines pasted as they are. Default: all on node 0.", HelpName = "SPEC" };
        var sysfs = new Option<DirectoryInfo?>("--sysfs-memory")
        {
            Description = "Take the nodes from a sysfs memory directory (memoryN/nodeK links, or a captured copy's memory_blocks list), e.g. /sys/devices/system/memory, "
                + "and say whether the kernel's blocks and zones there agree with the computed ones: exit 1 when they do not.",
            HelpName = "DIR",
        };
        var zoneinfo = new Option<FileInfo?>("--zoneinfo") { Description = "With --sysfs-memory: the kernel's zoneinfo to compare the zones with. Default: DIR/zoneinfo, or /proc/zoneinfo for /sys/devices/system/memory.", HelpName = "FILE" };
        var blockSize = CliOptions.BigNumber("--block-size", "Memory block size in bytes (default: the section size).");
        var json = CliOptions.Flag("--json", "Print the report as JSON.");
        var maxMemmap = new Option<ulong?>("--max-memmap")
        {
            Description = "Refuse a map whose memmap for this model would exceed SIZE (bytes, or with a K, M, G or T suffix for KiB...TiB; 'none' for no limit). Default: 4G, as the storages'.",
            HelpName = "SIZE",
            CustomParser = ParseSize,
        };
        var command = new Command("map", "Show what the kernel reports for a memory map: present sections, memory blocks, per-node zones, and the memmap and section-table bytes of every model.")
        {
            iomem, arch, numa, sysfs, zoneinfo, blockSize, zoneDmaBits, json, maxMemmap,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var options = new LayoutOptions();
                ArchPresets.TryApply(parse.GetValue(arch) ?? Arch.X86_64, options, out _);
                var result = MemoryLayout.Compute(options.Resolve(new List<LayoutDiagnostic>()));
                if (result.Layout is not { IsSparse: true } layout)
                {
                    error.WriteLine("error: the preset's layout is not SPARSEMEM, so it has no sections to report.");
                    return ExplorerApp.ExitRefused;
                }

                var file = parse.GetValue(iomem)!;
                string iomemText = InputFiles.ReadText(file, "--iomem");
                var map = MemoryMap.ParseIomem(iomemText);
                if (parse.GetValue(numa) is { } spec)
                {
                    map = map.WithNodes(spec);
                }

                var mapBeforeSysfs = map;
                if (parse.GetValue(sysfs) is { } dir)
                {
                    map = map.WithNodesFromSysfs(dir.FullName);
                }

                map.CheckFits(layout);

                // What building this model here would cost, refused over the limit as the storage would.
                var cost = StorageCost.For(layout, map);
                var limits = StorageLimits.None with { MaxMemmapBytes = parse.IsGiven(maxMemmap) ? parse.GetValue(maxMemmap) : StorageLimits.DefaultMaxMemmapBytes };
                try
                {
                    limits.Check(cost);
                }
                catch (StorageLimitException e)
                {
                    error.WriteLine("error: " + e.Message + " Here the limit is --max-memmap SIZE (or none).");
                    return ExplorerApp.ExitRefused;
                }

                var zoneRule = ZoneRule.ForArch(parse.GetValue(arch) ?? Arch.X86_64, layout, map, parse.GetValue(zoneDmaBits));
                ulong blockBytes = parse.GetValue(blockSize) ?? (1UL << layout.SectionSizeBits);
                var (selfHosted, problem) = SelfHostedReport.Build(layout, map, iomemText, blockBytes);
                var report = Build(layout, map, blockBytes, zoneRule) with { Cost = cost, SelfHosted = selfHosted, MemmapOnMemoryProblem = problem };
                if (parse.GetValue(sysfs) is { } kernelDir)
                {
                    report = report with
                    {
                        Agreement = SysfsAgreement.Compare(
                            layout, mapBeforeSysfs, parse.GetValue(numa) is not null, kernelDir.FullName, parse.GetValue(zoneinfo)?.FullName,
                            m => ZoneRule.ForArch(parse.GetValue(arch) ?? Arch.X86_64, layout, m, parse.GetValue(zoneDmaBits))),
                    };
                }

                if (parse.GetValue(json))
                {
                    output.WriteLine(ToJson(report));
                }
                else
                {
                    WriteText(output, layout, report);
                }

                return report.Agreement is { Agrees: false } ? ExplorerApp.ExitDisagrees : ExplorerApp.ExitOk;
            }
            catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
            {
                error.WriteLine("error: " + e.Message);
                return ExplorerApp.ExitRefused;
            }
        });
        return command;
    }

    private sealed record Report(
        List<ulong> PresentSections,
        IReadOnlyList<MemoryBlock> Blocks,
        ulong BlockSize,
        IReadOnlyList<ZoneSpan> Zones,
        SortedDictionary<string, ulong> MemmapBytes,
        SortedDictionary<string, ulong> SectionTableBytes)
    {
        public StorageCost? Cost { get; init; }

        public List<SelfHostedReport.Row> SelfHosted { get; init; } = new();

        public string? MemmapOnMemoryProblem { get; init; }

        public SysfsAgreement.Result? Agreement { get; init; }
    }

    private static Report Build(MemoryLayout layout, MemoryMap map, ulong blockSize, ZoneRule zoneRule)
    {
        var runs = map.Pfns(layout.PageShift);
        var sections = new SortedSet<ulong>();
        var nodes = new SortedDictionary<int, (ulong Start, ulong End)>();
        foreach (var run in runs)
        {
            if (run.Start >= layout.MaxPfn)
            {
                continue;
            }

            for (ulong nr = run.Start >> layout.PfnSectionShift; nr <= (Math.Min(run.End, layout.MaxPfn) - 1) >> layout.PfnSectionShift; nr++)
            {
                sections.Add(nr);
            }

            nodes[run.Node] = nodes.TryGetValue(run.Node, out var s) ? (Math.Min(s.Start, run.Start), Math.Max(s.End, run.End)) : (run.Start, run.End);
        }

        ulong page = (ulong)layout.StructPageSize;
        ulong discontig = 0;
        foreach (var span in nodes.Values)
        {
            discontig += (span.End - span.Start) * page;
        }

        var roots = new SortedSet<ulong>();
        foreach (ulong nr in sections)
        {
            roots.Add(nr / layout.SectionsPerRoot);
        }

        // The EXTREME table: the root-pointer array, plus one root (SECTIONS_PER_ROOT entries) per root in use.
        var extremeLayout = MemoryLayout.Create(layout.Spec with { Extreme = true });
        var staticLayout = MemoryLayout.Create(layout.Spec with { Extreme = false });
        var extremeRoots = new SortedSet<ulong>();
        foreach (ulong nr in sections)
        {
            extremeRoots.Add(nr / extremeLayout.SectionsPerRoot);
        }

        ulong pointer = (ulong)layout.BitsPerLong / 8;
        ulong sectionMemmap = (ulong)sections.Count * layout.PagesPerSection * page;
        return new Report(
            new List<ulong>(sections),
            MemoryReport.Blocks(map, blockSize),
            blockSize,
            MemoryReport.ZoneSpans(layout, map, zoneRule),
            new SortedDictionary<string, ulong>(StringComparer.Ordinal)
            {
                ["flatmem"] = (runs.Count == 0 ? 0 : runs[^1].End) * page,
                ["discontigmem"] = discontig,
                ["sparsemem"] = sectionMemmap,
                ["sparsememVmemmap"] = sectionMemmap,
            },
            new SortedDictionary<string, ulong>(StringComparer.Ordinal)
            {
                ["static"] = staticLayout.NrMemSections * (ulong)staticLayout.MemSectionSize,
                ["extreme"] = (extremeLayout.NrSectionRoots * pointer) + ((ulong)extremeRoots.Count * extremeLayout.SectionsPerRoot * (ulong)extremeLayout.MemSectionSize),
            });
    }

    private static void WriteText(TextWriter w, MemoryLayout layout, Report r)
    {
        w.WriteLine($"{layout.Describe()}, PAGE_SHIFT {layout.PageShift}, SECTION_SIZE_BITS {layout.SectionSizeBits}, MAX_PHYSMEM_BITS {layout.MaxPhysmemBits}");
        w.WriteLine();
        w.WriteLine($"Present sections: {r.PresentSections.Count}  {Runs(r.PresentSections)}");
        w.WriteLine();
        w.WriteLine($"Memory blocks of {Human(r.BlockSize)}: {r.Blocks.Count}");
        var blocks = new TextTable(header: true);
        blocks.Add("node", "blocks");
        var byNode = new SortedDictionary<int, List<ulong>>();
        foreach (var b in r.Blocks)
        {
            if (!byNode.TryGetValue(b.Node, out var list))
            {
                byNode[b.Node] = list = new List<ulong>();
            }

            list.Add(b.Index);
        }

        foreach (var (node, list) in byNode)
        {
            blocks.Add(Decimal(node), Runs(list));
        }

        blocks.Write(w);
        w.WriteLine();
        w.WriteLine("Zones (as /proc/zoneinfo):");
        var zones = new TextTable(header: true);
        zones.Add("node", "zone", "start_pfn", "spanned", "present");
        foreach (var z in r.Zones)
        {
            zones.Add(Decimal(z.Node), z.Zone, Decimal((long)z.StartPfn), Decimal((long)z.Spanned), Decimal((long)z.Present));
        }

        zones.Write(w);
        w.WriteLine();
        w.WriteLine("memmap each model would need for this map:");
        var memmap = new TextTable();
        foreach (var (model, bytes) in r.MemmapBytes)
        {
            memmap.Add(model, Bytes(bytes));
        }

        memmap.Write(w);
        w.WriteLine("section table:");
        var tables = new TextTable();
        foreach (var (kind, bytes) in r.SectionTableBytes)
        {
            tables.Add(kind, Bytes(bytes));
        }

        tables.Write(w);
        SelfHostedReport.Write(w, r.SelfHosted, r.MemmapOnMemoryProblem);
        if (r.Cost is { } cost)
        {
            w.WriteLine();
            w.WriteLine($"To build this model here ({cost.What}):");
            var costs = new TextTable();
            costs.Add("memmap", Bytes(cost.MemmapBytes), cost.MemmapFormula);
            costs.Add("tables", Bytes(cost.TableBytes + cost.UsageBytes), cost.TableFormula);
            costs.Add("reserved", Bytes(cost.ReservedBytes), cost.ReservedFormula);
            costs.Write(w);
        }

        if (r.Agreement is { } agreement)
        {
            SysfsAgreement.Write(w, agreement);
        }
    }

    private static string ToJson(Report r)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteStartArray("presentSections");
            foreach (ulong nr in r.PresentSections)
            {
                j.WriteNumberValue(nr);
            }

            j.WriteEndArray();
            j.WriteStartArray("memoryBlocks");
            foreach (var b in r.Blocks)
            {
                j.WriteStartObject();
                j.WriteNumber("index", b.Index);
                j.WriteNumber("node", b.Node);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("zones");
            foreach (var z in r.Zones)
            {
                j.WriteStartObject();
                j.WriteNumber("node", z.Node);
                j.WriteString("zone", z.Zone);
                j.WriteNumber("startPfn", z.StartPfn);
                j.WriteNumber("spanned", z.Spanned);
                j.WriteNumber("present", z.Present);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            WriteMap(j, "memmapBytes", r.MemmapBytes);
            WriteMap(j, "sectionTableBytes", r.SectionTableBytes);
            SelfHostedReport.WriteJson(j, r.SelfHosted, r.MemmapOnMemoryProblem);
            if (r.Cost is { } cost)
            {
                j.WriteStartObject("cost");
                j.WriteString("storage", cost.What);
                j.WriteNumber("memmapBytes", cost.MemmapBytes);
                j.WriteNumber("tableBytes", cost.TableBytes);
                j.WriteNumber("usageBytes", cost.UsageBytes);
                j.WriteNumber("reservedBytes", cost.ReservedBytes);
                j.WriteEndObject();
            }

            if (r.Agreement is { } agreement)
            {
                SysfsAgreement.WriteJson(j, agreement);
            }

            j.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteMap(Utf8JsonWriter j, string name, SortedDictionary<string, ulong> values)
    {
        j.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            j.WriteNumber(key, value);
        }

        j.WriteEndObject();
    }

    // SIZE: bytes (decimal or 0x hexadecimal), or with K, M, G, T (KiB...TiB, an optional "iB" or "B"),
    // or "none": ulong.MaxValue, which no cost can exceed (a null would not survive the parser).
    private static ulong? ParseSize(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.MaxValue;
        }

        string digits = text;
        int shift = 0;
        foreach (var (suffix, bits) in new[] { ("T", 40), ("G", 30), ("M", 20), ("K", 10) })
        {
            foreach (string form in new[] { suffix + "iB", suffix + "B", suffix })
            {
                if (shift == 0 && digits.EndsWith(form, StringComparison.OrdinalIgnoreCase))
                {
                    digits = digits[..^form.Length];
                    shift = bits;
                }
            }
        }

        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if ((hex ? ulong.TryParse(digits.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out ulong value)
                 : ulong.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value))
            && value <= ulong.MaxValue >> shift)
        {
            return value << shift;
        }

        result.AddError($"--max-memmap expects a size in bytes, optionally with K, M, G or T (e.g. 4G, 512M, 0x100000000), or 'none', not '{text}'.");
        return null;
    }

    private static string Runs(IReadOnlyList<ulong> numbers)
    {
        var parts = new List<string>();
        for (int i = 0; i < numbers.Count;)
        {
            int k = i;
            while (k + 1 < numbers.Count && numbers[k + 1] == numbers[k] + 1)
            {
                k++;
            }

            parts.Add(i == k ? Decimal((long)numbers[i]) : Decimal((long)numbers[i]) + "-" + Decimal((long)numbers[k]));
            i = k + 1;
        }

        return string.Join(", ", parts);
    }
}
