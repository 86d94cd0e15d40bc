using System;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace PhysMem.Benchmarks;

/// <summary>The configuration every run gets, on top of the command line.</summary>
public static class BenchmarkConfig
{
    /// <summary>
    /// A short job for the full matrix on a two-core machine: one launch, 3 to 10 warmup
    /// iterations (until stable), 15 measured iterations of about 25 ms, with tiered compilation
    /// off. With tiering on, BenchmarkDotNet 0.14 on .NET 10 measured many of these loop methods
    /// in their on-stack-replacement code for part or all of the run (per-iteration times of 2 to 13
    /// ns that dropped to 0.6 ns mid-measurement, or never); with it off every method is compiled
    /// once, fully optimised, and the iterations agree to within 1%. The price is no dynamic PGO,
    /// which straight-line arithmetic like this does not need. <c>--job short</c> can be given
    /// instead (then add <c>--envVars DOTNET_TieredCompilation:0</c>); this job is then not added.
    /// </summary>
    public static Job MatrixJob { get; } = Iterations()
        .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0"))
        .WithId("Matrix");

    /// <summary>
    /// The same iterations with the runtime's defaults: tiered compilation and dynamic PGO on, as
    /// users run. It runs beside <see cref="MatrixJob"/> so that RESULTS.md can say where the two
    /// differ (a method measured in its tier-0 or on-stack-replacement code shows there, and so does
    /// what PGO finds).
    /// </summary>
    public static Job DefaultsJob { get; } = Iterations().WithId("Defaults");

    // Both jobs' iterations: one launch, 3 to 10 warmup iterations, 15 measured ones of about 25 ms.
    private static Job Iterations() => Job.Default
        .WithLaunchCount(1)
        .WithMinWarmupCount(3)
        .WithMaxWarmupCount(10)
        .WithIterationCount(15)
        .WithIterationTime(TimeInterval.FromMilliseconds(25));

    /// <summary>Builds the configuration.</summary>
    /// <param name="args">The command line (a <c>--job</c> there replaces <see cref="MatrixJob"/> and <see cref="DefaultsJob"/>).</param>
    /// <returns>The configuration.</returns>
    public static IConfig Create(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var config = ManualConfig.CreateMinimumViable()
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Brief)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile)
            // The default of 2 minutes is too short for building the benchmark project (generator,
            // runtime and all) on a busy two-core machine: every benchmark then fails to build.
            .WithBuildTimeout(TimeSpan.FromMinutes(10));
        bool jobGiven = Array.Exists(args, a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        return jobGiven ? config : config.AddJob(MatrixJob, DefaultsJob);
    }
}
