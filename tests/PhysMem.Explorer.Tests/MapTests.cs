using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// <c>physmem map</c> against what real kernels reported about themselves: a machine captured into
/// tests/PhysMem.Tests/Fixtures (every one of them), and the machine the tests run on when its files can be read.
/// </summary>
public class MapTests
{
    /// <summary>Every machine captured under tests/PhysMem.Tests/Fixtures (a directory with an iomem file).</summary>
    public static IEnumerable<object[]> Machines() =>
        Directory.GetDirectories(FixtureRoot()).Where(d => File.Exists(Path.Combine(d, "iomem"))).Select(d => new object[] { Path.GetFileName(d) });

    [Theory]
    [MemberData(nameof(Machines))]
    public void Reproduces_a_captured_machine(string machine)
    {
        string dir = Path.Combine(FixtureRoot(), machine);
        var blocks = File.ReadAllLines(Path.Combine(dir, "memory_blocks")).Where(l => l.Length > 0)
            .Select(l => l.Split(' ')).Select(p => (ulong.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();

        // The nodes come the way they come on a live machine: from memoryN/nodeK links, here in a
        // directory laid out like /sys/devices/system/memory from the captured list.
        string sysfs = Directory.CreateTempSubdirectory("physmem-sysfs-").FullName;
        try
        {
            File.Copy(Path.Combine(dir, "block_size_bytes"), Path.Combine(sysfs, "block_size_bytes"));
            foreach (var (index, node) in blocks)
            {
                Directory.CreateDirectory(Path.Combine(sysfs, "memory" + index.ToString(CultureInfo.InvariantCulture), "node" + node.ToString(CultureInfo.InvariantCulture)));
            }

            ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(dir, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var json = Parse(Cli.Ok("map", "--iomem", Path.Combine(dir, "iomem"), "--arch", ArchOf(dir), "--sysfs-memory", sysfs,
                "--block-size", blockSize.ToString(CultureInfo.InvariantCulture), "--json").Out);
            Assert.Equal(blocks, Blocks(json));
            var zones = MemoryReport.ParseZoneinfo(File.ReadAllText(Path.Combine(dir, "zoneinfo"))).Where(z => z.Spanned != 0).ToList();
            Assert.NotEmpty(zones);
            Assert.Equal(zones, Zones(json));
        }
        finally
        {
            Directory.Delete(sysfs, recursive: true);
        }
    }

    /// <summary>The kernel's own "Early memory node ranges" lines, pasted into --numa as they are, give its zones and blocks.</summary>
    [Theory]
    [MemberData(nameof(Machines))]
    public void The_kernels_node_ranges_as_NUMA_reproduce_a_captured_machine(string machine)
    {
        string dir = Path.Combine(FixtureRoot(), machine);
        if (!File.Exists(Path.Combine(dir, "dmesg-memory")))
        {
            return; // Captured before the boot log was kept.
        }

        string ranges = string.Join("\n", File.ReadAllLines(Path.Combine(dir, "dmesg-memory")).Where(l => l.TrimStart().StartsWith("node ", StringComparison.Ordinal)));
        ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(dir, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var json = Parse(Cli.Ok("map", "--iomem", Path.Combine(dir, "iomem"), "--arch", ArchOf(dir), "--numa", ranges,
            "--block-size", blockSize.ToString(CultureInfo.InvariantCulture), "--json").Out);
        var blocks = File.ReadAllLines(Path.Combine(dir, "memory_blocks")).Where(l => l.Length > 0)
            .Select(l => l.Split(' ')).Select(p => (ulong.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(blocks, Blocks(json));
        Assert.Equal(MemoryReport.ParseZoneinfo(File.ReadAllText(Path.Combine(dir, "zoneinfo"))).Where(z => z.Spanned != 0), Zones(json));
    }

    [Fact]
    public void Arm64_ZONE_DMA_follows_the_firmwares_DMA_width()
    {
        // 8 GiB from 0, as on a Raspberry Pi 4: unrestricted, ZONE_DMA reaches 4 GiB; with 30-bit
        // dma-ranges it ends at 1 GiB and ZONE_DMA32 takes the rest below 4 GiB.
        string iomem = Path.GetTempFileName();
        try
        {
            File.WriteAllText(iomem, "00000000-1ffffffff : System RAM\n");
            var open = Zones(Parse(Cli.Ok("map", "--iomem", iomem, "--arch", "Arm64_4K", "--json").Out));
            Assert.Equal(new[] { new ZoneSpan(0, "DMA", 0, 0x100000, 0x100000), new ZoneSpan(0, "Normal", 0x100000, 0x100000, 0x100000) }, open);
            var narrow = Zones(Parse(Cli.Ok("map", "--iomem", iomem, "--arch", "Arm64_4K", "--zone-dma-bits", "30", "--json").Out));
            Assert.Equal(new[] { "DMA", "DMA32", "Normal" }, narrow.Select(z => z.Zone));
            Assert.Equal(0x40000UL, narrow[0].Spanned);
        }
        finally
        {
            File.Delete(iomem);
        }
    }

    [Fact]
    public void Memmap_and_table_bytes_of_the_captured_machine()
    {
        string dir = Fixture("x86_64-kvm-24g");
        var json = Parse(Cli.Ok("map", "--iomem", Path.Combine(dir, "iomem"), "--arch", "X86_64", "--json").Out);
        var blocks = File.ReadAllLines(Path.Combine(dir, "memory_blocks")).Where(l => l.Length > 0).Select(l => ulong.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture));
        Assert.Equal(blocks, json.GetProperty("presentSections").EnumerateArray().Select(e => e.GetUInt64()));

        // 192 sections of 32768 pages of 64 bytes; the EXTREME table is 2048 root pointers plus one 4 KiB root.
        Assert.Equal(192UL * 32768 * 64, json.GetProperty("memmapBytes").GetProperty("sparsememVmemmap").GetUInt64());
        Assert.Equal(0x640000UL * 64, json.GetProperty("memmapBytes").GetProperty("flatmem").GetUInt64());
        Assert.Equal((2048UL * 8) + 4096, json.GetProperty("sectionTableBytes").GetProperty("extreme").GetUInt64());
        Assert.Equal(524288UL * 16, json.GetProperty("sectionTableBytes").GetProperty("static").GetUInt64());
    }

    [Fact]
    public void Reproduces_this_machine()
    {
        const string sysfs = "/sys/devices/system/memory";
        if (!File.Exists("/proc/zoneinfo") || !Directory.Exists(sysfs) || !MemoryMap.TryReadMachine(out _, out _))
        {
            return; // Not Linux, or /proc/iomem is not readable: the captured machine stands in.
        }

        var json = Parse(Cli.Ok("map", "--iomem", "/proc/iomem", "--arch", "X86_64", "--sysfs-memory", sysfs, "--json").Out);
        var kernelBlocks = MemoryMap.MemoryBlocksFromSysfs(sysfs, out _).Select(b => (b.Index, b.Node)).ToList();
        Assert.Equal(kernelBlocks, Blocks(json));
        var zones = MemoryReport.ParseZoneinfo(File.ReadAllText("/proc/zoneinfo")).Where(z => z.Spanned != 0).ToList();
        Assert.Equal(zones, Zones(json));
    }

    [Fact]
    public void NUMA_spec_splits_the_nodes()
    {
        var json = Parse(Cli.Ok("map", "--iomem", Path.Combine(Fixture("x86_64-kvm-24g"), "iomem"), "--numa", "0:0x0-0x2ffffffff,1:0x300000000-0x63fffffff", "--json").Out);
        var blocks = Blocks(json);
        Assert.Equal(0, blocks.Single(b => b.Index == 95).Node);
        Assert.Equal(1, blocks.Single(b => b.Index == 96).Node);
        Assert.Contains(Zones(json), z => z.Node == 1 && z.Zone == "Normal" && z.StartPfn == 0x300000 && z.Spanned == 0x340000);
    }

    [Fact]
    public void A_NUMA_line_in_the_map_gives_the_nodes_as_NUMA_does()
    {
        const string spec = "0:0x0-0x2ffffffff,1:0x300000000-0x63fffffff";
        string iomem = Path.Combine(Fixture("x86_64-kvm-24g"), "iomem");
        string map = Path.GetTempFileName();
        try
        {
            File.WriteAllText(map, "# numa: " + spec + "\n" + File.ReadAllText(iomem));
            var fromLine = Parse(Cli.Ok("map", "--iomem", map, "--json").Out);
            var fromOption = Parse(Cli.Ok("map", "--iomem", iomem, "--numa", spec, "--json").Out);
            Assert.Equal(Blocks(fromOption), Blocks(fromLine));
            Assert.Equal(Zones(fromOption), Zones(fromLine));
            Assert.Contains(Zones(fromLine), z => z.Node == 1);
        }
        finally
        {
            File.Delete(map);
        }
    }

    [Theory]
    [InlineData("--numa", "0:0x0-0xbfffffff,1:0xc0000000-zz", "'1:0xc0000000-zz'")]
    [InlineData("--numa", "0:0x0-0xbfffffff", "lies in no node's part")]
    public void Bad_node_assignments_exit_with_two(string option, string value, string expected)
    {
        var result = Cli.Run("map", "--iomem", Path.Combine(Fixture("x86_64-kvm-24g"), "iomem"), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_malformed_maps_exit_with_two()
    {
        var missing = Cli.Run("map", "--iomem", "/nonexistent/iomem");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("iomem", missing.Err, StringComparison.Ordinal);

        string bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, "00001000-0009fbff : System RAM\nnot a line\n");
            var malformed = Cli.Run("map", "--iomem", bad);
            Assert.Equal(2, malformed.ExitCode);
            Assert.Contains("line 2", malformed.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void Memory_beyond_MAX_PHYSMEM_BITS_exits_with_two()
    {
        string map = Path.GetTempFileName();
        try
        {
            File.WriteAllText(map, "00100000-bfffffff : System RAM\n3ffff8000000-400007ffffff : System RAM\n");
            var result = Cli.Run("map", "--iomem", map, "--arch", "X86_64");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("[0x3ffff8000000-0x400008000000) node 0", result.Err, StringComparison.Ordinal);
            Assert.Contains("MAX_PHYSMEM_BITS = 46", result.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(map);
        }
    }

    // The preset of a captured machine, from the release its kernel reports.
    private static string ArchOf(string dir)
    {
        string release = File.ReadAllText(Path.Combine(dir, "kernel")).Trim();
        return release.Contains("arm64-16k", StringComparison.Ordinal) ? "Arm64_16K" : release.Contains("arm64", StringComparison.Ordinal) ? "Arm64_4K" : "X86_64";
    }

    private static JsonElement Parse(string text) => JsonDocument.Parse(text).RootElement;

    private static List<(ulong Index, int Node)> Blocks(JsonElement json) =>
        json.GetProperty("memoryBlocks").EnumerateArray().Select(b => (b.GetProperty("index").GetUInt64(), b.GetProperty("node").GetInt32())).ToList();

    private static List<ZoneSpan> Zones(JsonElement json) =>
        json.GetProperty("zones").EnumerateArray().Select(z => new ZoneSpan(
            z.GetProperty("node").GetInt32(), z.GetProperty("zone").GetString()!, z.GetProperty("startPfn").GetUInt64(),
            z.GetProperty("spanned").GetUInt64(), z.GetProperty("present").GetUInt64())).ToList();

    private static string Fixture(string machine) => Path.Combine(FixtureRoot(), machine);

    internal static string FixtureRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "PhysMem.Tests", "Fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/PhysMem.Tests/Fixtures was not found above " + AppContext.BaseDirectory);
    }
}
