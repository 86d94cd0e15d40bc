using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// Lock-free readers against a writer that keeps adding, removing, onlining and offlining memory.
// Readers inside read sections look pfns up and use their pages: a valid pfn's page must hold
// exactly the links its pfn gets (zone by the x86 rule, node = section % 4: never zero, never half
// written), round-trip through PageToPfn, and stay readable while a removal races it (an access
// violation would end the test process). Outside read sections they run the lookups that touch only
// the tables. The writer checks its own model of every section after each step, and at the end the
// accounting must match the model exactly.
//
// CI runs each variant for about a second and a half. For a soak, set PHYSMEM_SOAK_SECONDS (e.g.
// PHYSMEM_SOAK_SECONDS=600 dotnet test tests/PhysMem.Tests --filter HotplugStressTests).
public unsafe class HotplugStressTests
{
    private const int Readers = 3;
    private const long MinLookups = 2_000_000;
    private static readonly ulong[] Region = { 16, 17, 18, 19, 20, 21, 40, 768 }; // 768: its own EXTREME root

    private readonly ITestOutputHelper _output;

    public HotplugStressTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Readers_never_see_half_built_or_reclaimed_memory(bool vmemmap, bool extreme)
    {
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("PHYSMEM_SOAK_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double soak) ? soak : 1.5;
        using var mem = Create(vmemmap, extreme, device: false);
        ulong bootMemmap = mem.GetAccounting().MemmapBytes;
        var model = new Model(Region.Length);
        var failures = new ConcurrentQueue<string>();
        long lookups = 0;
        long pagesUsed = 0;
        int stop = 0;

        var readers = StartReaders(Readers, seed => Interlocked.Add(ref pagesUsed, Read(mem, seed, () => Volatile.Read(ref stop) != 0, ref lookups, failures)), failures);

        var clock = Stopwatch.StartNew();
        long ops = 0;
        try
        {
            // For the time asked, and longer (up to four times) on a machine too busy for millions of lookups.
            var clockForWriter = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            ops = Write(mem, vmemmap, model, () => clockForWriter.Elapsed < duration || (Interlocked.Read(ref lookups) < MinLookups && clockForWriter.Elapsed < 4 * duration), failures);
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var reader in readers)
            {
                Assert.True(reader.Join(TimeSpan.FromSeconds(seconds + 60)), "a reader did not stop");
            }
        }

        clock.Stop();
        _output.WriteLine($"{(vmemmap ? "vmemmap" : "classic")}{(extreme ? " extreme" : string.Empty)}: {clock.Elapsed.TotalSeconds:0.00} s, {ops} hotplug calls, {lookups} lookups, {pagesUsed} pages used inside read sections");
        Assert.True(failures.IsEmpty, failures.Count + " failures, the first: " + string.Join("\n", failures.Take(5)));
        Assert.True(ops >= 20, $"only {ops} hotplug calls");
        Assert.True(lookups >= MinLookups / 2, $"only {lookups} lookups");

        // Quiet again: the tables and the accounting are exactly the writer's model.
        mem.Synchronize();
        model.Check(mem, vmemmap);
        var accounting = mem.GetAccounting();
        Assert.Equal(0UL, accounting.PendingMemmapBytes);
        ulong pages = model.Masks.Aggregate(0UL, (sum, m) => sum + (ulong)BitOperations.PopCount(m) * PagesPerSubsection);
        Assert.Equal(bootMemmap + (vmemmap ? pages * 64 : (ulong)model.Masks.Count(m => m != 0) * SectionMemmap), accounting.MemmapBytes);
    }

    private static long Write(SparseMemory mem, bool vmemmap, Model model, Func<bool> keepGoing, ConcurrentQueue<string> failures)
    {
        var rng = new Random(12345);
        long ops = 0;
        while (keepGoing() && failures.IsEmpty)
        {
            int i = rng.Next(Region.Length);
            ulong s = Region[i];
            int op = rng.Next(100);
            if (op < 40)
            {
                // Add a run of absent subsections (a whole absent section, classic).
                ulong run = vmemmap ? PickRun(rng, ~model.Masks[i]) : model.Masks[i] == 0 ? ulong.MaxValue : 0;
                if (run == 0)
                {
                    continue;
                }

                ulong first = (ulong)BitOperations.TrailingZeroCount(run);
                mem.AddMemory(Pfn(s, first), (ulong)BitOperations.PopCount(run) * PagesPerSubsection, (int)(s % 4));
                model.Masks[i] |= run;
            }
            else if (op < 70 && !model.Online[i])
            {
                ulong run = vmemmap ? PickRun(rng, model.Masks[i]) : model.Masks[i];
                if (run == 0)
                {
                    continue;
                }

                mem.RemoveMemory(Pfn(s, (ulong)BitOperations.TrailingZeroCount(run)), (ulong)BitOperations.PopCount(run) * PagesPerSubsection);
                model.Masks[i] &= ~run;
            }
            else if (op < 85 && model.Masks[i] != 0 && !model.Online[i])
            {
                mem.OnlineSections(Pfn(s), PagesPerSection);
                model.Online[i] = true;
            }
            else if (op < 97 && model.Online[i])
            {
                mem.OfflineSections(Pfn(s), PagesPerSection);
                model.Online[i] = false;
            }
            else if (model.Masks[i] != 0)
            {
                // A refused request changes nothing: overlap on add, an online or absent part on remove.
                ulong before = mem.NrToSection(s)->SectionMemMap;
                ulong map = vmemmap ? mem.NrToSection(s)->Usage[0] : 0;
                Assert.Throws<InvalidOperationException>(() => mem.AddMemory(Pfn(s), PagesPerSection, 0));
                if (model.Online[i] || model.Masks[i] != ulong.MaxValue)
                {
                    Assert.Throws<InvalidOperationException>(() => mem.RemoveMemory(Pfn(s), PagesPerSection));
                }

                Assert.Equal(before, (ulong)mem.NrToSection(s)->SectionMemMap);
                Assert.Equal(map, vmemmap ? mem.NrToSection(s)->Usage[0] : 0);
            }
            else
            {
                continue;
            }

            ops++;
            model.CheckSection(mem, vmemmap, i);
        }

        return ops;
    }

