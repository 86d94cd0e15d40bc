using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// <c>physmem map</c> states what building the model would cost (memmap, tables, reserved address
/// space) and refuses, with exit code 2 and one line, a map whose memmap goes over <c>--max-memmap</c>.
/// </summary>
public class MapLimitTests
{
    // The captured 24 GiB KVM guest has 192 memory blocks of 128 MiB: 192 sections × 32768 pages × 64 bytes.
    private const ulong GuestMemmap = 192UL * 32768 * 64;

    [Fact]
    public void Prints_the_cost_of_the_model()
    {
        var result = Cli.Ok("map", "--iomem", Guest(), "--arch", "X86_64");

        Assert.Contains(result.OutLines, l => l.Contains("memmap", StringComparison.Ordinal) && l.Contains(GuestMemmap + " bytes", StringComparison.Ordinal) && l.Contains("192 present sections", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.TrimStart().StartsWith("reserved", StringComparison.Ordinal) && l.Contains((1UL << 40) + " bytes", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.TrimStart().StartsWith("tables", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(Cli.Ok("map", "--iomem", Guest(), "--arch", "X86_64", "--json").Out);
        Assert.Equal(GuestMemmap, json.RootElement.GetProperty("cost").GetProperty("memmapBytes").GetUInt64());
    }

    [Theory]
    [InlineData("383M")]
    [InlineData("402653183")]
    public void OverTheLimit_ExitsTwoWithOneLine(string limit)
    {
        var result = Cli.Run("map", "--iomem", Guest(), "--arch", "X86_64", "--max-memmap", limit);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        string line = Assert.Single(result.ErrLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(GuestMemmap + " bytes", line);
        Assert.Contains("--max-memmap", line);
    }

    [Theory]
    [InlineData("384M")]
    [InlineData("none")]
    public void AtOrWithoutTheLimit_TheReportIsPrinted(string limit)
    {
        Cli.Ok("map", "--iomem", Guest(), "--arch", "X86_64", "--max-memmap", limit);
    }

    [Fact]
    public void TheSparseTenThousandRangeMap_IsRefusedByDefault()
    {
        string map = Path.GetTempFileName();
        try
        {
            var text = new StringBuilder();
            for (ulong i = 0; i < 10_000; i++)
            {
                text.Append((i << 32).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append('-')
                    .Append(((i << 32) + 4095).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append(" : System RAM\n");
            }

            File.WriteAllText(map, text.ToString());
            var result = Cli.Run("map", "--iomem", map);

            Assert.Equal(2, result.ExitCode);
            string line = Assert.Single(result.ErrLines);
            Assert.Contains("20971520000 bytes", line);                    // 10,000 sections × 2 MiB
            Assert.Contains("4294967296 bytes (4 GiB)", line);
            Assert.DoesNotContain(" at ", line);
        }
        finally
        {
            File.Delete(map);
        }
    }

    [Fact]
    public void ABadSize_IsRefusedNamingTheOption()
    {
        var result = Cli.Run("map", "--iomem", Guest(), "--max-memmap", "12X");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrLines, l => l.Contains("--max-memmap", StringComparison.Ordinal) && l.Contains("'12X'", StringComparison.Ordinal));
    }

    private static string Guest() => Path.Combine(MapTests.FixtureRoot(), "x86_64-kvm-24g", "iomem");
}
