using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// The kernel's own view of its memory — /proc/zoneinfo and /sys/devices/system/memory — reproduced
/// from /proc/iomem: against files captured from real machines (tests/PhysMem.Tests/Fixtures), and
/// against the machine the tests run on when those files can be read.
/// </summary>
public class MemoryReportTests
{
    private static readonly MemoryLayout X86 = MemoryLayout.Create(new LayoutSpec
    {
        Model = Model.Sparse, Vmemmap = true, Extreme = true, NodesShift = 6,
        Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable | Zones.Device,
    });

    public static IEnumerable<object[]> Fixtures() =>
        Directory.GetDirectories(FixtureRoot()).Where(d => File.Exists(Path.Combine(d, "iomem"))).Select(d => new object[] { Path.GetFileName(d) });

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Zones_and_blocks_match_a_captured_machine(string machine)
    {
        string dir = Path.Combine(FixtureRoot(), machine);
        var blocks = ReadBlocks(File.ReadAllLines(Path.Combine(dir, "memory_blocks")));
        ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(dir, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var map = MemoryMap.ParseIomem(File.ReadAllText(Path.Combine(dir, "iomem"))).WithNodes(NodeParts(blocks, blockSize));
        AssertSameAsKernel(map, blocks, blockSize, File.ReadAllText(Path.Combine(dir, "zoneinfo")), ArchOf(dir));
    }

    public static IEnumerable<object[]> FixturesWithBootLog() =>
        Fixtures().Where(f => File.Exists(Path.Combine(FixtureRoot(), (string)f[0], "dmesg-memory")));

    /// <summary>
    /// The nodes as the captured kernel printed them ("Early memory node ranges", whole pages, pasted
    /// as they are) give the kernel's own blocks and zones: the partial page at the end of iomem's
    /// first range belongs to no node, as in the kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixturesWithBootLog))]
    public void The_kernels_own_node_ranges_give_its_zones_and_blocks(string machine)
    {
        string dir = Path.Combine(FixtureRoot(), machine);
        string[] log = File.ReadAllLines(Path.Combine(dir, "dmesg-memory"));
        string ranges = string.Join("\n", log.SkipWhile(l => l != "Early memory node ranges").TakeWhile(l => l == "Early memory node ranges" || l.TrimStart().StartsWith("node ", StringComparison.Ordinal)));
        Assert.Contains("node ", ranges, StringComparison.Ordinal);
        var blocks = ReadBlocks(File.ReadAllLines(Path.Combine(dir, "memory_blocks")));
        ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(dir, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var map = MemoryMap.ParseIomem(File.ReadAllText(Path.Combine(dir, "iomem"))).WithNodes(ranges);
        AssertSameAsKernel(map, blocks, blockSize, File.ReadAllText(Path.Combine(dir, "zoneinfo")), ArchOf(dir));
    }

    [Fact]
    public void Zones_and_blocks_match_this_machine()
    {
        const string sysfs = "/sys/devices/system/memory";
        if (!File.Exists("/proc/zoneinfo") || !Directory.Exists(sysfs) || !MemoryMap.TryReadMachine(out var machine, out _) || machine is null)
        {
            return; // Not Linux, or /proc/iomem is not readable here: the fixtures stand in.
        }

        var blocks = MemoryMap.MemoryBlocksFromSysfs(sysfs, out ulong blockSize);
        AssertSameAsKernel(machine.WithNodesFromSysfs(sysfs), blocks, blockSize, File.ReadAllText("/proc/zoneinfo"));
    }

    [Fact]
    public void NUMA_spec_splits_ranges_at_node_boundaries()
    {
        var map = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_fc00), new MemoryRange(0x10_0000, 0x2_4000_0000))
            .WithNodes("0:0x0-0xbfffffff, 1:0xc0000000-0x23fffffff");
        Assert.Equal(
            new[] { new MemoryRange(0x1000, 0x9_fc00, 0), new MemoryRange(0x10_0000, 0xc000_0000, 0), new MemoryRange(0xc000_0000, 0x2_4000_0000, 1) },
            map.Ranges);
        var zones = MemoryReport.ZoneSpans(X86, map);
        // Node 1 starts at 3 GiB: its DMA32 part runs to 4 GiB, then Normal. Node 0's DMA32 spans
        // 16 MiB to the end of node 0 (3 GiB).
        Assert.Equal(
            new[]
            {
                new ZoneSpan(0, "DMA", 1, 0xfff, 0x9e + 0xf00),
                new ZoneSpan(0, "DMA32", 0x1000, 0xc0000 - 0x1000, 0xc0000 - 0x1000),
                new ZoneSpan(1, "DMA32", 0xc0000, 0x40000, 0x40000),
                new ZoneSpan(1, "Normal", 0x100000, 0x140000, 0x140000),
            },
            zones);
    }

