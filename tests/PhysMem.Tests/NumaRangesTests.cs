using System;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// NUMA specs in the kernel's own form: the lines it prints under "Early memory node ranges" are
/// whole pages, and memory in a page a range covers only in part (the end of iomem's
/// 00001000-0009fbff) belongs to no node, as in the kernel, instead of being refused.
/// </summary>
public sealed class NumaRangesTests
{
    private const string Iomem = """
        00001000-0009fbff : System RAM
        00100000-bffdffff : System RAM
        100000000-23fffffff : System RAM
        """;

    // The three lines as a 6.12 kernel prints them for this map on two nodes, with their timestamps.
    private const string KernelLines = """
        [    0.004512] Early memory node ranges
        [    0.004513]   node   0: [mem 0x0000000000001000-0x000000000009efff]
        [    0.004515]   node   0: [mem 0x0000000000100000-0x00000000bffdffff]
        [    0.004517]   node   1: [mem 0x0000000100000000-0x000000023fffffff]
        """;

    [Fact]
    public void The_kernels_own_lines_give_the_nodes_and_drop_the_partial_page()
    {
        var map = MemoryMap.ParseIomem(Iomem).WithNodes(KernelLines);
        Assert.Equal(
            new[] { (0x1000UL, 0x9f000UL, 0), (0x100000UL, 0xbffe0000UL, 0), (0x100000000UL, 0x240000000UL, 1) },
            map.Ranges.Select(r => (r.Start, r.End, r.Node)).ToArray());
    }

    [Fact]
    public void The_same_ranges_in_the_short_form_give_the_same_map()
    {
        var fromLog = MemoryMap.ParseIomem(Iomem).WithNodes(KernelLines);
        var fromSpec = MemoryMap.ParseIomem(Iomem).WithNodes("0:0x1000-0x9efff, 0:0x100000-0xbffdffff, 1:0x100000000-0x23fffffff");
        Assert.Equal(fromLog.Ranges, fromSpec.Ranges);

        // A part that covers the whole partial page keeps it, as before.
        var covering = MemoryMap.ParseIomem(Iomem).WithNodes("0:0x0-0xffffffff,1:0x100000000-0x23fffffff");
        Assert.Equal(0x9fc00UL, covering.Ranges[0].End);
    }

    [Theory]
    [InlineData("0:0x1000-0x9dfff,0:0x100000-0xbffdffff,1:0x100000000-0x23fffffff", "Memory 0x9e000-0x9fbff of the range")]
    [InlineData("0:0x2000-0x9efff,0:0x100000-0xbffdffff,1:0x100000000-0x23fffffff", "Memory 0x1000-0x1fff of the range")]
    [InlineData("0:0x1000-0x9efff,0:0x100000-0xbffdffff", "Memory 0x100000000-0x23fffffff of the range")]
    public void Memory_in_whole_pages_outside_every_part_is_still_refused(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => MemoryMap.ParseIomem(Iomem).WithNodes(spec));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_that_starts_inside_a_page_drops_its_head()
    {
        var map = MemoryMap.ParseIomem("00000c00-00004fff : System RAM").WithNodes("node 0: [mem 0x1000-0x4fff]");
        Assert.Equal((0x1000UL, 0x5000UL, 0), map.Ranges.Select(r => (r.Start, r.End, r.Node)).Single());
    }

    [Theory]
    [InlineData("node 0: [mem 0x1000-0x9efff")]
    [InlineData("node x: [mem 0x1000-0x9efff]")]
    [InlineData("node 0 [mem 0x1000-0x9efff]")]
    [InlineData("Early memory node ranges")]
    public void Malformed_kernel_lines_are_refused_by_name(string spec)
    {
        var e = Assert.Throws<FormatException>(() => MemoryMap.ParseIomem(Iomem).WithNodes(spec));
        Assert.Contains(spec == "Early memory node ranges" ? "names no node:start-end item" : "'" + spec.Trim() + "'", e.Message, StringComparison.Ordinal);
    }
}
