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
/// The ranges of the numeric inputs, read from <see cref="InputTable"/>: the validator reports values
/// outside them (PMEM0003) and the code fix offers the nearest allowed value.
/// </summary>
internal static class InputRanges
{
    /// <summary>The range of an input, or null for an input without a fixed range.</summary>
    /// <param name="name">The input's name (<c>PageShift</c>, ...).</param>
    /// <param name="bitsPerLong">The model's word size, which bounds NR_PAGEFLAGS.</param>
    /// <returns>The range, or null.</returns>
    public static InputRange? Get(string name, int bitsPerLong) => InputTable.Find(name)?.Range(bitsPerLong);

    /// <summary>Every input that has a range, in the table's order.</summary>
    public static IReadOnlyList<string> Names { get; } = RangedNames();

    private static string[] RangedNames()
    {
        var names = new List<string>();
        foreach (var input in InputTable.All)
        {
            if (input.Range(LayoutDefaults.BitsPerLong) is not null)
            {
                names.Add(input.Name);
            }
        }

        return names.ToArray();
    }
}
