using System;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

public class MemoryMapTests
{
    [Fact]
    public void Range_RoundsStartUpAndEndDown()
    {
        // 0x1000-0x9fc00: the last page 0x9f000-0x9ffff is only partly RAM.
        var r = new MemoryRange(0x1000, 0x9_fc00);

        Assert.Equal(1UL, r.StartPfn(12));
        Assert.Equal(0x9fUL, r.EndPfn(12));
        Assert.Equal(0x9eUL, r.PageCount(12));
        Assert.Equal(0x9_ec00UL, r.Size);

        var unaligned = new MemoryRange(0x1001, 0x2fff);
        Assert.Equal(2UL, unaligned.StartPfn(12));
        Assert.Equal(2UL, unaligned.EndPfn(12));
        Assert.Equal(0UL, unaligned.PageCount(12));
    }

    [Fact]
    public void Range_RejectsEmptyAndReversed()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new MemoryRange(0x2000, 0x2000));
        Assert.Contains("Start < End", e1.Message);
        Assert.Throws<ArgumentException>(() => new MemoryRange(0x3000, 0x2000));
        Assert.Throws<ArgumentException>(() => new MemoryRange(0, 0x1000, -1));
    }

    [Fact]
    public void FromRanges_SortsAndRejectsOverlaps()
    {
        var map = MemoryMap.FromRanges(new MemoryRange(0x2000_0000, 0x3000_0000, 1), new MemoryRange(0x1000, 0x10_0000));
        Assert.Equal(new ulong[] { 0x1000, 0x2000_0000 }, map.Ranges.Select(r => r.Start).ToArray());
        Assert.Equal(0x10_0000UL - 0x1000 + 0x1000_0000UL, map.TotalBytes);

        // Touching ranges are fine.
        MemoryMap.FromRanges(new MemoryRange(0, 0x1000), new MemoryRange(0x1000, 0x2000));

        var e = Assert.Throws<ArgumentException>(() => MemoryMap.FromRanges(new MemoryRange(0x1000, 0x5000), new MemoryRange(0x4000, 0x8000, 2)));
        Assert.Contains("[0x1000-0x5000) node 0", e.Message);
        Assert.Contains("[0x4000-0x8000) node 2", e.Message);
        Assert.Contains("overlap", e.Message);
    }

    [Fact]
    public void Example_IsTheDocumentedPc()
    {
        var ranges = MemoryMap.Example.Ranges;

        Assert.Equal(3, ranges.Count);
        Assert.Equal(new MemoryRange(0x1000, 0x9fc00), ranges[0]);
        Assert.Equal(new MemoryRange(0x100000, 0xc0000000), ranges[1]);
        Assert.Equal(new MemoryRange(0x100000000, 0x240000000), ranges[2]);
        Assert.Equal(new[] { new PfnRange(1, 0x9f, 0), new PfnRange(0x100, 0xc0000, 0), new PfnRange(0x100000, 0x240000, 0) }, MemoryMap.Example.Pfns(12).ToArray());
    }

    private const string Sample =
        "00000000-00000fff : Reserved\n" +
        "00001000-0009fbff : System RAM\n" +
        "0009fc00-000fffff : Reserved\n" +
        "  000a0000-000bffff : PCI Bus 0000:00\n" +
        "  000f0000-000fffff : System ROM\n" +
        "00100000-bfffffff : System RAM\n" +
        "  01000000-01ffffff : Kernel code\n" +
        "  03000000-0327c17f : System RAM\n" +
        "c0000000-febfffff : PCI Bus 0000:00\n" +
        "100000000-23fffffff : System RAM\n" +
        "  200000000-2000fffff : Crash kernel\n" +
        "240000000-2bfffffff : Persistent Memory (legacy)\n";

    [Fact]
    public void ParseIomem_TakesTopLevelSystemRamOnly()
    {
        var map = MemoryMap.ParseIomem(Sample);

        Assert.Equal(3, map.Count);
        Assert.Equal(new MemoryRange(0x1000, 0x9fc00), map.Ranges[0]);
        Assert.Equal(new MemoryRange(0x100000, 0xc0000000), map.Ranges[1]);
        Assert.Equal(new MemoryRange(0x100000000, 0x240000000), map.Ranges[2]);

        // The partial pages of the first line: pfns 1 .. 0x9e inclusive.
        var first = map.Pfns(12)[0];
        Assert.Equal(1UL, first.Start);
        Assert.Equal(0x9fUL, first.End);
        Assert.Equal(0x9eUL, first.Count);
    }

    [Fact]
    public void ParseIomem_HandlesWindowsLineEndingsAndBlankLines()
    {
        var map = MemoryMap.ParseIomem("\r\n00001000-0009fbff : System RAM\r\n\r\n");
        Assert.Equal(new MemoryRange(0x1000, 0x9fc00), Assert.Single(map.Ranges));
    }

    [Fact]
    public void ParseIomem_HandlesOldMacLineEndings()
    {
        var map = MemoryMap.ParseIomem("00000000-00000fff : Reserved\r00001000-0009fbff : System RAM\r00100000-7fffffff : System RAM\r");
        Assert.Equal(new[] { new MemoryRange(0x1000, 0x9fc00), new MemoryRange(0x100000, 0x80000000) }, map.Ranges);
    }

    [Theory]
    [InlineData("00001000-0009fbff System RAM", 2)]
    [InlineData("00001000 : System RAM", 2)]
    [InlineData("0000zz00-0009fbff : System RAM", 2)]
    [InlineData("00002000-00001000 : System RAM", 2)]
    [InlineData("-00001000 : System RAM", 2)]
    [InlineData("00001000-0009fbff\0 : System RAM", 2)]      // .NET's number parsing alone takes a trailing NUL
    [InlineData("00001000\0-0009fbff : System RAM", 2)]
    [InlineData("0x1000-0x9fbff : System RAM", 2)]             // iomem addresses have no 0x
    public void ParseIomem_MalformedLine_NamesLineAndText(string bad, int lineNumber)
    {
        string text = "00000000-00000fff : Reserved\n" + bad + "\n";

        var e = Assert.Throws<FormatException>(() => MemoryMap.ParseIomem(text));

        Assert.Contains("line " + lineNumber, e.Message);
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void ParseIomem_NestedMalformedLinesAreIgnored()
    {
        var map = MemoryMap.ParseIomem("00001000-0009fbff : System RAM\n  garbage here\n");
        Assert.Single(map.Ranges);
    }

    [Fact]
    public void ParseIomem_ZeroAddresses_AskForRoot()
    {
        const string hidden = "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n  00000000-00000000 : Kernel code\n";

        var e = Assert.Throws<UnauthorizedAccessException>(() => MemoryMap.ParseIomem(hidden));

        Assert.Contains("root", e.Message);
    }

    [Fact]
    public void ParseIomem_OverlappingRam_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => MemoryMap.ParseIomem("00001000-00004fff : System RAM\n00004000-00008fff : System RAM\n"));
    }

    [Fact]
    public void ToString_PrintsIomemLines_ThatParseBack()
    {
        var map = MemoryMap.ParseIomem(Sample);
        Assert.Equal(map.Ranges, MemoryMap.ParseIomem(map.ToString()).Ranges);
    }

    [Fact]
    public void ParseIomem_NumaComment_GivesTheNodes_AsWithNodesDoes()
    {
        const string spec = "0:0x0-0xbfffffff, 1:0xc0000000-0x23fffffff";
        string text = "# a board's memory\n# numa: " + spec + "\n00001000-0009fbff : System RAM\n00100000-23fffffff : System RAM\n  01000000-01ffffff : Kernel code\n";

        var map = MemoryMap.ParseIomem(text);

        Assert.Equal(
            new[] { new MemoryRange(0x1000, 0x9_fc00, 0), new MemoryRange(0x10_0000, 0xc000_0000, 0), new MemoryRange(0xc000_0000, 0x2_4000_0000, 1) },
            map.Ranges);
        Assert.Equal(MemoryMap.ParseIomem(text.Replace("# numa: " + spec, "# not a node line", StringComparison.Ordinal)).WithNodes(spec).Ranges, map.Ranges);
    }

    [Theory]
    [InlineData("# numa: 0:0x0-0xfffff\n# numa: 0:0x0-0xfffff\n", typeof(FormatException), "line 2")]
    [InlineData("# numa: 0:0x0-0xfffff, 1:zz-0x1\n", typeof(FormatException), "'1:zz-0x1'")]
    [InlineData("# numa: 0:0x0-0xfff\n", typeof(ArgumentException), "0x1000-0x9fbff")]
    [InlineData("# numa: 0:0x0-0xfffff,1:0x8000-0x1ffff\n", typeof(ArgumentException), "overlap")]
    public void ParseIomem_BadNumaComment_NamesIt(string numa, Type exception, string expected)
    {
        var e = Assert.Throws(exception, () => MemoryMap.ParseIomem(numa + "00001000-0009fbff : System RAM\n"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
