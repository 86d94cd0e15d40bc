using System;

namespace PhysMem.Benchmarks.Startup;

/// <summary>The memory maps of the start-up and walk benchmarks: a PC of a given size on two nodes.</summary>
public static class PcMemory
{
    private const ulong GiB = 1UL << 30;

    /// <summary>
    /// A PC with <paramref name="gib"/> GiB: low memory below the legacy hole (4 KiB-639 KiB), 1 MiB
    /// to the 32-bit PCI hole at 3 GiB, and the rest from 4 GiB up; node 1 takes the upper half of
    /// the memory above 4 GiB (split on a 128 MiB section), node 0 the rest.
    /// </summary>
    /// <param name="gib">Gibibytes of memory, at least 4.</param>
    /// <returns>The map.</returns>
    public static MemoryMap Map(int gib)
    {
        if (gib < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(gib), gib, "A PC map needs at least 4 GiB (3 GiB lie below the PCI hole).");
        }

        ulong high = ((ulong)gib - 3) * GiB;
        ulong split = 4 * GiB + ((high / 2) & ~((128UL << 20) - 1));
        return MemoryMap.FromRanges(
            new MemoryRange(0x1000, 0x9_fc00),
            new MemoryRange(0x10_0000, 3 * GiB),
            new MemoryRange(4 * GiB, split),
            new MemoryRange(split, 4 * GiB + high, Node: 1));
    }
}
