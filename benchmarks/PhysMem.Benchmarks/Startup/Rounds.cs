using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PhysMem.Benchmarks.Startup;

/// <summary>
/// One value per interleaved round, reported as the median with its spread (min-max): how the
/// start-up and walk tables give a number that holds run after run on a noisy machine.
/// </summary>
public static class Rounds
{
    /// <summary>The median of <paramref name="values"/> (the lower middle of an even count).</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The median.</returns>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[(sorted.Length - 1) / 2];
    }

    /// <summary>"median (min-max)" with <paramref name="format"/>.</summary>
    /// <param name="values">The rounds' values.</param>
    /// <param name="format">A numeric format, e.g. <c>F1</c>.</param>
    /// <returns>The text, or "-" for no value.</returns>
    public static string Spread(IReadOnlyList<double> values, string format)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return "-";
        }

        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return values.Count == 1 ? F(values[0]) : $"{F(Median(values))} ({F(values.Min())}-{F(values.Max())})";
    }

    /// <summary>"met", or "missed" naming how many rounds missed: a target counts only when every round meets it.</summary>
    /// <param name="ratios">The ratio of each round.</param>
    /// <param name="limit">The largest ratio that meets the target.</param>
    /// <returns>The verdict.</returns>
    public static string Verdict(IReadOnlyList<double> ratios, double limit)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        if (ratios.Count == 0)
        {
            return "-";
        }

        int missed = ratios.Count(r => r > limit);
        return missed == 0 ? "met" : $"missed in {missed}/{ratios.Count}";
    }
}
