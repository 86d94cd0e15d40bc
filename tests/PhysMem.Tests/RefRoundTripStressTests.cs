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
// Each variant runs for about a second; PHYSMEM_SOAK_SECONDS lengthens it.
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
    public void ReferencesHeldInAReadSectionConvertBack(string model)
    {
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("PHYSMEM_SOAK_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double soak) ? soak : 1.0;
        using RefModels.IRefModel m = RefModels.Create(model);
        SparseMemory storage = m.Storage;
        bool vmemmap = storage.Layout.IsVmemmap;
        var failures = new ConcurrentQueue<string>();
        long conversions = 0;
        int stop = 0;
        var readers = StartReaders(Readers, seed => Interlocked.Add(ref conversions, Read(m, seed, () => Volatile.Read(ref stop) != 0, failures)), failures);

        long ops = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            var rng = new Random(7);
            var masks = new ulong[Region.Length];
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && failures.IsEmpty)
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

        _output.WriteLine($"{model}: {clock.Elapsed.TotalSeconds:0.00} s, {ops} hotplug calls, {conversions} conversions of held references, {failures.Count} failures");
        Assert.True(failures.IsEmpty, failures.Count + " failures, the first: " + string.Join("\n", failures.Take(3)));
        Assert.True(ops >= 20, $"only {ops} hotplug calls");
        Assert.True(conversions >= 1000, $"only {conversions} conversions");
    }

    private static long Read(RefModels.IRefModel m, int seed, Func<bool> stop, ConcurrentQueue<string> failures)
    {
        var rng = new Random(seed);
        long conversions = 0;
        while (!stop() && failures.IsEmpty)
        {
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

            if ((rng.Next() & 255) == 0)
            {
                Thread.Yield();
            }
        }

        return conversions;
    }
}
