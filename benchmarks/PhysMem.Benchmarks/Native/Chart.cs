using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace PhysMem.Benchmarks.Native;

/// <summary>
/// The bar chart of the conversion matrix as SVG, drawn from the same numbers as the tables
/// (<see cref="Report"/>: BenchmarkDotNet's brief JSON reports and the native program's CSV): one
/// panel per model that has results, in it one group per operation and stream, in each group one
/// bar per variant (runtime-configured, generated, generic-math, native C) whose length is the time
/// per operation. Each panel has its own scale, labelled in nanoseconds; a missing value leaves a gap.
/// </summary>
public static class Chart
{
    private const int Left = 210;
    private const int PlotWidth = 560;
    private const int BarHeight = 5;
    private const int GroupGap = 6;
    private const int PanelGap = 46;

    /// <summary>The variants, in bar order, with their method suffix (null: native C) and colour.</summary>
    internal static readonly (string Name, string? Suffix, string Colour)[] Variants =
    {
        ("Runtime-configured", "Runtime", "#9e9e9e"),
        ("Generated", "Generated", "#1565c0"),
        ("Generic-math", "GenericMath", "#ef6c00"),
        ("Native C (gcc -O2)", null, "#2e7d32"),
    };

    /// <summary>Draws the chart.</summary>
    /// <param name="managed">BenchmarkDotNet's times by <c>Type.Method()</c> (ns per operation).</param>
    /// <param name="native">The native times by <c>Model.Operation.Stream</c>.</param>
    /// <param name="statistic">Which statistic the times are ("minimum" or "median"), for the title.</param>
    /// <returns>The SVG document.</returns>
    public static string Render(IReadOnlyDictionary<string, (double Time, double Mean, double Allocated)> managed, IReadOnlyDictionary<string, double> native, string statistic)
    {
        ArgumentNullException.ThrowIfNull(managed);
        ArgumentNullException.ThrowIfNull(native);
        var c = CultureInfo.InvariantCulture;
        var body = new StringBuilder();
        int y = 70;
        foreach (var (type, nativeName, title) in Report.Models)
        {
            var rows = new List<(string Label, double[] Times)>();
            foreach (string op in Report.Operations)
            {
                foreach (string stream in Report.Streams)
                {
                    double[] times = Variants.Select(v => v.Suffix is null
                        ? native.TryGetValue(nativeName + "." + op + "." + stream, out double t) ? t : double.NaN
                        : Report.TimeOf(managed, type, op, stream, v.Suffix)).ToArray();
                    if (times.Take(3).Any(t => !double.IsNaN(t)))
                    {
                        rows.Add((op + " · " + stream, times));
                    }
                }
            }

            if (rows.Count == 0)
            {
                continue;
            }

            double max = NiceCeiling(rows.SelectMany(r => r.Times).Where(t => !double.IsNaN(t)).DefaultIfEmpty(1).Max());
            int groupHeight = (Variants.Length * BarHeight) + GroupGap;
            int panelHeight = rows.Count * groupHeight;
            body.Append(c, $"<text x=\"10\" y=\"{y - 12}\" class=\"panel\">{Escape(title)}</text>\n");

            // The scale: five gridlines with their value in ns.
            for (int i = 0; i <= 4; i++)
            {
                double x = Left + (PlotWidth * i / 4.0);
                body.Append(c, $"<line x1=\"{x:0.#}\" y1=\"{y - 4}\" x2=\"{x:0.#}\" y2=\"{y + panelHeight}\" class=\"grid\"/>\n");
                body.Append(c, $"<text x=\"{x:0.#}\" y=\"{y + panelHeight + 12}\" class=\"tick\">{max * i / 4:0.##} ns</text>\n");
            }

            int top = y;
            foreach (var (label, times) in rows)
            {
                body.Append(c, $"<text x=\"{Left - 6}\" y=\"{top + (Variants.Length * BarHeight / 2) + 3}\" class=\"label\">{Escape(label)}</text>\n");
                for (int v = 0; v < Variants.Length; v++)
                {
                    if (double.IsNaN(times[v]))
                    {
                        continue;
                    }

                    double width = Math.Max(0.5, PlotWidth * times[v] / max);
                    body.Append(c, $"<rect x=\"{Left}\" y=\"{top + (v * BarHeight)}\" width=\"{width:0.##}\" height=\"{BarHeight - 1}\" fill=\"{Variants[v].Colour}\"><title>{Escape(title)}, {Escape(label)}, {Escape(Variants[v].Name)}: {times[v]:0.000} ns</title></rect>\n");
                }

                top += groupHeight;
            }

            y += panelHeight + PanelGap;
        }

        int height = y - PanelGap + 30;
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Left + PlotWidth + 40}\" height=\"{height}\" font-family=\"sans-serif\">\n");
        svg.Append("<style>.panel{font-size:14px;font-weight:bold}.label{font-size:9px;text-anchor:end}.tick{font-size:9px;text-anchor:middle;fill:#555}.grid{stroke:#ddd;stroke-width:1}.legend{font-size:11px}</style>\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(c, $"<text x=\"10\" y=\"20\" class=\"panel\">ns per operation ({Escape(statistic)} over the measured iterations; shorter is faster)</text>\n");
        for (int v = 0; v < Variants.Length; v++)
        {
            int x = 10 + (v * 170);
            svg.Append(c, $"<rect x=\"{x}\" y=\"32\" width=\"12\" height=\"10\" fill=\"{Variants[v].Colour}\"/><text x=\"{x + 16}\" y=\"41\" class=\"legend\">{Escape(Variants[v].Name)}</text>\n");
        }

        svg.Append(body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // 1, 2 or 5 times a power of ten, at or above the value.
    private static double NiceCeiling(double value)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1e-9))));
        foreach (double step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
