using System;
using System.Collections.Generic;

namespace PhysMem.Benchmarks.Models;

/// <summary>
/// The memory every conversion benchmark runs over, and the pfn streams it runs with. The native C
/// program gets the same streams through the export (<c>native-export</c>), not by regenerating them.
/// </summary>
public static class BenchmarkMemory
{
    /// <summary>Elements in each stream: one benchmark invocation is one pass over a stream.</summary>
    public const int StreamLength = 4096;

    /// <summary>The seed of every stream.</summary>
    public const int Seed = 20_240_601;

    /// <summary>
    /// Where the sequential stream starts: 2048 pages below the start of section 40 (5 GiB), which is
    /// also where node 1 starts in <see cref="Map"/> and in the eight-node DISCONTIGMEM model (in the
    /// two-node one it is inside node 0).
    /// </summary>
    public const ulong SequentialStartPfn = 0x14_0000 - (StreamLength / 2);

    /// <summary>
    /// An x86-64 PC with 8 GiB on two nodes: low memory below the legacy hole, memory up to the
    /// 32-bit PCI hole, 1 GiB above 4 GiB on node 0, and 4 GiB on node 1.
    /// </summary>
    public static MemoryMap Map { get; } = MemoryMap.FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0xc000_0000),
        new MemoryRange(0x1_0000_0000, 0x1_4000_0000),
        new MemoryRange(0x1_4000_0000, 0x2_4000_0000, Node: 1));

    /// <summary>The streams over <see cref="Map"/>, built once per process.</summary>
    public static PfnStreams Streams { get; } = PfnStreams.Create(Map, pageShift: 12);

    /// <summary>The streams over the two-node DISCONTIGMEM model's banks.</summary>
    public static PfnStreams TwoNodeStreams { get; } = PfnStreams.Create(DiscontigTwoNodeModel.Banks, pageShift: 12);

    /// <summary>The streams over the eight-node DISCONTIGMEM model's banks.</summary>
    public static PfnStreams EightNodeStreams { get; } = PfnStreams.Create(DiscontigEightNodeModel.Banks, pageShift: 12);
}

/// <summary>The three pfn streams, the same for every model and variant.</summary>
/// <param name="Random">Pfns drawn uniformly from the memory of the map (every one valid in every model).</param>
/// <param name="Sequential"><see cref="BenchmarkMemory.StreamLength"/> consecutive pfns from <see cref="BenchmarkMemory.SequentialStartPfn"/>.</param>
/// <param name="Mixed"><paramref name="Random"/> with one pfn in ten replaced by a pfn that is invalid in every model: half of them in absent sections below <c>MAX_PHYSMEM_BITS</c>, half beyond it.</param>
public sealed record PfnStreams(ulong[] Random, ulong[] Sequential, ulong[] Mixed)
{
    /// <summary>Draws the streams from <paramref name="map"/> with <see cref="BenchmarkMemory.Seed"/>.</summary>
    /// <param name="map">The memory.</param>
    /// <param name="pageShift">PAGE_SHIFT.</param>
    /// <returns>The streams.</returns>
    public static PfnStreams Create(MemoryMap map, int pageShift)
    {
        ArgumentNullException.ThrowIfNull(map);
        IReadOnlyList<PfnRange> runs = map.Pfns(pageShift);
        ulong total = 0;
        foreach (var run in runs)
        {
            total += run.End - run.Start;
        }

        var random = new Random(BenchmarkMemory.Seed);
        int n = BenchmarkMemory.StreamLength;
        var randomPfns = new ulong[n];
        var mixed = new ulong[n];
        var sequential = new ulong[n];
        ulong endPfn = runs[runs.Count - 1].End;
        for (int i = 0; i < n; i++)
        {
            // Uniform over the pages of memory: pick the k-th page, then find its run.
            ulong k = (ulong)random.NextInt64((long)total);
            foreach (var run in runs)
            {
                ulong size = run.End - run.Start;
                if (k < size)
                {
                    randomPfns[i] = run.Start + k;
                    break;
                }

                k -= size;
            }

            mixed[i] = randomPfns[i];
            if (random.Next(10) == 0)
            {
                // Invalid everywhere: an absent section above the end of memory (below 2^34 pfns,
                // MAX_PHYSMEM_BITS = 46), or a pfn beyond MAX_PHYSMEM_BITS altogether.
                mixed[i] = random.Next(2) == 0
                    ? endPfn + 0x8000 + (ulong)random.NextInt64((long)((1UL << 34) - endPfn - 0x8000))
                    : randomPfns[i] | (1UL << 40);
            }

            sequential[i] = BenchmarkMemory.SequentialStartPfn + (ulong)i;
        }

        return new PfnStreams(randomPfns, sequential, mixed);
    }
}
