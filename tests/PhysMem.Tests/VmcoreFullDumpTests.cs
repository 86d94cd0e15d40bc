using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// Opt-in: full, untrimmed dumps. When PHYSMEM_VMCORE_DUMPS names a folder of captures as
/// capture-vmcore.sh leaves them (NAME/vmcore beside NAME/zoneinfo, config, counters.txt and
/// crash.txt), each full dump must give the same numbers as the guest's and the kernel's own files,
/// and a committed fixture of the same NAME must give the same statistics as the dump it was trimmed
/// from. CI has no full dumps (1.1 GB each), so these are skipped there, saying so.
/// </summary>
public sealed class VmcoreFullDumpTests
{
    private const string Variable = "PHYSMEM_VMCORE_DUMPS";

    public static TheoryData<string> Dumps
    {
        get
        {
            var data = new TheoryData<string>();
            string? root = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrEmpty(root) && Directory.Exists(root))
            {
                foreach (string dir in Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "vmcore"))).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(dir));
                }
            }

            return data;
        }
    }

    [FullDumpsTheory]
    [MemberData(nameof(Dumps))]
    public void A_full_dump_gives_the_guests_and_the_kernels_numbers(string name)
    {
        string folder = Path.Combine(Environment.GetEnvironmentVariable(Variable)!, name);
        VmcoreFixtureTests.CheckAll(folder, Read(folder));
    }

    [FullDumpsTheory]
    [MemberData(nameof(Dumps))]
    public void The_trimmed_fixture_of_the_same_name_gives_the_same_statistics_as_its_full_dump(string name)
    {
        if (!File.Exists(Path.Combine(VmcoreFixtureTests.Folder(name), "vmcore.gz")))
        {
            // A capture with no committed fixture: nothing to compare with.
            return;
        }

        var full = Read(Path.Combine(Environment.GetEnvironmentVariable(Variable)!, name));
        using var reader = VmcoreReader.Open(VmcoreFixtureTests.Dump(name), VmcoreFixtureTests.Kconfig(name));
        Assert.Equal(Describe(full), Describe(reader.Statistics()));
    }

    private static DumpStatistics Read(string folder)
    {
        string config = Path.Combine(folder, "config");
        var kconfig = File.Exists(config) ? KconfigReader.Read(File.ReadAllText(config), "config") : null;
        using var reader = VmcoreReader.Open(Path.Combine(folder, "vmcore"), kconfig);
        return reader.Statistics();
    }

    // Everything the report prints, one line each, so that a difference names itself.
    private static List<string> Describe(DumpStatistics s)
    {
        var lines = new List<string>
        {
            "pages " + s.Pages + ", missing " + s.MissingPages + ", impossible zone " + s.ImpossibleZonePages + " first " + s.FirstImpossibleZone + ", bad orders " + s.BadOrders,
            "flags " + string.Join(",", s.FlagCounts),
        };
        lines.AddRange(s.Zones.Select(z => "node " + z.Node + " zone " + z.Name + ": struct pages " + z.StructPages + " in span " + z.StructPagesInSpan + " pfns " + z.FirstPfn + "-" + z.LastPfn
            + " free " + z.FreePages + " blocks " + string.Join(",", z.FreeBlocks) + " slabs " + z.Slabs + " slab pages " + z.SlabPages + " lru " + z.LruPages + " kernel " + z.Kernel));
        return lines;
    }

    /// <summary>A theory that runs only when PHYSMEM_VMCORE_DUMPS is set, and says how to run it when skipped.</summary>
    private sealed class FullDumpsTheoryAttribute : TheoryAttribute
    {
        public FullDumpsTheoryAttribute()
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            {
                Skip = "no full dumps: set " + Variable + " to a folder of captures (NAME/vmcore with its side files, as capture-vmcore.sh leaves them) to read them whole";
            }
        }
    }
}
