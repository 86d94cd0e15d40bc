using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace PhysMem.Benchmarks.Generator;

/// <summary>
/// <c>generator-cpu [N] [RUNS]</c>: the cost of an unrelated edit at N models (default 500) for the
/// generator and for the attribute-only baseline, as the calling thread's CPU time (on Linux,
/// <c>CLOCK_THREAD_CPUTIME_ID</c>: time spent waiting for a core does not count, so it separates
/// builds on a shared machine where wall-clock times do not) and the bytes allocated, minimum and
/// median over RUNS edits (default 40). Elsewhere it falls back to wall-clock time. A measurement for
/// comparing two builds, run once on each; the BenchmarkDotNet rows remain the published numbers.
/// </summary>
public static class GeneratorCpu
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The model count and the number of runs.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int models = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        var compilation = GeneratorInputs.Create(models);
        string clock = OperatingSystem.IsLinux() ? "thread CPU" : "wall clock";
        foreach (var (name, fresh) in new (string, GeneratorDriver)[] { ("UnrelatedEdit", GeneratorInputs.CreateDriver()), ("UnrelatedEditBaseline", GeneratorInputs.CreateBaselineDriver()) })
        {
            var driver = fresh.RunGenerators(compilation);
            for (int i = 0; i < 30; i++)
            {
                driver.RunGenerators(compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit));
            }

            var times = new List<double>();
            long allocated = 0;
            for (int i = 0; i < runs; i++)
            {
                var edited = compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long bytes = GC.GetTotalAllocatedBytes(precise: true);
                double start = NowMs();
                driver.RunGenerators(edited);
                times.Add(NowMs() - start);
                allocated += GC.GetTotalAllocatedBytes(precise: true) - bytes;
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} {models} models, {runs} runs: {clock} min {times[0]:0.00} ms, median {times[runs / 2]:0.00} ms; allocated {allocated / runs / 1024} KB per run"));
        }

        return 0;
    }

    private static double NowMs()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuTimeClock, out var ts) == 0)
        {
            return (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6);
        }

        return System.Diagnostics.Stopwatch.GetTimestamp() * 1e3 / System.Diagnostics.Stopwatch.Frequency;
    }

    private const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
