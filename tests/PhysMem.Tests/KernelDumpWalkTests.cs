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

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Without_a_configuration_the_statistics_equal_counting_every_page_alone_in_the_zone_of_its_address(string fixture)
    {
        using var dump = KernelDump.Open(VmcoreFixtureTests.Dump(fixture));
        Assert.False(dump.FlagsLayoutKnown);
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
    public void A_page_whose_flags_are_the_complement_of_a_head_word_is_still_looked_at()
    {
        // Damaged memory: the struct page after a slab head gets the head's flags word inverted (a zone
        // number no zone has), and no compound_head or page type. Every page of a head's word is looked
        // at one by one, so the statistics must count this page where decoding it alone does: in no zone.
        const ulong Head = 0x104e;
        string copy = Path.GetTempFileName();
        try
        {
            string original = VmcoreFixtureTests.Dump("6.1-4level");
            byte[] file = File.ReadAllBytes(original);
            var pages = new byte[128];
            ulong word;
            using (var dump = KernelDump.Open(original))
            {
                Assert.True(dump.DescribePage(Head).IsHead && dump.DescribePage(Head).IsSlab);
                dump.CopyPage(Head, pages.AsSpan(0, 64));
                dump.CopyPage(Head + 1, pages.AsSpan(64, 64));
                word = dump.PageFlagsWord(Head);
            }

            string note;
            using (var core = ElfCore.Open(original))
            {
                note = core.NoteText("VMCOREINFO")!;
            }

            // flags at 0 and _mapcount at 48 as the note says; compound_head is the word after flags.
            Assert.Contains("OFFSET(page.flags)=0\n", note, StringComparison.Ordinal);
            Assert.Contains("OFFSET(page._mapcount)=48\n", note, StringComparison.Ordinal);
            int at = file.AsSpan().IndexOf(pages);
            Assert.True(at > 0 && file.AsSpan(at + 1).IndexOf(pages) < 0, "the two struct pages are found once in the dump");
            int tail = at + 64;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(tail), ~word);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(tail + 8), 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(tail + 48), 0);
            File.WriteAllBytes(copy, file);

            using var damaged = KernelDump.Open(copy, Path.Combine(VmcoreFixtureTests.Folder("6.1-4level"), "config"));
            Assert.Equal(~word, damaged.PageFlagsWord(Head + 1));
            Assert.Null(damaged.DescribePage(Head + 1).ZoneName);
            AssertStatisticsEqualPageByPage(damaged);
        }
        finally
        {
            File.Delete(copy);
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

    // Counts every page alone with DescribePage and asserts that the statistics, which pass over
    // stretches of alike pages, give the same numbers zone by zone: struct pages, those inside the
    // kernel's span, first and last pfn, free pages and blocks by order, slabs, slab and LRU pages (a
    // tail as the head it follows, the last head before it), the flags histogram, buddy heads with an
    // impossible order, and pages in no configured zone. Returns the free pages and the pages counted.
    // Without a kernel configuration the zone is the one the address lies in (node 0).
    private static (ulong Free, ulong Pages) AssertStatisticsEqualPageByPage(KernelDump dump)
    {
        var byAddress = new ZoneRule(dump.Layout);
        int zones = DumpStatistics.ZoneNames(dump.Layout.Spec).Length;
        var stats = dump.ComputeStatistics();
        var expected = new SortedDictionary<(int Node, int Zone), ZoneCounts>();
        var flags = new ulong[64];
        (ulong Pfn, bool Slab, bool Lru)? head = null;
        ulong badOrders = 0, impossible = 0;
        int bits = Math.Min(dump.Layout.Spec.NrPageflags, 64);
        foreach (var (start, end) in dump.ValidPfnRanges())
        {
            for (ulong pfn = start; pfn < end; pfn++)
            {
                var page = dump.DescribePage(pfn);
                if (dump.FlagsLayoutKnown ? page.ZoneName is null : byAddress.ZoneFor(pfn) >= zones)
                {
                    impossible++;
                    continue;
                }

                var key = dump.FlagsLayoutKnown ? (page.Node!.Value, page.Zone!.Value) : (0, byAddress.ZoneFor(pfn));
                if (!expected.TryGetValue(key, out var e))
                {
                    var kernel = stats.Zones.FirstOrDefault(z => (z.Node, z.Zone) == key)?.Kernel;
                    expected[key] = e = new ZoneCounts(kernel?.StartPfn ?? 0, kernel?.Spanned ?? 0);
                }

                e.Add(pfn);
                if (page.BuddyOrder is int order)
                {
                    e.Free += 1UL << order;
                    e.Blocks[order]++;
                }

                badOrders += page.IsBuddy && page.BuddyOrder is null ? 1UL : 0;
                if (page.IsTail)
                {
                    bool follows = head is { } h && page.HeadPfn == h.Pfn;
                    e.SlabPages += follows && head!.Value.Slab ? 1UL : 0;
                    e.Lru += follows && head!.Value.Lru ? 1UL : 0;
                }
                else
                {
                    e.Slabs += page.IsSlab ? 1UL : 0;
                    e.SlabPages += page.IsSlab ? 1UL : 0;
                    e.Lru += page.IsLru ? 1UL : 0;
                    head = page.IsHead ? (pfn, page.IsSlab, page.IsLru) : head;
                }

                for (int bit = 0; bit < bits; bit++)
                {
                    flags[bit] += (page.Flags >> bit) & 1;
                }
            }
        }

        var actual = stats.Zones.Where(z => z.StructPages > 0).Select(z => ((z.Node, z.Zone), string.Join(" ", z.StructPages, z.StructPagesInSpan, z.FirstPfn, z.LastPfn, z.FreePages, z.Slabs, z.SlabPages, z.LruPages, "blocks", string.Join(",", z.FreeBlocks)))).ToList();
        Assert.Equal(expected.Select(k => (k.Key, k.Value.ToString(stats.Zones[0].FreeBlocks.Count))).ToList(), actual);
        Assert.Equal(flags, stats.FlagCounts.ToArray());
        Assert.Equal((badOrders, impossible), (stats.BadOrders, stats.ImpossibleZonePages));
        return (expected.Values.Aggregate(0UL, (sum, z) => sum + z.Free), expected.Values.Aggregate(0UL, (sum, z) => sum + z.Pages));
    }

    private sealed class ZoneCounts(ulong spanStart, ulong spanLength)
    {
        public ulong Pages { get; private set; }

        public ulong InSpan { get; private set; }

        public ulong First { get; private set; } = ulong.MaxValue;

        public ulong Last { get; private set; }

        public ulong Free { get; set; }

        public ulong[] Blocks { get; } = new ulong[64];

        public ulong Slabs { get; set; }

        public ulong SlabPages { get; set; }

        public ulong Lru { get; set; }

        public void Add(ulong pfn)
        {
            Pages++;
            InSpan += pfn >= spanStart && pfn - spanStart < spanLength ? 1UL : 0;
            (First, Last) = (Math.Min(First, pfn), Math.Max(Last, pfn));
        }

        public string ToString(int orders) => string.Join(" ", Pages, InSpan, First, Last, Free, Slabs, SlabPages, Lru, "blocks", string.Join(",", Blocks.Take(orders)));
    }

    // In a method of its own, so that no local of the caller keeps the dump reachable.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
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
