using System.Collections.Generic;
using System.Linq;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;
using PhysMem.Benchmarks.Startup;
using Xunit;

namespace PhysMem.Benchmarks.Tests;

/// <summary>
/// The pieces of the start-up and walk benchmarks that decide what a table says: the PC maps, the
/// zone/node count over a memmap, and the median, spread and verdict over rounds.
/// </summary>
[Collection(ConsoleCapture.Collection)]
public unsafe class StartupTests
{
    private const ulong GiB = 1UL << 30;

    [Fact]
    public void A_pc_map_holds_its_size_less_the_legacy_holes_on_two_nodes()
    {
        var map = PcMemory.Map(64);

        var pfns = map.Pfns(12);

        ulong low = (0x9_fc00 / 4096) - 1 + ((3 * GiB) - 0x10_0000) / 4096;
        ulong high = 61 * GiB / 4096;
        Assert.Equal(low + high, pfns.Aggregate(0UL, (sum, r) => sum + (r.End - r.Start)));
        // Node 1 is the upper half of the 61 GiB above 4 GiB: from 34.5 GiB to 65 GiB.
        Assert.Equal((69UL * GiB / 2) / 4096, pfns.Where(r => r.Node == 0).Max(r => r.End));
        Assert.Equal((61UL * GiB / 2) / 4096, pfns.Where(r => r.Node == 1).Aggregate(0UL, (sum, r) => sum + (r.End - r.Start)));
    }

    [Fact]
    public void The_walk_counts_every_struct_page_of_the_present_sections_on_its_node()
    {
        using var model = new VmemmapModel(PcMemory.Map(4));
        var layout = VmemmapModel.Layout;
        int zones = (int)layout.ZonesMask + 1;
        ulong[] counts = new ulong[((int)layout.NodesMask + 1) * zones];

        fixed (ulong* cells = counts)
        {
            var counter = new ZoneNodeCounter<GeneratedVmemmap>(default, cells, zones);
            MemmapWalks.Memmap(model.Storage, ref counter);
        }

        // 3 GiB below the PCI hole and 1 GiB above 4 GiB: 32 sections of 32768 pages; node 1 is
        // the upper half of the memory above 4 GiB, 512 MiB.
        Assert.Equal(32UL * 32768, counts.Aggregate(0UL, (a, b) => a + b));
        Assert.Equal(512UL << 20 >> 12, counts.Skip(zones).Take(zones).Aggregate(0UL, (a, b) => a + b));
    }

    [Fact]
    public void A_ratio_is_reported_as_its_median_and_spread_and_met_only_in_every_round()
    {
        double[] ratios = [1.30, 1.10, 1.20];

        Assert.Equal(1.20, Rounds.Median(ratios));
        Assert.Equal("1.20 (1.10-1.30)", Rounds.Spread(ratios, "F2"));
        Assert.Equal("missed in 1/3", Rounds.Verdict(ratios, 1.25));
        Assert.Equal("met", Rounds.Verdict(ratios, 1.30));
    }

