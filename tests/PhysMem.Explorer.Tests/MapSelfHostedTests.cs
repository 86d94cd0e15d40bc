using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// <c>physmem map</c>'s self-hosted memmap: what each System RAM range would keep in its own first
/// pages if hot-added with memmap_on_memory, and what a Persistent Memory range's altmap holds.
/// </summary>
public class MapSelfHostedTests
{
    // 3 GiB below 4 GiB (with the usual holes), 13 GiB above, and 16 GiB of persistent memory at 32 TiB.
    private const string Iomem =
        "00001000-0009fbff : System RAM\n"
        + "00100000-bffdffff : System RAM\n"
        + "100000000-43fffffff : System RAM\n"
        + "200000000000-2003ffffffff : Persistent Memory\n"
        + "  200000000000-2003ffffffff : namespace0.0\n";

    [Fact]
    public void Reports_the_memmap_each_range_hosts_itself()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Iomem);
            using var json = JsonDocument.Parse(Cli.Ok("map", "--iomem", file, "--arch", "X86_64", "--json").Out);
            var rows = json.RootElement.GetProperty("selfHostedMemmap").EnumerateArray()
                .Select(r => (r.GetProperty("kind").GetString()!, r.GetProperty("start").GetUInt64(), r.GetProperty("hostedBytes").GetUInt64())).ToList();

            // A 128 MiB block of 4 KiB pages has 32,768 × 64 bytes = 2 MiB of memmap. 0x100000-0xbffdffff
            // holds whole blocks 1 to 22 (22 blocks, 44 MiB); 4 GiB-17 GiB holds 104 (208 MiB); the first
            // range none. 16 GiB of pmem: 2^22 pages × 64 bytes = 256 MiB in its altmap.
            Assert.Equal(
                new[] { ("System RAM", 0x1000UL, 0UL), ("System RAM", 0x10_0000UL, 44UL << 20), ("System RAM", 0x1_0000_0000UL, 208UL << 20), ("Persistent Memory", 0x2000_0000_0000UL, 256UL << 20) },
                rows);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("memmapOnMemoryProblem").ValueKind);

            var text = Cli.Ok("map", "--iomem", file, "--arch", "X86_64");
            Assert.Contains(text.OutLines, l => l.Contains("Persistent Memory", StringComparison.Ordinal) && l.Contains("268435456 bytes", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
