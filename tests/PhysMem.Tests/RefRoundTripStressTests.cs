using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using PhysMem.Tests.Generated;
using Xunit;
using Xunit.Abstractions;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// The checked forms of the generated models under concurrent hotplug: a reference that
// PfnToPageRef gave inside a read section stays valid until the section ends, even when a removal
// takes its memory out of the tables meanwhile, so PageToPfn(ref) must give its pfn back. Readers
// hold each reference a little while (as real code would) so that removals land inside the window.
//
// Each variant runs for about a second (longer on a busy machine); PHYSMEM_SOAK_SECONDS lengthens it.
public class RefRoundTripStressTests
{
    private const int Readers = 3;
    private static readonly ulong[] Region = { 16, 17, 40, 768 }; // 768: its own EXTREME root

    private readonly ITestOutputHelper _output;

    public RefRoundTripStressTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> Models => RefModels.Names;

    [Theory]
    [MemberData(nameof(Models))]
    public void References_held_in_a_read_section_convert_back(string model)
    {
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("PHYSMEM_SOAK_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double soak) ? soak : 1.0;
        using RefModels.IRefModel m = RefModels.Create(model);
        SparseMemory storage = m.Storage;
        bool vmemmap = storage.Layout.IsVmemmap;
        var failures = new ConcurrentQueue<string>();
        var conversions = new long[1]; // added to by the readers as they go
        int stop = 0;
        var readers = StartReaders(Readers, seed => Read(m, seed, () => Volatile.Read(ref stop) != 0, conversions, failures), failures);

        long ops = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            var rng = new Random(7);
            var masks = new ulong[Region.Length];
            // For the time asked, and longer (up to eight times) on a machine too busy for enough calls.
            var duration = TimeSpan.FromSeconds(seconds);
            while (failures.IsEmpty && (clock.Elapsed < duration || ((ops < 20 || Interlocked.Read(ref conversions[0]) < 1000) && clock.Elapsed < 8 * duration)))
            {
                int i = rng.Next(Region.Length);
                ulong s = Region[i];
                if (vmemmap)
                {
                    // One subsection at a time, so that sections keep some memory while parts go.
                    int bit = rng.Next(8);
                    ulong b = 1UL << bit;
                    if ((masks[i] & b) == 0)
                    {
                        storage.AddMemory(Pfn(s, (ulong)bit), PagesPerSubsection, 0);
                    }
                    else
                    {
                        storage.RemoveMemory(Pfn(s, (ulong)bit), PagesPerSubsection);
                    }

                    masks[i] ^= b;
                }
                else
                {
                    if (masks[i] == 0)
                    {
                        storage.AddMemory(Pfn(s), PagesPerSection, 0);
                    }
                    else
                    {
                        storage.RemoveMemory(Pfn(s), PagesPerSection);
                    }

                    masks[i] = ~masks[i];
                }

                ops++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var reader in readers)
            {
                Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "a reader did not stop");
            }
        }

        _output.WriteLine($"{model}: {clock.Elapsed.TotalSeconds:0.00} s, {ops} hotplug calls, {conversions[0]} conversions of held references, {failures.Count} failures");
        Assert.True(failures.IsEmpty, failures.Count + " failures, the first: " + string.Join("\n", failures.Take(3)));
        Assert.True(ops >= 4, $"only {ops} hotplug calls");
        Assert.True(conversions[0] >= 100, $"only {conversions[0]} conversions");
    }

    private static void Read(RefModels.IRefModel m, int seed, Func<bool> stop, long[] total, ConcurrentQueue<string> failures)
    {
        var rng = new Random(seed);
        while (!stop() && failures.IsEmpty)
        {
            long conversions = 0;
            using (m.EnterReadSection())
            {
                for (int k = 0; k < 16; k++)
                {
                    ulong s = Region[rng.Next(Region.Length)];
                    // The first eight subsections: the ones the writer adds and removes.
                    ulong pfn = Pfn(s) + (ulong)rng.NextInt64((long)(8 * PagesPerSubsection));
                    if (!m.TryRoundTrip(pfn, out ulong back, out string? error))
                    {
                        continue;
                    }

                    conversions++;
                    if (error != null)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: {error}");
                    }
                    else if (back != pfn)
                    {
                        failures.Enqueue($"pfn 0x{pfn:x}: PageToPfn(ref) gave 0x{back:x}");
                    }
                }
            }

            Interlocked.Add(ref total[0], conversions);
            if ((rng.Next() & 255) == 0)
            {
                Thread.Yield();
            }
        }
    }
}