    [Theory]
    [InlineData("startup", "--help")]
    [InlineData("startup", "--size", "64")]
    [InlineData("startup", "--rounds")]
    [InlineData("walk", "--sizes", "64")]
    [InlineData("dump-statistics", "--round", "3")]
    [InlineData("startup", "--rounds", "0")]
    [InlineData("startup", "--sizes", "4,,64")]
    [InlineData("walk", "--rounds", "three")]
    [InlineData("walk", "--size", "64,256")]
    [InlineData("dump-statistics", "--passes", "-1")]
    [InlineData("dump-statistics", "--rounds", "99999999999")]
    [InlineData("paired", "--native", "out", "--runs", "0")]
    [InlineData("paired", "--native", "out", "--rounds", "three")]
    [InlineData("paired", "--native", "out", "--job", "Fast")]
    [InlineData("paired", "--native")]
    public void A_misspelt_or_valueless_option_is_refused_before_anything_runs(string command, params string[] args)
    {
        var (code, error) = ConsoleCapture.Run(stdout: false, () => command switch
        {
            "startup" => StartupCommand.Run(args),
            "walk" => WalkCommand.Run(args),
            "paired" => PhysMem.Benchmarks.Native.PairedCommand.Run(args),
            _ => VmcoreStatisticsCommand.Run(args),
        });

        Assert.Equal(2, code);
        Assert.Contains("usage: " + command, error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_startup_command_names_the_models_when_none_matches_and_builds_nothing()
    {
        var (code, error) = ConsoleCapture.Run(stdout: false, () => StartupCommand.Run(new[] { "--model", "SPARSEMEM" }));

        Assert.Equal(2, code);
        Assert.Contains("no model's name contains \"SPARSEMEM\"", error, System.StringComparison.Ordinal);
        Assert.Contains("classic EXTREME deferred", error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_startup_command_warms_up_and_lists_every_round_beside_the_median_and_spread()
    {
        // VMEMMAP and VMEMMAP deferred, at 4 GiB, where both nodes defer sections.
        var (code, text) = ConsoleCapture.Run(stdout: true, () => StartupCommand.Run(new[] { "--sizes", "4", "--rounds", "2", "--model", "VMEMMAP" }));

        Assert.Equal(0, code);
        Assert.Matches(@"# warm-up: one build of each model at each size and \d+ at 4 GiB in \d+ ms, then \d+ ms ", text);

        // The build table's rows (build + dispose) and the deferred table's (time-to-usable): the
        // spread's ends are the smallest and largest of the two rounds listed in the last column.
        // Each row has as many cells as its table's header.
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var rows = lines.Where(l => l.StartsWith("| VMEMMAP", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        foreach (string row in rows)
        {
            string header = lines.Take(System.Array.IndexOf(lines, row)).Last(l => l.StartsWith("| variant |", System.StringComparison.Ordinal) || l.StartsWith("| deferred init |", System.StringComparison.Ordinal));
            Assert.Equal(header.Count(c => c == '|'), row.Count(c => c == '|'));
            string[] cells = row.Split('|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
            var spread = System.Text.RegularExpressions.Regex.Match(cells[1], @"^[0-9.]+ \(([0-9.]+)-([0-9.]+)\)$");
            Assert.True(spread.Success, row);
            double[] rounds = cells[^1].Split(" / ").Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, rounds.Length);
            Assert.Equal(rounds.Min(), double.Parse(spread.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(rounds.Max(), double.Parse(spread.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void The_walk_command_counts_every_struct_page_of_each_model()
    {
        // Without --native (the C loop as a shared library, which run.sh builds): the C# side alone.
        var (code, text) = ConsoleCapture.Run(stdout: true, () => WalkCommand.Run(new[] { "--size", "4", "--rounds", "1" }));

        Assert.Equal(0, code);
        // 32 sections of 32768 pages are present on the 4 GiB PC map; FLATMEM's memmap also covers
        // the 3-4 GiB hole (8 sections more) and DISCONTIGMEM's node spans skip the first page and the
        // 639 KiB-1 MiB hole (1 + 97 pages, as the kernel's zoneinfo counts them).
        Assert.Contains("| FLATMEM | 1310720 |", text, System.StringComparison.Ordinal);
        foreach (string name in new[] { "classic STATIC", "classic EXTREME", "VMEMMAP" })
        {
            Assert.Contains($"| {name} | 1048576 |", text, System.StringComparison.Ordinal);
        }

        Assert.Contains("| DISCONTIGMEM | 1048478 |", text, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_walk_command_names_a_library_it_cannot_use_without_a_stack_trace()
    {
        string missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), System.Guid.NewGuid().ToString("N") + ".so");
        string notLibrary = System.IO.Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(notLibrary, "not an ELF file");
            // The runtime's own native library: a shared library, but without the C walk's functions.
            string runtimeNative = System.IO.Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
            var cases = new List<(string Path, string Says)> { (missing, "no file"), (notLibrary, "is not a shared library") };
            if (System.IO.File.Exists(runtimeNative))
            {
                cases.Add((runtimeNative, "has no function physmem_walk_map"));
            }

            foreach (var (path, says) in cases)
            {
                var (code, error) = ConsoleCapture.Run(stdout: false, () => WalkCommand.Run(new[] { "--native", path, "--size", "4", "--rounds", "1" }));

                Assert.Equal(1, code);
                Assert.StartsWith("walk: ", error, System.StringComparison.Ordinal);
                Assert.Contains(says, error, System.StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", error, System.StringComparison.Ordinal);
            }
        }
        finally
        {
            System.IO.File.Delete(notLibrary);
        }
    }

    [Fact]
    public void The_dump_statistics_command_interleaves_the_three_passes_over_a_real_dump_and_gives_a_verdict()
    {
        // The trimmed 6.1 fixture unless PHYSMEM_VMCORE names a dump: its memmap is the full dump's.
        var (code, text) = ConsoleCapture.Run(stdout: true, () => VmcoreStatisticsCommand.Run(new[] { "--rounds", "2", "--passes", "3" }));

        Assert.Equal(0, code);
        Assert.Contains("# dump-statistics: 262144 struct pages, 2 rounds of 3 interleaved passes each", text, System.StringComparison.Ordinal);
        Assert.Equal(2, text.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| [12] \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$")));
        Assert.Matches(@"Statistics / read: [0-9.]+ \([0-9.]+-[0-9.]+\), within 2x: (met|missed in [12]/2)", text);
    }

    [Fact]
    public void The_dump_statistics_command_names_a_dump_it_cannot_open_without_a_stack_trace()
    {
        string missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), System.Guid.NewGuid().ToString("N") + ".vmcore");
        var (code, error) = ConsoleCapture.Run(stdout: false, () => VmcoreStatisticsCommand.Run(new[] { "--dump", missing }));

        Assert.Equal(1, code);
        Assert.StartsWith("dump-statistics: ", error, System.StringComparison.Ordinal);
        Assert.Contains(System.IO.Path.GetFileName(missing), error, System.StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, System.StringComparison.Ordinal);
    }
}
