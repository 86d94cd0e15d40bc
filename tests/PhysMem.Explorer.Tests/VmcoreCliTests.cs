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
