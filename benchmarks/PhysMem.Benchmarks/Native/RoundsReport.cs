using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PhysMem.Benchmarks.Startup;

namespace PhysMem.Benchmarks.Native;

/// <summary>
/// <c>ratios --round CSV DIR [--round CSV DIR]... [--job ID]</c>: the ratios of the conversion
/// matrix over several interleaved runs (each run: the native C program's CSV and a BenchmarkDotNet
/// results folder, taken one after the other by <c>run.sh</c>), each ratio as the median of the
/// runs with its spread (min-max), from the medians of each run. A target counts as met only when
/// every run meets it: generated within 1.10× of C for <c>PfnToPage</c> and <c>PageToPfn</c>,
/// runtime-configured ÷ generated at least 1.5 for the classic SPARSEMEM and DISCONTIGMEM lookups
/// and at least 1 everywhere, generated at least as fast as generic-math.
/// </summary>
public static class RoundsReport
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var paths = new List<(string Native, string Results)>();
        string? job = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--round" && i + 2 < args.Length)
            {
                paths.Add((args[i + 1], args[i + 2]));
                i += 2;
            }
            else if (args[i] == "--job" && i + 1 < args.Length)
            {
                job = args[++i];
            }
            else
            {
                Console.Error.WriteLine("usage: ratios --round NATIVE_CSV RESULTS_DIR [--round ...]... [--job ID]");
                return 2;
            }
        }

        var rounds = paths.Select(p => (Report.ReadBenchmarkDotNet([p.Results], useMin: false, job), Report.ReadNative([p.Native], useMin: false))).ToList();
        Console.Write(Render(rounds, job ?? "every job"));
        return 0;
    }

    private static string Render(List<(Dictionary<string, (double Time, double Mean, double Allocated)> Managed, Dictionary<string, double> Native)> rounds, string job)
    {
        var sb = new StringBuilder();
        sb.Append($"\nRatios over {rounds.Count} interleaved runs ({job}): median of the runs (min-max), each run's ratio from its own medians; a target is met only when every run meets it.\n");
        var misses = new List<string>();
        foreach (var (type, nativeName, title) in Report.Models)
        {
            if (!rounds.Any(r => r.Managed.Keys.Any(k => k.StartsWith(type + ".", StringComparison.Ordinal))))
            {
                continue;
            }

            sb.Append("\n#### ").Append(title).Append("\n\n");
            sb.Append("| Operation | Stream | Generated ÷ C | Runtime ÷ Generated | Generated ÷ Generic-math |\n|---|---|---:|---:|---:|\n");
            foreach (string op in Report.Operations)
            {
                foreach (string stream in Report.Streams)
                {
                    var toC = new List<double>();
                    var runToGen = new List<double>();
                    var toMath = new List<double>();
                    foreach (var (managed, native) in rounds)
                    {
                        double gen = Report.TimeOf(managed, type, op, stream, "Generated");
                        double run = Report.TimeOf(managed, type, op, stream, "Runtime");
                        double math = Report.TimeOf(managed, type, op, stream, "GenericMath");
                        double c = native.TryGetValue(nativeName + "." + op + "." + stream, out double v) ? v : double.NaN;
                        AddIf(toC, gen / c);
                        AddIf(runToGen, run / gen);
                        AddIf(toMath, gen / math);
                    }

                    if (toC.Count + runToGen.Count == 0)
                    {
                        continue;
                    }

                    sb.Append($"| {op} | {stream} | {Rounds.Spread(toC, "F2")} | {Rounds.Spread(runToGen, "F2")} | {Rounds.Spread(toMath, "F2")} |\n");
                    string where = $"{title}, {op}, {stream}";
                    if (op is "PfnToPage" or "PageToPfn" && toC.Count > 0 && toC.Max() > 1.10)
                    {
                        misses.Add($"{where}: Generated ÷ C {Rounds.Spread(toC, "F2")}, {Rounds.Verdict(toC, 1.10)} (target ≤ 1.10)");
                    }

                    bool lookup = op is "PfnToPage" or "PageToPfn" or "PfnValid" or "RoundTrip";
                    bool constantsMatter = type.StartsWith("Classic", StringComparison.Ordinal) || type.StartsWith("Discontig", StringComparison.Ordinal);
                    double floor = constantsMatter && lookup ? 1.5 : 1.0;
                    if (runToGen.Count > 0 && runToGen.Min() < floor)
                    {
                        misses.Add($"{where}: Runtime ÷ Generated {Rounds.Spread(runToGen, "F2")}, below {floor:0.0} in {runToGen.Count(r => r < floor)}/{runToGen.Count}");
                    }

                    if (toMath.Count > 0 && toMath.Max() > 1.0)
                    {
                        misses.Add($"{where}: Generated ÷ Generic-math {Rounds.Spread(toMath, "F2")}, {Rounds.Verdict(toMath, 1.0)} (target ≤ 1.00)");
                    }
                }
            }
        }

        sb.Append("\n#### Targets over every run\n\n").Append(misses.Count == 0 ? "Every target is met in every run.\n" : "Missed in at least one run:\n\n");
        foreach (string miss in misses)
        {
            sb.Append("- ").Append(miss).Append('\n');
        }

        return sb.ToString();
    }

    private static void AddIf(List<double> list, double ratio)
    {
        if (!double.IsNaN(ratio) && !double.IsInfinity(ratio))
        {
            list.Add(ratio);
        }
    }
}
