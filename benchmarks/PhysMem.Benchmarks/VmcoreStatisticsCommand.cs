using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using PhysMem.Benchmarks.Startup;

namespace PhysMem.Benchmarks;

/// <summary>
/// <c>dump-statistics [--rounds N] [--passes M] [--dump FILE [--kconfig FILE]]</c>: the whole-dump
/// statistics against the limit, reading every struct page's flags word from the mapping, interleaved
/// pass by pass in one process (the dump given, else that of <see cref="VmcoreStatisticsBenchmarks"/>:
/// PHYSMEM_VMCORE, or the trimmed 6.1 fixture).
/// A round is M passes of each of <see cref="VmcoreStatisticsBenchmarks.ReadMemmapFlags"/>,
/// <see cref="VmcoreStatisticsBenchmarks.Statistics"/> and <see cref="VmcoreStatisticsBenchmarks.PublicStatistics"/>,
/// taken in turn (the order rotated every pass), so that a slow stretch of the machine falls on all three
/// alike; a round's ratio is the median statistics pass over the median read. Prints each round and the
/// median (min-max) over them against the target of 2x. The benchmark class measures the same methods
/// one after another; on a machine whose speed moves by 2x within a minute, this is the same-run comparison.
/// </summary>
public static class VmcoreStatisticsCommand
{
    private const double Target = 2.0;

    /// <summary>The command.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>0; 1 when the dump cannot be read or the variants read different pages; 2 for a bad option.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        const string Usage = "dump-statistics [--rounds N] [--passes M] [--dump FILE [--kconfig FILE]]";
        if (!StartupCommand.OptionsKnown(args, Usage, "--rounds", "--passes", "--dump", "--kconfig")
            || !StartupCommand.Count(args, "--rounds", 5, Usage, out int rounds) || !StartupCommand.Count(args, "--passes", 60, Usage, out int passes))
        {
            return 2;
        }

        var bench = new VmcoreStatisticsBenchmarks { DumpPath = StartupCommand.Option(args, "--dump"), KconfigPath = StartupCommand.Option(args, "--kconfig") };
        try
        {
            bench.Setup();
        }
        catch (Exception e) when (e is IOException or VmcoreException or UnauthorizedAccessException or FormatException)
        {
            // A missing or unreadable dump (PHYSMEM_VMCORE) or configuration: say which, no stack trace.
            Console.Error.WriteLine("dump-statistics: " + e.Message);
            return 1;
        }

        try
        {
            var variants = new (string Name, Func<ulong> Pass)[]
            {
                ("ReadMemmapFlags", bench.ReadMemmapFlags),
                ("Statistics", bench.Statistics),
                ("PublicStatistics", bench.PublicStatistics),
            };

            // Every variant reads the same struct pages: a different count means they did not.
            ulong pages = variants[0].Pass();
            foreach (var (name, pass) in variants)
            {
                for (int i = 0; i < passes; i++)
                {
                    if (pass() != pages)
                    {
                        Console.Error.WriteLine($"{name} read another number of struct pages than ReadMemmapFlags ({pages})");
                        return 1;
                    }
                }
            }

            string job = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? "tiered compilation off" : "the runtime's defaults";
            Console.WriteLine($"# dump-statistics: {pages} struct pages, {rounds} rounds of {passes} interleaved passes each, {job}; load {StartupCommand.Load()}");
            Console.WriteLine();
            Console.WriteLine("| round | ReadMemmapFlags, µs | Statistics, µs | PublicStatistics, µs | Statistics / read | PublicStatistics / read |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|");
            var ratios = new List<double>[] { new(), new() };
            for (int round = 1; round <= rounds; round++)
            {
                var times = new[] { new double[passes], new double[passes], new double[passes] };
                for (int i = 0; i < passes; i++)
                {
                    for (int k = 0; k < variants.Length; k++)
                    {
                        int v = (i + k) % variants.Length;
                        long start = Stopwatch.GetTimestamp();
                        variants[v].Pass();
                        times[v][i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                }

                double read = Rounds.Median(times[0]), stats = Rounds.Median(times[1]), pub = Rounds.Median(times[2]);
                ratios[0].Add(stats / read);
                ratios[1].Add(pub / read);
                Console.WriteLine($"| {round} | {F(read, "F1")} | {F(stats, "F1")} | {F(pub, "F1")} | {F(stats / read, "F2")} | {F(pub / read, "F2")} |");
            }

            Console.WriteLine();
            Console.WriteLine($"Statistics / read: {Rounds.Spread(ratios[0], "F2")}, within {Target}x: {Rounds.Verdict(ratios[0], Target)}");
            Console.WriteLine($"PublicStatistics / read: {Rounds.Spread(ratios[1], "F2")}, within {Target}x: {Rounds.Verdict(ratios[1], Target)}");
            Console.WriteLine($"# load after: {StartupCommand.Load()}");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
