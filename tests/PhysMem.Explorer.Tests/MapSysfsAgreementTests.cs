using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// <c>physmem map --sysfs-memory DIR</c> says whether the kernel's blocks and zones (a captured copy's
/// memory_blocks and zoneinfo) agree with those computed from the map, and exits 1 when they do not.
/// </summary>
public class MapSysfsAgreementTests
{
    /// <summary>Every captured QEMU machine.</summary>
    public static IEnumerable<object[]> QemuMachines() =>
        Directory.GetDirectories(MapTests.FixtureRoot(), "qemu-*").Select(d => new object[] { Path.GetFileName(d) });

    [Theory]
    [MemberData(nameof(QemuMachines))]
    public void A_captured_machine_agrees_with_the_computed_blocks_and_zones(string machine)
    {
        string dir = Path.Combine(MapTests.FixtureRoot(), machine);
        var result = Map(dir, dir);
        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        Assert.Contains("The kernel's blocks and zones agree with the computed ones.", result.Out, StringComparison.Ordinal);

        var json = JsonDocument.Parse(Map(dir, dir, "--json").Out).RootElement.GetProperty("sysfsAgreement");
        Assert.True(json.GetProperty("agrees").GetBoolean());
        Assert.Empty(json.GetProperty("disagreements").EnumerateArray());

        // Every block the kernel lists and every zone with pages was compared.
        int blocks = File.ReadAllLines(Path.Combine(dir, "memory_blocks")).Count(l => l.Trim().Length > 0);
        int zones = MemoryReport.ParseZoneinfo(File.ReadAllText(Path.Combine(dir, "zoneinfo"))).Count(z => z.Spanned != 0);
        Assert.Equal(blocks, json.GetProperty("blocksCompared").GetInt32());
        Assert.Equal(zones, json.GetProperty("zonesCompared").GetInt32());
    }

    [Fact]
    public void A_block_moved_to_another_node_disagrees_exits_one_and_is_named()
    {
        string source = Path.Combine(MapTests.FixtureRoot(), "qemu-6.12-2node-6g");
        string copy = CopyOf(source);
        try
        {
            // Block 5 lies in node 0's memory (blocks 0-23); the copy says node 1.
            var lines = File.ReadAllLines(Path.Combine(copy, "memory_blocks"));
            Assert.Equal("5 0", lines[5]);
            lines[5] = "5 1";
            File.WriteAllLines(Path.Combine(copy, "memory_blocks"), lines);

            var result = Map(source, copy);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("DO NOT agree", result.Out, StringComparison.Ordinal);
            ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(source, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            string block = $"memory5 [0x{5 * blockSize:x}-0x{(6 * blockSize) - 1:x}]: the kernel puts it on node 1; computed node 0.";
            Assert.Contains("  " + block, result.OutLines);

            var json = Map(source, copy, "--json");
            Assert.Equal(1, json.ExitCode);
            var agreement = JsonDocument.Parse(json.Out).RootElement.GetProperty("sysfsAgreement");
            Assert.False(agreement.GetProperty("agrees").GetBoolean());
            Assert.Equal(new[] { block }, agreement.GetProperty("disagreements").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void A_zone_the_kernel_sized_otherwise_disagrees()
    {
        string source = Path.Combine(MapTests.FixtureRoot(), "qemu-6.12-memmap-holes");
        string copy = CopyOf(source);
        try
        {
            // One page fewer present in the first zone that reports "present".
            string text = File.ReadAllText(Path.Combine(copy, "zoneinfo"));
            var zone = MemoryReport.ParseZoneinfo(text).First(z => z.Present > 0);
            int at = text.IndexOf($"present  {zone.Present}", StringComparison.Ordinal);
            Assert.True(at >= 0, "the zoneinfo has no 'present  N' line for " + zone.Zone);
            File.WriteAllText(Path.Combine(copy, "zoneinfo"), text[..at] + $"present  {zone.Present - 1}" + text[(at + $"present  {zone.Present}".Length)..]);

            var result = Map(source, copy);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"node {zone.Node} zone {zone.Zone}: the kernel has start_pfn 0x{zone.StartPfn:x}, spanned {zone.Spanned}, present {zone.Present - 1}; computed start_pfn 0x{zone.StartPfn:x}, spanned {zone.Spanned}, present {zone.Present}.", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    // A captured machine copied to a temporary folder, to be changed there.
    private static string CopyOf(string source)
    {
        string copy = Directory.CreateTempSubdirectory("physmem-sysfs-").FullName;
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static CliResult Map(string machine, string sysfs, params string[] more)
    {
        string release = File.ReadAllText(Path.Combine(machine, "kernel")).Trim();
        string arch = release.Contains("arm64-16k", StringComparison.Ordinal) ? "Arm64_16K" : release.Contains("arm64", StringComparison.Ordinal) ? "Arm64_4K" : "X86_64";
        ulong blockSize = ulong.Parse(File.ReadAllText(Path.Combine(machine, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return Cli.Run(new[] { "map", "--iomem", Path.Combine(machine, "iomem"), "--arch", arch, "--sysfs-memory", sysfs, "--block-size", blockSize.ToString(CultureInfo.InvariantCulture) }.Concat(more).ToArray());
    }
}
