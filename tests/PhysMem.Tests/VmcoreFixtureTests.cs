using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// Real kernels' dumps against the kernels' own words: each fixture under Fixtures/vmcore holds a
/// QEMU dump of a booted Debian kernel, trimmed to the pages the statistics read (vmcore.gz), with the
/// guest's /proc/zoneinfo and /proc/meminfo printed just before the dump, its .config, and crash's
/// kmem output on the full dump (NOTE.md says how each was made). The numbers compared come from those
/// files, parsed here.
/// </summary>
public sealed class VmcoreFixtureTests
{
    private static readonly string Root = Path.Combine(KconfigFixtureTests.FixtureRoot, "..", "vmcore");
    // Lazy: GetOrAdd may run its factory on two threads at once, and two writers of one file collide.
    private static readonly ConcurrentDictionary<string, Lazy<string>> Decompressed = new();

    public static TheoryData<string> Fixtures => new(Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "vmcore.gz"))).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Free_pages_per_zone_counted_from_buddy_pages_equal_the_guests_nr_free_pages(string fixture) => CheckFreePages(Folder(fixture), Read(fixture));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_kernels_zone_records_read_through_the_page_tables_give_the_guests_spanned_and_present(string fixture) => CheckZoneRecords(Folder(fixture), Read(fixture));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_pfn_of_a_zones_span_has_a_struct_page_naming_that_zone(string fixture) => CheckSpans(Folder(fixture), Read(fixture));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Slab_heads_and_slab_pages_equal_the_slabs_crash_counts_per_cache_with_the_debug_vmlinux(string fixture) => CheckSlabs(Folder(fixture), Read(fixture));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void LRU_pages_equal_the_kernels_LRU_counters_plus_each_CPUs_deltas_not_yet_folded_in(string fixture) => CheckLru(Folder(fixture), Read(fixture));

    /// <summary>Every check of a dump's statistics against the files captured beside it.</summary>
    internal static void CheckAll(string folder, DumpStatistics stats)
    {
        CheckFreePages(folder, stats);
        CheckZoneRecords(folder, stats);
        CheckSpans(folder, stats);
        CheckSlabs(folder, stats);
        CheckLru(folder, stats);
    }

    private static void CheckFreePages(string folder, DumpStatistics stats)
    {
        foreach (var z in ZoneInfo(folder))
        {
            Assert.Equal((z.Node, z.Name, z.NrFree), (z.Node, z.Name, Zone(stats, z.Node, z.Name)?.FreePages ?? 0UL));
        }
    }

    private static void CheckZoneRecords(string folder, DumpStatistics stats)
    {
        foreach (var z in ZoneInfo(folder))
        {
            var k = Zone(stats, z.Node, z.Name)?.Kernel;
            Assert.NotNull(k);
            Assert.Equal((z.Name, z.Spanned, z.Present), (z.Name, k.Value.Spanned, k.Value.Present));
            if (z.StartPfn is ulong start && z.Spanned > 0)
            {
                Assert.Equal(start, k.Value.StartPfn);
            }
        }
    }

    private static void CheckSpans(string folder, DumpStatistics stats)
    {
        foreach (var z in ZoneInfo(folder))
        {
            Assert.Equal((z.Name, z.Spanned), (z.Name, Zone(stats, z.Node, z.Name)?.StructPagesInSpan ?? 0UL));
        }
    }

    // crash-kmem-s.txt: crash's `kmem -s` on the full dump with the -dbg vmlinux, one line per slab cache:
    // CACHE OBJSIZE ALLOCATED TOTAL SLABS SSIZE NAME. Its slabs (SLUB's per-node nr_slabs) are the slab
    // heads in the memmap and slabs x slab size the pages with PG_slab, tails included. (crash.txt's
    // `kmem -i` SLAB is not this on every crash: Debian 12's 8.0.2 counts slabs on 6.1, 8.0.6 prints the
    // kernel's NR_SLAB_*_B counters, which also hold large kmalloc pages that no page flag marks.)
    private static void CheckSlabs(string folder, DumpStatistics stats) =>
        Assert.Equal(KmemS(folder), ((ulong)stats.Zones.Sum(z => (long)z.Slabs), (ulong)stats.Zones.Sum(z => (long)z.SlabPages)));

    /// <summary>The slabs of every cache in <c>crash-kmem-s.txt</c>, and their pages (slabs x slab size).</summary>
    internal static (ulong Slabs, ulong Pages) KmemS(string folder)
    {
        string file = Path.Combine(folder, "crash-kmem-s.txt");
        Assert.True(File.Exists(file), $"{file} is missing: capture with crash installed (capture-vmcore.sh's CRASH; crash-from-debian13.sh makes one for 6.12)");
        ulong slabs = 0, pages = 0;
        int caches = 0;
        foreach (string line in File.ReadLines(file))
        {
            var m = Regex.Match(line, @"^[0-9a-f]{16}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)k\s+\S");
            if (m.Success)
            {
                ulong n = ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                slabs += n;
                pages += n * ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 1024 / 4096;
                caches++;
            }
        }

        Assert.True(caches > 100, $"{file}: {caches} slab caches read; is it crash's kmem -s?");
        return (slabs, pages);
    }

    // counters.txt (kernel-counters.py on the full dump with the -dbg vmlinux): the kernel's global
    // vm_node_stat LRU counters, and each CPU's vm_node_stat_diff not yet added to them (mm/vmstat.c
    // folds a CPU's delta only past stat_threshold or on the next vmstat_update). PG_lru marks a folio
    // the moment it joins or leaves a list, so the pages equal the globals plus the pending deltas.
    private static void CheckLru(string folder, DumpStatistics stats)
    {
        string[] lists = { "NR_INACTIVE_ANON", "NR_ACTIVE_ANON", "NR_INACTIVE_FILE", "NR_ACTIVE_FILE", "NR_UNEVICTABLE" };
        long global = 0, pending = 0;
        foreach (string line in File.ReadLines(Path.Combine(folder, "counters.txt")))
        {
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 3 && p[0] == "vm_node_stat" && lists.Contains(p[1]))
            {
                global += long.Parse(p[2], CultureInfo.InvariantCulture);
            }
            else if (p.Length == 5 && p[0] == "vm_node_stat_diff" && lists.Contains(p[3]))
            {
                pending += long.Parse(p[4], CultureInfo.InvariantCulture);
            }
        }

        Assert.True(global > 0, folder + "/counters.txt has no vm_node_stat LRU lines");
        Assert.True(File.ReadLines(Path.Combine(folder, "counters.txt")).Any(l => l.StartsWith("vm_node_stat_diff ", StringComparison.Ordinal)),
            folder + "/counters.txt has no vm_node_stat_diff lines (written before kernel-counters.py printed them): run kernel-counters.py on the dump again");
        Assert.Equal(global + pending, stats.Zones.Sum(z => (long)z.LruPages));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_model_comes_from_the_dump_MaxPhysmemBits_52_with_5_level_paging_and_46_without(string fixture)
    {
        using var reader = VmcoreReader.Open(Dump(fixture), Kconfig(fixture));
        Assert.Equal(reader.Dump.Tables.FiveLevel ? 52 : 46, reader.Model.Layout.Spec.MaxPhysmemBits);
        Assert.Equal(fixture.Contains("5level", StringComparison.Ordinal), reader.Dump.Tables.FiveLevel);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, fixture, "kernel")).Trim(), reader.Dump.Info.OsRelease);
        Assert.True(reader.Model.Layout.IsVmemmap && reader.Model.Layout.IsExtreme);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Struct_pages_are_served_as_the_dumps_bytes_and_pfn_valid_ends_with_the_memory(string fixture)
    {
        using var reader = VmcoreReader.Open(Dump(fixture), Kconfig(fixture));
        var memmap = reader.Memmap;

        // zoneinfo's last zone end is the top of memory; its section is the last with a memmap.
        ulong top = ZoneInfo(Folder(fixture)).Where(z => z.StartPfn.HasValue && z.Spanned > 0).Max(z => z.StartPfn!.Value + z.Spanned);
        ulong lastSectionEnd = ((top - 1) / memmap.PagesPerSection + 1) * memmap.PagesPerSection;
        Assert.True(memmap.PfnValid(top - 1));
        Assert.False(memmap.PfnValid(lastSectionEnd));
        Assert.Equal((int)reader.Dump.Info.Size("page")!.Value, memmap.PfnToPage(top - 1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => memmap.PfnToPage(lastSectionEnd));
        Assert.Equal(lastSectionEnd, (ulong)memmap.ValidPfns().LongCount());
    }

    [Fact]
    public void The_dump_is_opened_for_reading_only_a_read_only_file_opens_and_stays_unchanged()
    {
        string fixture = FirstFixture();
        string copy = Path.GetTempFileName();
        try
        {
            File.Copy(Dump(fixture), copy, overwrite: true);
            byte[] before = File.ReadAllBytes(copy);
            File.SetAttributes(copy, FileAttributes.ReadOnly);
            using (var reader = VmcoreReader.Open(copy, Kconfig(fixture)))
            {
                reader.Statistics();
            }

            Assert.Equal(before, File.ReadAllBytes(copy));
        }
        finally
        {
            File.SetAttributes(copy, FileAttributes.Normal);
            File.Delete(copy);
        }
    }

    [Fact]
    public void Without_a_kconfig_zones_follow_the_address_limits_and_the_report_says_so()
    {
        string fixture = FirstFixture();
        using var reader = VmcoreReader.Open(Dump(fixture), null);
        var stats = reader.Statistics();
        Assert.False(reader.Model.FlagsLayoutKnown);
        Assert.Contains(reader.Notes, n => n.Contains("no kernel configuration", StringComparison.Ordinal));

        // Below 16 MiB is DMA by the rule: 4096 pfns from 0.
        Assert.Equal(4096UL, Zone(stats, 0, "DMA")!.StructPages);
    }

    internal static string Dump(string fixture) => Decompressed.GetOrAdd(fixture, f => new Lazy<string>(() => Decompress(f))).Value;

    private static string Decompress(string f)
    {
        string path = Path.Combine(Path.GetTempPath(), "physmem-vmcore-" + f + "-" + Environment.ProcessId + ".core");
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(Root, f, "vmcore.gz")), CompressionMode.Decompress))
        using (var to = File.Create(path))
        {
            gz.CopyTo(to);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }

    internal static string Folder(string fixture) => Path.Combine(Root, fixture);

    internal static KconfigResult Kconfig(string fixture) => KconfigReader.Read(File.ReadAllText(Path.Combine(Root, fixture, "config")), "config");

    // Through the public type, as a user reads a dump.
    private static DumpStatistics Read(string fixture)
    {
        using var dump = KernelDump.Open(Dump(fixture), Path.Combine(Root, fixture, "config"));
        return dump.ComputeStatistics();
    }

    internal static string FirstFixture() => Path.GetFileName(Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "vmcore.gz"))).Order(StringComparer.Ordinal).First());

    internal static DumpZoneStatistics? Zone(DumpStatistics stats, int node, string name) => stats.Zones.FirstOrDefault(z => z.Node == node && z.Name == name);

    internal sealed record ZoneLine(int Node, string Name, ulong Spanned, ulong Present, ulong NrFree, ulong? StartPfn);

    // /proc/zoneinfo: "Node 0, zone   DMA32" opens a zone; "spanned", "present", "nr_free_pages" and
    // "start_pfn:" lines inside it give the numbers.
    internal static List<ZoneLine> ZoneInfo(string folder)
    {
        var zones = new List<ZoneLine>();
        ZoneLine? current = null;
        foreach (string raw in File.ReadLines(Path.Combine(folder, "zoneinfo")))
        {
            string line = raw.Trim();
            var head = Regex.Match(line, @"^Node (\d+), zone\s+(\S+)");
            if (head.Success)
            {
                if (current is not null)
                {
                    zones.Add(current);
                }

                current = new ZoneLine(int.Parse(head.Groups[1].Value, CultureInfo.InvariantCulture), head.Groups[2].Value, 0, 0, 0, null);
                continue;
            }

            if (current is null)
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                current = parts[0] switch
                {
                    "spanned" => current with { Spanned = value },
                    "present" => current with { Present = value },
                    "nr_free_pages" => current with { NrFree = value },
                    "start_pfn:" => current with { StartPfn = value },
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
}
