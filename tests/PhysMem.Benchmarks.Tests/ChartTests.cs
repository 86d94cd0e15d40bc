using System.Collections.Generic;
using System.Text.RegularExpressions;
using PhysMem.Benchmarks.Native;
using Xunit;

namespace PhysMem.Benchmarks.Tests;

/// <summary>The SVG chart is drawn from the results it is given: one panel per model with results, one bar per variant.</summary>
public class ChartTests
{
    [Fact]
    public void Draws_a_panel_per_model_with_results_and_a_bar_per_variant()
    {
        var managed = new Dictionary<string, (double Time, double Mean, double Allocated)>
        {
            ["DiscontigTwoNodeBenchmarks.PfnToPage_Random_Runtime()"] = (4.0, 4.2, 0),
            ["DiscontigTwoNodeBenchmarks.PfnToPage_Random_Generated()"] = (1.0, 1.1, 0),
            ["DiscontigEightNodeBenchmarks.PageToPfn_Sequential_GenericMath()"] = (2.5, 2.6, 0),
        };
        var native = new Dictionary<string, double> { ["DiscontigTwoNode.PfnToPage.Random"] = 2.0 };

        string svg = Chart.Render(managed, native, "minimum");

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
        Assert.Contains(">DISCONTIGMEM, 2 nodes</text>", svg);
        Assert.Contains(">DISCONTIGMEM, 8 nodes</text>", svg);
        Assert.DoesNotContain(">FLATMEM</text>", svg);
        Assert.Contains(">PfnToPage · Random</text>", svg);
        Assert.Contains(">PageToPfn · Sequential</text>", svg);

        // The two-node panel's scale runs to 5 ns (the next 1-2-5 step above 4 ns) over 560 pixels.
        Assert.Matches("<rect x=\"210\" y=\"\\d+\" width=\"448\" height=\"4\" fill=\"#9e9e9e\"><title>DISCONTIGMEM, 2 nodes, PfnToPage · Random, Runtime-configured: 4.000 ns</title>", svg);
        Assert.Matches("width=\"112\" height=\"4\" fill=\"#1565c0\"><title>DISCONTIGMEM, 2 nodes, PfnToPage · Random, Generated: 1.000 ns</title>", svg);
        Assert.Matches("width=\"224\" height=\"4\" fill=\"#2e7d32\"><title>DISCONTIGMEM, 2 nodes, PfnToPage · Random, Native C \\(gcc -O2\\): 2.000 ns</title>", svg);

        // No bar for a value that was not measured: the two-node row has three, the eight-node row one.
        Assert.Equal(4, Regex.Matches(svg, "<rect x=\"210\"").Count);
        Assert.EndsWith("</svg>\n", svg);
    }
}
