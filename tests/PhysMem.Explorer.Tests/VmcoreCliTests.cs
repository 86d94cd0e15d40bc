using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary><c>physmem vmcore</c> over a trimmed real dump: text, JSON, --trim, and one-line errors.</summary>
public sealed class VmcoreCliTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(Path.GetDirectoryName(KconfigCliTests.FixtureRoot)!, "vmcore", "6.1-4level");
    private readonly string _dump = Path.GetTempFileName();

    public VmcoreCliTests()
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Fixture, "vmcore.gz")), CompressionMode.Decompress);
        using var to = File.Create(_dump);
        gz.CopyTo(to);
    }

    public void Dispose() => File.Delete(_dump);

    [Fact]
    public void The_json_report_gives_the_guests_free_pages_per_zone()
    {
        var result = Cli.Ok("vmcore", _dump, "--kconfig", Path.Combine(Fixture, "config"), "--json");
        using var doc = JsonDocument.Parse(result.Out);
        var zones = doc.RootElement.GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("name").GetString()!, z => z.GetProperty("freePages").GetUInt64());
        string zoneinfo = File.ReadAllText(Path.Combine(Fixture, "zoneinfo"));

        // zoneinfo's DMA32 section holds its nr_free_pages after the "zone    DMA32" line.
        string dma32 = zoneinfo[zoneinfo.IndexOf("zone    DMA32", StringComparison.Ordinal)..];
        string free = dma32[(dma32.IndexOf("nr_free_pages", StringComparison.Ordinal) + "nr_free_pages".Length)..].Trim().Split('\n')[0].Trim();
        Assert.Equal(ulong.Parse(free, System.Globalization.CultureInfo.InvariantCulture), zones["DMA32"]);
        Assert.Equal("6.1.0-57-amd64", doc.RootElement.GetProperty("release").GetString());
        Assert.True(doc.RootElement.GetProperty("flagsLayoutFromKconfig").GetBoolean());
    }

    [Fact]
    public void Pages_asked_for_are_decoded_with_the_flags_word_crash_reads_and_a_pfn_without_a_page_says_so()
    {
        // crash-kmem-p.txt: crash's kmem -p on the full dump, PHYSICAL (hex) and FLAGS (hex) per page;
        // take a slab head, a plain slab page and a reserved,private page.
        var crash = File.ReadLines(Path.Combine(Fixture, "crash-kmem-p.txt")).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 6 && f[6] is "slab,head" or "slab" or "reserved,private").GroupBy(f => f[6]).Select(g => g.First()).ToList();
        Assert.Equal(3, crash.Count);
        var args = new[] { "vmcore", _dump, "--kconfig", Path.Combine(Fixture, "config"), "--json", "--page", "0x40000" }
            .Concat(crash.SelectMany(f => new[] { "--page", "0x" + (Convert.ToUInt64(f[1], 16) >> 12).ToString("x", System.Globalization.CultureInfo.InvariantCulture) })).ToArray();
        using var doc = JsonDocument.Parse(Cli.Ok(args).Out);
        var pages = doc.RootElement.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(4, pages.Count);
        Assert.Equal(0x40000UL, pages[0].GetProperty("pfn").GetUInt64());
        Assert.False(pages[0].GetProperty("valid").GetBoolean());
        for (int i = 0; i < crash.Count; i++)
        {
            var page = pages[i + 1];
            Assert.Equal(Convert.ToUInt64(crash[i][5], 16), page.GetProperty("flags").GetUInt64());
            Assert.Equal(crash[i][6].Contains("slab", StringComparison.Ordinal), page.GetProperty("slab").GetBoolean());
            Assert.Equal(crash[i][6].Contains("head", StringComparison.Ordinal), page.GetProperty("head").GetBoolean());
            Assert.Equal("DMA32", page.GetProperty("zoneName").GetString());
        }

        var text = Cli.Ok("vmcore", _dump, "--page", "0x40000", "--page", "1");
        Assert.Contains("0x40000  no struct page (pfn_valid is false)", text.Out, StringComparison.Ordinal);
        var bad = Cli.Run("vmcore", _dump, "--page", "zz");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--page expects an unsigned 64-bit number", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_text_report_without_a_kconfig_says_how_zones_were_chosen()
    {
        var result = Cli.Ok("vmcore", _dump);
        Assert.Contains("Kernel:  6.1.0-57-amd64 (4-level paging)", result.Out, StringComparison.Ordinal);
        Assert.Contains("no kernel configuration given", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Trim_writes_a_new_file_that_gives_the_same_report_and_refuses_an_existing_one()
    {
        string trimmed = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".core");
        try
        {
            var first = Cli.Ok("vmcore", _dump, "--trim", trimmed);
            Assert.Equal(first.Out, Cli.Ok("vmcore", trimmed).Out);
            var again = Cli.Run("vmcore", _dump, "--trim", trimmed);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("exists", again.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(trimmed);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_dump_is_one_line_on_stderr()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a dump at all, but long enough to hold an ELF header's 64 bytes of text");
            var result = Cli.Run("vmcore", path);
            Assert.Equal(2, result.ExitCode);
            Assert.Single(result.Err.TrimEnd().Split('\n'));
            Assert.StartsWith("error: ", result.Err, StringComparison.Ordinal);
            Assert.Contains("ELF magic", result.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
