using System.Collections.Generic;

namespace PhysMem;

/// <summary>The values one numeric input may take: a range, or a short list of allowed values.</summary>
/// <param name="Name">The input's name, as the attribute spells it.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Allowed">When not null, the only values allowed (all within Min..Max).</param>
/// <param name="Why">The rule, in words, for the diagnostic.</param>
internal sealed record InputRange(string Name, long Min, long Max, long[]? Allowed, string Why)
{
    /// <summary>Whether the value is allowed.</summary>
    public bool Contains(long value)
    {
        if (value < Min || value > Max)
        {
            return false;
        }

        if (Allowed is null)
        {
            return true;
        }

        foreach (long a in Allowed)
        {
            if (a == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The allowed value nearest to <paramref name="value"/>, or null when two are equally near
    /// (no unambiguous correction). An allowed value is its own nearest.
    /// </summary>
    public long? Nearest(long value)
    {
        if (Allowed is null)
        {
            return value < Min ? Min : value > Max ? Max : value;
        }

        long? best = null;
        long bestDistance = long.MaxValue;
        bool tie = false;
        foreach (long a in Allowed)
        {
            long distance = a > value ? a - value : value - a;
            if (distance < bestDistance)
            {
                best = a;
                bestDistance = distance;
                tie = false;
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }
}

/// <summary>
/// The ranges of the numeric inputs, in one place: the validator reports values outside them
/// (PMEM0003) and the code fix offers the nearest allowed value.
/// </summary>
internal static class InputRanges
{
    /// <summary>The range of an input, or null for an input without a fixed range.</summary>
    /// <param name="name">The input's name (<c>PageShift</c>, ...).</param>
    /// <param name="bitsPerLong">The model's word size, which bounds NR_PAGEFLAGS.</param>
    /// <returns>The range, or null.</returns>
    public static InputRange? Get(string name, int bitsPerLong) => name switch
    {
        "BitsPerLong" => new InputRange(name, 32, 64, new long[] { 32, 64 }, "BITS_PER_LONG is 32 or 64"),
        "PageShift" => new InputRange(name, 12, 18, null, "the kernel's page sizes run from 4 KiB (12) to 256 KiB (18)"),
        "NodesShift" => new InputRange(name, 0, 10, null, "CONFIG_NODES_SHIFT ranges from 1 to 10 (0 means no NUMA)"),
        "NrPageflags" => new InputRange(name, 0, bitsPerLong, null, "NR_PAGEFLAGS counts bits of a " + bitsPerLong.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-bit page->flags"),
        "NrCpusBits" => new InputRange(name, 0, 16, null, "NR_CPUS_BITS is order_base_2(NR_CPUS), at most 16"),
        "MaxPageOrder" => new InputRange(name, 0, 20, null, "MAX_PAGE_ORDER runs from 0 to 20"),
        "PageblockOrder" => new InputRange(name, 0, 20, null, "pageblock_order runs from 0 to 20"),
        "StructPageSize" => new InputRange(name, 8, 4096, null, "sizeof(struct page) is between 8 and 4096 bytes"),
        "MaxNrZones" => new InputRange(name, 0, 64, null, "MAX_NR_ZONES counts zones; 0 means the number of Zones given"),
        "KasanTagWidth" => new InputRange(name, 0, 8, new long[] { 0, 4, 8 }, "KASAN_TAG_WIDTH is 0 (no tags), 4 (hardware tags) or 8 (software tags)"),
        _ => null,
    };

    /// <summary>Every input that has a range.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "BitsPerLong", "PageShift", "NodesShift", "NrPageflags", "NrCpusBits", "MaxPageOrder", "PageblockOrder", "StructPageSize", "MaxNrZones", "KasanTagWidth",
    };
}