    [Theory]
    [InlineData("0:0x0-0xbfffffff,1:zz-0x1", "1:zz-0x1")]
    [InlineData("0-0x1000", "0-0x1000")]
    [InlineData("x:0x0-0x1000", "x:0x0-0x1000")]
    public void Malformed_NUMA_spec_names_the_item(string spec, string item)
    {
        var ex = Assert.Throws<FormatException>(() => MemoryMap.Example.WithNodes(spec));
        Assert.Contains("'" + item + "'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_outside_every_node_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => MemoryMap.Example.WithNodes("0:0x0-0xbfffffff"));
        Assert.Contains("0x100000000-0x23fffffff", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MemoryMap.Example.WithNodes("0:0x0-0x1fffffff,1:0x10000000-0x2ffffffff"));
    }

    private static void AssertSameAsKernel(MemoryMap map, IReadOnlyList<MemoryBlock> kernelBlocks, ulong blockSize, string zoneinfo, Arch arch = Arch.X86_64)
    {
        Assert.Equal(kernelBlocks, MemoryReport.Blocks(map, blockSize));
        var expected = MemoryReport.ParseZoneinfo(zoneinfo).Where(z => z.Spanned != 0).ToList();
        Assert.NotEmpty(expected);
        var layout = arch == Arch.X86_64 ? X86 : LayoutOf(arch);
        Assert.Equal(expected, MemoryReport.ZoneSpans(layout, map, ZoneRule.ForArch(arch, layout, map)));
    }

    /// <summary>The architecture of a captured machine, from the release its kernel reports.</summary>
    internal static Arch ArchOf(string fixtureDirectory)
    {
        string release = File.ReadAllText(Path.Combine(fixtureDirectory, "kernel")).Trim();
        return release.Contains("arm64-16k", StringComparison.Ordinal) ? Arch.Arm64_16K
            : release.Contains("arm64", StringComparison.Ordinal) ? Arch.Arm64_4K
            : Arch.X86_64;
    }

    private static MemoryLayout LayoutOf(Arch arch)
    {
        var options = new LayoutOptions();
        Assert.True(ArchPresets.TryApply(arch, options, out _));
        return MemoryLayout.Create(options.Resolve(new List<LayoutDiagnostic>()));
    }

    private static List<MemoryBlock> ReadBlocks(string[] lines) =>
        lines.Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => new MemoryBlock(ulong.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    private static List<MemoryRange> NodeParts(IReadOnlyList<MemoryBlock> blocks, ulong blockSize)
    {
        // The node of every address: each block's node, gaps between blocks taking the next block's node.
        var parts = new List<MemoryRange>();
        ulong at = 0;
        foreach (var b in blocks)
        {
            ulong end = (b.Index + 1) * blockSize;
            if (parts.Count > 0 && parts[^1].Node == b.Node)
            {
                parts[^1] = new MemoryRange(parts[^1].Start, end, b.Node);
            }
            else
            {
                parts.Add(new MemoryRange(at, end, b.Node));
            }

            at = end;
        }

        return parts;
    }

    private static string FixtureRoot()
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
