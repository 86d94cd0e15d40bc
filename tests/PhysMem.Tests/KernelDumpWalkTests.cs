using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// The public walks, statistics and page decoder of <see cref="KernelDump"/> over the three trimmed
/// real dumps: pieces against the page-at-a-time reads, decoded pages against crash's <c>kmem -p</c>
/// on the full dump and the guest's own free page counts, and the lifetime rules of a lent span.
/// </summary>
public sealed class KernelDumpWalkTests
{
    public static TheoryData<string> Fixtures => VmcoreFixtureTests.Fixtures;

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_memmap_walk_hands_out_exactly_the_valid_pfns_each_with_the_page_CopyPage_reads(string fixture)
    {
        using var dump = Open(fixture);
        var seen = new List<(ulong Start, ulong End)>();
        ulong compared = 0;
        ulong missing = dump.WalkMemmap((ulong start, ReadOnlySpan<Page> pages) =>
        {
            seen.Add((start, start + (ulong)pages.Length));
            for (int i = 0; i < pages.Length; i += 97)
            {
                Assert.Equal(dump.ReadPage<Page>(start + (ulong)i).Flags, pages[i].Flags);
                compared++;
            }

            return true;
        });

        Assert.Equal(0UL, missing);
        Assert.True(compared > 2000);

        // The pieces are ascending, disjoint, and joined they are the valid pfn runs; a 1 GiB guest with
        // 128 MiB sections (the note's SECTION_SIZE_BITS=27) has pfns 0 to 0x40000 valid, nothing above.
        Assert.All(seen.Zip(seen.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start));
        Assert.Equal(new[] { (0UL, 0x40000UL) }, Join(seen));
        Assert.Equal(new[] { (0UL, 0x40000UL) }, dump.ValidPfnRanges());
        Assert.True(dump.PfnValid(0x3ffff));
        Assert.False(dump.PfnValid(0x40000));
    }

    [Fact]
    public void A_walk_of_a_range_cuts_its_pieces_at_the_range_and_a_visitor_can_stop_it()
    {
        using var dump = Open("6.12-4level");
        var seen = new List<(ulong Start, ulong End)>();
        dump.WalkMemmap((ulong start, ReadOnlySpan<Page> pages) =>
        {
            seen.Add((start, start + (ulong)pages.Length));
            return true;
        }, 0x7ff1, 0x18003);
        Assert.Equal(new[] { (0x7ff1UL, 0x18003UL) }, Join(seen));
        Assert.Equal(new[] { (0x7ff1UL, 0x18003UL) }, dump.ValidPfnRanges(0x7ff1, 0x18003));
        Assert.Empty(dump.ValidPfnRanges(0x40000, 0x80000));

        int calls = 0;
        dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => ++calls < 2);
        Assert.Equal(2, calls);

