using System;
using System.IO;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// The public read-only dump type over the three trimmed real dumps: what it answers is checked
/// against the files the guest printed (uname -r, /proc/zoneinfo), not against the reader.
/// </summary>
public sealed class KernelDumpTests
{
    [Theory]
    [InlineData("6.1-4level")]
    [InlineData("6.1-5level")]
    [InlineData("6.12-4level")]
    public void A_dump_opened_with_its_config_names_its_release_and_puts_each_zones_first_page_in_that_zone(string fixture)
    {
        string folder = VmcoreFixtureTests.Folder(fixture);
        using var dump = KernelDump.Open(VmcoreFixtureTests.Dump(fixture), Path.Combine(folder, "config"));

        Assert.Equal(File.ReadAllText(Path.Combine(folder, "kernel")).Trim(), dump.Release);
        Assert.True(dump.FlagsLayoutKnown);
        Assert.Equal(64, dump.StructPageSize);
        Assert.NotEmpty(dump.PresentSections());

        // /proc/zoneinfo's start_pfn of each populated zone, in zone order: DMA is zone 0, DMA32 zone 1.
        var starts = ZoneStarts(Path.Combine(folder, "zoneinfo"));
        Assert.Equal(new[] { "DMA", "DMA32" }, starts.Select(s => s.Zone).Take(2));
        for (int zone = 0; zone < 2; zone++)
        {
            ulong pfn = starts[zone].StartPfn;
            Assert.True(dump.PfnValid(pfn));
            ulong word = dump.PageFlagsWord(pfn);
            Assert.Equal(zone, dump.PageFlags.Zonenum(word));
            Assert.Equal(0, dump.PageFlags.Nid(word));
            Assert.Equal(word, dump.ReadPage<Page>(pfn).Flags);
        }
    }

    [Fact]
    public void A_pfn_without_a_page_is_refused_and_a_type_of_another_size_is_refused()
    {
        using var dump = KernelDump.Open(VmcoreFixtureTests.Dump("6.12-4level"));
        ulong beyond = 1UL << 40; // far above the guest's 1 GiB
        Assert.False(dump.PfnValid(beyond));
        Assert.Throws<ArgumentOutOfRangeException>(() => dump.PageFlagsWord(beyond));
        Assert.Throws<ArgumentException>(() => dump.ReadPage<ulong>(1));
        Assert.Throws<ArgumentException>(() => dump.CopyPage(1, new byte[8]));
    }

    [Fact]
    public void A_disposed_dump_throws_ObjectDisposedException_and_disposing_twice_does_nothing()
    {
        var dump = KernelDump.Open(VmcoreFixtureTests.Dump("6.1-4level"));
        dump.Dispose();
        dump.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dump.PfnValid(1));
        Assert.Throws<ObjectDisposedException>(() => dump.PageFlagsWord(1));
        Assert.Throws<ObjectDisposedException>(() => dump.PresentSections());
    }

    [Fact]
    public void A_file_that_is_not_a_core_is_a_VmcoreException_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), "physmem-not-a-core-" + Environment.ProcessId + ".txt");
        File.WriteAllText(path, "not an ELF core\n");
        try
        {
            var e = Assert.Throws<VmcoreException>(() => KernelDump.Open(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_directory_given_as_the_dump_is_named_a_directory()
    {
        var e = Assert.Throws<VmcoreException>(() => KernelDump.Open(Path.GetTempPath()));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endless_file_named_as_the_configuration_is_refused_not_read_forever()
    {
        var e = Assert.Throws<FormatException>(() => KernelDump.Open(VmcoreFixtureTests.Dump("6.1-4level"), "/dev/zero"));
        Assert.Contains("16 MiB", e.Message, StringComparison.Ordinal);
    }

    private static (string Zone, ulong StartPfn)[] ZoneStarts(string zoneinfo)
    {
        var result = new System.Collections.Generic.List<(string, ulong)>();
        string? zone = null;
        foreach (var line in File.ReadLines(zoneinfo))
        {
            if (line.StartsWith("Node ", StringComparison.Ordinal))
            {
                zone = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
            }
            else if (line.TrimStart().StartsWith("start_pfn:", StringComparison.Ordinal) && zone is not null)
            {
                ulong start = ulong.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (start != 0)
                {
                    result.Add((zone, start));
                }
            }
        }

        return result.ToArray();
    }
}