    // A random run of consecutive set bits of 'candidates' (empty when there are none).
    private static ulong PickRun(Random rng, ulong candidates)
    {
        if (candidates == 0)
        {
            return 0;
        }

        int start;
        do
        {
            start = rng.Next(64);
        }
        while ((candidates & (1UL << start)) == 0);

        int length = 1 + rng.Next(rng.Next(2) == 0 ? 4 : 64);
        ulong run = 0;
        for (int b = start; b < 64 && b < start + length && (candidates & (1UL << b)) != 0; b++)
        {
            run |= 1UL << b;
        }

        return run;
    }

    // Returns the pages used inside read sections; adds its lookups to 'total' as it goes.
    private static long Read(SparseMemory mem, int seed, Func<bool> stop, ref long total, ConcurrentQueue<string> failures)
    {
        var rng = new Random(seed);
        var flags = mem.PageFlags;
        long lookups = 0;
        long pages = 0;
        while (!stop() && failures.IsEmpty)
        {
            Interlocked.Add(ref total, 64);
            using (mem.EnterReadSection())
            {
                for (int k = 0; k < 32; k++, lookups++)
                {
                    ulong s = Region[rng.Next(Region.Length)];
                    ulong pfn = Pfn(s) + (ulong)rng.NextInt64((long)PagesPerSection);
                    if (!mem.PfnValid(pfn))
                    {
                        continue;
                    }

                    Page* page = mem.PfnToPage(pfn);
                    ulong links = 0;
                    flags.SetLinks(ref links, Expected.X86_64Zone(pfn), (int)(s % 4), pfn);
                    ulong seen = Volatile.Read(ref page->Flags);
                    if (seen != links)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: flags 0x{seen:x}, expected 0x{links:x}");
                    }

                    if (mem.PageToPfn(page) != pfn)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: page {(ulong)page:x} gives back pfn 0x{mem.PageToPfn(page):x}");
                    }

                    Interlocked.Increment(ref page->Refcount);
                    Page* online = mem.PfnToOnlinePage(pfn);
                    if (online != null && online != page)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: online page {(ulong)online:x} is not {(ulong)page:x}");
                    }

                    pages++;
                }
            }

            // Lookups that touch only the tables need no read section.
            for (int k = 0; k < 32; k++, lookups++)
            {
                ulong s = Region[rng.Next(Region.Length)];
                ulong pfn = Pfn(s) + (ulong)rng.NextInt64((long)PagesPerSection);
                MemSection* ms = mem.PfnToSection(pfn);
                nuint word = ms == null ? 0 : Volatile.Read(ref ms->SectionMemMap);
                if (SparseMemory.ValidSection(word) && !SparseMemory.PresentSection(word))
                {
                    failures.Enqueue($"section {s}: word 0x{word:x} has a memmap but is not present");
                }

                _ = mem.PfnInPresentSection(pfn) && mem.PfnValid(pfn);
            }

            // Outside any read section: give the writer the processor now and then, so that a grace
            // period does not wait for a reader preempted inside its section (2 cores, 4 threads).
            if ((lookups & 16383) < 64)
            {
                Thread.Yield();
            }

            if (rng.Next(64) == 0)
            {
                var sections = mem.ForEachPresentSection().ToArray();
                if (!sections.SequenceEqual(sections.Order()) || sections.Any(nr => nr > 3 && nr != 32 && !Region.Contains(nr)))
                {
                    failures.Enqueue("present sections out of order or unknown: " + string.Join(",", sections));
                }

                ulong pfn = Pfn(Region[rng.Next(Region.Length)]) + (ulong)rng.NextInt64((long)PagesPerSection);
                try
                {
                    int type = mem.GetPageblockMigratetype(pfn);
                    if (type != SparseMemory.MigrateMovable)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: pageblock migratetype {type}");
                    }
                }
                catch (ArgumentOutOfRangeException)
                {
                    // Not valid at the time of the call: fine.
                }
            }
        }

        return pages;
    }

    private sealed class Model
    {
        internal Model(int sections)
        {
            Masks = new ulong[sections];
            Online = new bool[sections];
        }

        internal ulong[] Masks { get; }

        internal bool[] Online { get; }

        internal void Check(SparseMemory mem, bool vmemmap)
        {
            for (int i = 0; i < Masks.Length; i++)
            {
                CheckSection(mem, vmemmap, i);
            }
        }

        // The word has PRESENT | HAS_MEM_MAP exactly when something is there, ONLINE as onlined,
        // never EARLY; the subsection map is the model's.
        internal void CheckSection(SparseMemory mem, bool vmemmap, int i)
        {
            MemSection* ms = mem.NrToSection(Region[i]);
            ulong word = ms == null ? 0 : ms->SectionMemMap;
            ulong expected = Masks[i] == 0 ? 0 : 0b0011UL | (Online[i] ? 0b0100UL : 0);
            Assert.Equal(expected, word & 0b1111);
            if (vmemmap)
            {
                Assert.Equal(Masks[i], ms == null || ms->Usage == null ? 0 : ms->Usage[0]);
            }
        }
    }
}