        Assert.Equal(0UL, dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => throw new InvalidOperationException("an empty range has no pieces"), 0x100, 0x50));
        Assert.Equal(0UL, dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => throw new InvalidOperationException("an empty range has no pieces"), 0x100, 0x100));
        Assert.Empty(dump.ValidPfnRanges(0x100, 0x50));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoded_pages_have_the_flags_word_and_flags_crash_reads_with_the_debug_vmlinux(string fixture)
    {
        using var dump = Open(fixture);
        var lines = File.ReadLines(Path.Combine(VmcoreFixtureTests.Folder(fixture), "crash-kmem-p.txt")).Skip(1).ToList();
        Assert.True(lines.Count > 200);
        bool slabFlag = File.ReadAllText(Path.Combine(VmcoreFixtureTests.Folder(fixture), "vmcoreinfo.txt")).Contains("NUMBER(PG_slab)=", StringComparison.Ordinal);
        foreach (string line in lines)
        {
            // PAGE PHYSICAL MAPPING INDEX CNT FLAGS [names]
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong pfn = ulong.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) >> 12;
            ulong flags = ulong.Parse(f[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var names = f.Length > 6 ? f[6].Split(',') : Array.Empty<string>();
            var page = dump.DescribePage(pfn);
            Assert.Equal((pfn, flags), (page.Pfn, page.Flags));
            Assert.Equal(names.Contains("head"), page.IsHead);
            Assert.Equal(names.Contains("lru"), page.IsLru);
            if (slabFlag)
            {
                // PG_slab kernels (6.1): crash names the flag on exactly the slab pages that are not tails.
                Assert.Equal(names.Contains("slab") && !page.IsTail, page.IsSlab);
            }

            // Every name the note gives (crash takes its names from the debug info) is one crash gives too.
            foreach (string name in page.FlagNames.Where(n => !n.StartsWith("bit ", StringComparison.Ordinal)))
            {
                Assert.Contains(name, names);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoding_every_page_alone_gives_the_guests_free_pages_and_crashs_slabs(string fixture)
    {
        using var dump = Open(fixture);
        var free = new Dictionary<int, ulong>();
        var slabHeads = new HashSet<ulong>();
        var tails = new List<(ulong Pfn, ulong Head)>();
        foreach (var (start, end) in dump.ValidPfnRanges())
        {
            for (ulong pfn = start; pfn < end; pfn++)
            {
                var page = dump.DescribePage(pfn);
                if (page.BuddyOrder is int order)
                {
                    free[page.Zone!.Value] = free.GetValueOrDefault(page.Zone!.Value) + (1UL << order);
                }

                if (page.IsSlab)
                {
                    slabHeads.Add(pfn);
                }

                if (page.IsTail)
                {
                    Assert.True(page.HeadPfn is not null, $"tail 0x{pfn:x}: compound_head points at no struct page");
                    tails.Add((pfn, page.HeadPfn!.Value));
                }
            }
        }

        // Zones in /proc/zoneinfo order are zone indexes 0, 1, ... on node 0.
        var zones = VmcoreFixtureTests.ZoneInfo(VmcoreFixtureTests.Folder(fixture)).Where(z => z.Node == 0).ToList();
        for (int zone = 0; zone < zones.Count; zone++)
        {
            Assert.Equal((zones[zone].Name, zones[zone].NrFree), (zones[zone].Name, free.GetValueOrDefault(zone)));
        }

        // Every tail's head is a head page before it; a slab is its head and its tails: crash's kmem -s
        // counts the slabs and their pages cache by cache (SLABS, and SLABS x SSIZE).
        Assert.NotEmpty(tails);
        Assert.All(tails.Take(5000), t => Assert.True(t.Head < t.Pfn && dump.DescribePage(t.Head).IsHead, $"tail 0x{t.Pfn:x} -> 0x{t.Head:x}"));
        ulong slabPages = (ulong)slabHeads.Count + (ulong)tails.Count(t => slabHeads.Contains(t.Head));
        Assert.Equal(VmcoreFixtureTests.KmemS(VmcoreFixtureTests.Folder(fixture)), ((ulong)slabHeads.Count, slabPages));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_statistics_equal_counting_every_page_decoded_alone(string fixture)
    {
        using var dump = Open(fixture);
        AssertStatisticsEqualPageByPage(dump);
    }

    [Fact]
    public void The_statistics_equal_counting_every_page_alone_when_the_buddy_value_is_also_the_untyped_word()
    {
        // A note whose buddy test accepts 0xffffffff, the word of every page with no type: the scan
        // cannot pass over untyped pages by their type, so it must look at every one of them.
        string edited = VmcoreMalformedTests.WriteWithNote("6.1-4level", "6.1-4level", note =>
        {
            Assert.Contains("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129", note, StringComparison.Ordinal);
            return note.Replace("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129", "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-1", StringComparison.Ordinal);
        });
        try
        {
            using var dump = KernelDump.Open(edited, Path.Combine(VmcoreFixtureTests.Folder("6.1-4level"), "config"));
            var (free, _) = AssertStatisticsEqualPageByPage(dump);
            Assert.True(free > 100_000, $"free pages {free}: most pages are untyped, so most must now count as buddy heads");
        }
        finally
        {
            File.Delete(edited);
        }
    }

    [Fact]
    public void A_walk_counts_the_valid_pfns_whose_struct_pages_a_partial_dump_lacks()
    {
        // A copy of the 6.1 dump without one 4 KiB page of memmap inside section 1: 64 struct pages.
        const ulong Lost = 0x8100;
        string partial = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".core");
        try
        {
            var frames = new HashSet<ulong>();
            using (var reader = VmcoreReader.Open(VmcoreFixtureTests.Dump("6.1-4level"), VmcoreFixtureTests.Kconfig("6.1-4level"), frames))
            {
                reader.Statistics();
                Assert.True(reader.Dump.Tables.TryTranslate(reader.Memmap.PageAddress(Lost), out ulong phys, out _));
                Assert.True(frames.Remove(phys >> 12));
                VmcoreTrimmer.Write(reader.Dump.Core, frames, partial);
            }

            using var dump = KernelDump.Open(partial, Path.Combine(VmcoreFixtureTests.Folder("6.1-4level"), "config"));
            ulong pages = 0;
            Assert.Equal(64UL, dump.WalkMemmap((ulong _, ReadOnlySpan<Page> p) => { pages += (ulong)p.Length; return true; }));
            Assert.Equal(0x40000UL - 64, pages);
            Assert.Equal(64UL, dump.ComputeStatistics().MissingPages);
            Assert.Equal(10UL, dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => true, Lost + 54, Lost + 200));
            Assert.Equal(0UL, dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => true, Lost + 64, Lost + 200));
            Assert.Throws<VmcoreException>(() => dump.DescribePage(Lost + 3));
            Assert.True(dump.PfnValid(Lost + 3));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    [Fact]
    public void The_statistics_report_progress_to_one_and_name_flag_bits_as_the_note_does()
    {
        using var dump = Open("6.12-4level");
        var fractions = new List<double>();
        var stats = dump.ComputeStatistics(new SyncProgress(fractions.Add));
        Assert.Equal(1.0, fractions[^1]);
        Assert.Equal(fractions.Order().ToList(), fractions);
        Assert.Equal(0x40000UL, stats.Pages);

        // vmcoreinfo.txt is the note as text: NUMBER(PG_lru)=5 and NUMBER(PG_swapbacked)=17 on 6.12.
        string note = File.ReadAllText(Path.Combine(VmcoreFixtureTests.Folder("6.12-4level"), "vmcoreinfo.txt"));
        int lru = int.Parse(Regex.Match(note, @"NUMBER\(PG_lru\)=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal("lru", dump.PageFlagName(lru));
        Assert.Null(dump.PageFlagName(0));
        ulong lruFlags = 0;
        dump.WalkMemmap((ulong _, ReadOnlySpan<Page> pages) =>
        {
            foreach (ref readonly var p in pages)
            {
                lruFlags += (p.Flags >> lru) & 1;
            }

            return true;
        });
        Assert.Equal(lruFlags, stats.FlagCounts[lru]);
        Assert.True((ulong)stats.Zones.Sum(z => (long)z.LruPages) >= lruFlags);
        Assert.Throws<NotSupportedException>(() => ((IList<ulong>)stats.FlagCounts)[lru] = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => dump.PageFlagName(64));
    }

    [Fact]
    public async Task Disposing_inside_a_walk_is_refused_and_from_another_thread_waits_for_the_walk()
    {
        var dump = Open("6.1-4level");
        Assert.Throws<InvalidOperationException>(() => dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) =>
        {
            dump.Dispose();
            return true;
        }));
        Assert.True(dump.PfnValid(1));

        using var inWalk = new ManualResetEventSlim();
        Task? disposing = null;
        ulong sum = 0;
        dump.WalkMemmap((ulong _, ReadOnlySpan<Page> pages) =>
        {
            if (disposing is null)
            {
                disposing = Task.Run(dump.Dispose);
                inWalk.Set();
                Thread.Sleep(200);
                Assert.False(disposing.IsCompleted);
            }

            foreach (ref readonly var p in pages)
            {
                sum += p.Flags & 1;
            }

            return true;
        });
        Assert.True(inWalk.IsSet);
        await disposing!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Throws<ObjectDisposedException>(() => dump.WalkMemmap((ulong _, ReadOnlySpan<Page> _) => true));
        Assert.Throws<ObjectDisposedException>(() => dump.ComputeStatistics());
        using var other = Open("6.1-4level");
        Assert.Throws<ArgumentException>(() => other.WalkMemmap((ulong _, ReadOnlySpan<ulong> _) => true));
    }

    [Fact]
    public void An_abandoned_dump_lets_its_mapping_go_when_collected()
    {
        string copy = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".core");
        File.Copy(VmcoreFixtureTests.Dump("6.12-4level"), copy);
        try
        {
            OpenAndDrop(copy);
            Assert.Contains(copy, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
            for (int i = 0; i < 3 && File.ReadAllText("/proc/self/maps").Contains(copy, StringComparison.Ordinal); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.DoesNotContain(copy, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    // Counts every page alone with DescribePage (node, zone, buddy order, slab and LRU of heads and
    // single pages, a tail as its head, the flag bits) and asserts that the statistics, which pass over
    // stretches of alike pages, give the same numbers zone by zone. Returns the free pages and pages counted.
    private static (ulong Free, ulong Pages) AssertStatisticsEqualPageByPage(KernelDump dump)
    {
        var expected = new Dictionary<(int Node, int Zone), (ulong Pages, ulong Free, ulong Slabs, ulong SlabPages, ulong Lru)>();
        var flags = new ulong[64];
        var heads = new Dictionary<ulong, (bool Slab, bool Lru)>();
        int bits = Math.Min(dump.Layout.Spec.NrPageflags, 64);
        foreach (var (start, end) in dump.ValidPfnRanges())
        {
            for (ulong pfn = start; pfn < end; pfn++)
            {
                var page = dump.DescribePage(pfn);
                if (page.ZoneName is null)
                {
                    continue;
                }

                var key = (page.Node!.Value, page.Zone!.Value);
                var e = expected.GetValueOrDefault(key);
                e.Pages++;
                e.Free += page.BuddyOrder is int order ? 1UL << order : 0;
                if (page.IsTail)
                {
                    var head = page.HeadPfn is ulong h ? heads.GetValueOrDefault(h) : default;
                    e.SlabPages += head.Slab ? 1UL : 0;
                    e.Lru += head.Lru ? 1UL : 0;
                }
                else
                {
                    e.Slabs += page.IsSlab ? 1UL : 0;
                    e.SlabPages += page.IsSlab ? 1UL : 0;
                    e.Lru += page.IsLru ? 1UL : 0;
                    if (page.IsHead)
                    {
                        heads[pfn] = (page.IsSlab, page.IsLru);
                    }
                }

                expected[key] = e;
                for (int bit = 0; bit < bits; bit++)
                {
                    flags[bit] += (page.Flags >> bit) & 1;
                }
            }
        }

        var stats = dump.ComputeStatistics();
        var actual = stats.Zones.Where(z => z.StructPages > 0).ToDictionary(z => (z.Node, z.Zone), z => (z.StructPages, z.FreePages, z.Slabs, z.SlabPages, z.LruPages));
        Assert.Equal(expected.OrderBy(k => k.Key).ToList(), actual.OrderBy(k => k.Key).ToList());
        Assert.Equal(flags, stats.FlagCounts.ToArray());
        return (expected.Values.Aggregate(0UL, (sum, z) => sum + z.Free), expected.Values.Aggregate(0UL, (sum, z) => sum + z.Pages));
    }

    // In a method of its own, so that no local of the caller keeps the dump reachable.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void OpenAndDrop(string path) => Assert.True(KernelDump.Open(path).PfnValid(1));

    private static KernelDump Open(string fixture) => KernelDump.Open(VmcoreFixtureTests.Dump(fixture), Path.Combine(VmcoreFixtureTests.Folder(fixture), "config"));

    private static List<(ulong Start, ulong End)> Join(List<(ulong Start, ulong End)> pieces)
    {
        var runs = new List<(ulong Start, ulong End)>();
        foreach (var p in pieces)
        {
            if (runs.Count > 0 && runs[^1].End == p.Start)
            {
                runs[^1] = (runs[^1].Start, p.End);
            }
            else
            {
                runs.Add(p);
            }
        }

        return runs;
    }

    // Progress<T> posts to the thread pool; this one reports on the caller's thread, in order.
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
