using System.IO;
using BenchmarkDotNet.Attributes;
using PhysMem.Benchmarks.Quick;
using Xunit;

namespace PhysMem.Benchmarks.Tests;

/// <summary>
/// The benchmarks' quick mode (<c>--quick</c>) as CI's smoke test: every benchmark of every model
/// and of the generator runs once, and the variants of each operation return the same results. No
/// timing is measured or asserted.
/// </summary>
public class QuickModeTests
{
    [Fact]
    public void Every_benchmark_runs_and_all_variants_agree()
    {
        var log = new StringWriter();

        var problems = QuickRun.Run(log, QuickRun.BenchmarkClasses());

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + log);
        string output = log.ToString();
        foreach (string model in new[] { "Flat", "ClassicStatic", "ClassicExtreme", "Vmemmap", "DiscontigTwoNode", "DiscontigEightNode" })
        {
            Assert.Contains(model + "Benchmarks: 48 benchmarks ran, 14 groups of variants compared", output);
        }

        Assert.Contains("GeneratorBenchmarks(ModelCount=500): 4 benchmarks ran", output);
    }

    [Fact]
    public void A_variant_that_disagrees_is_reported()
    {
        var log = new StringWriter();

        var problems = QuickRun.Run(log, new[] { typeof(DisagreeingBenchmarks) });

        string problem = Assert.Single(problems);
        Assert.Equal("DisagreeingBenchmarks: Wrong returned 8, Right 7", problem);
    }

    [Fact]
    public void A_setup_that_throws_is_reported()
    {
        var problems = QuickRun.Run(new StringWriter(), new[] { typeof(FailingSetupBenchmarks) });

        Assert.Equal("FailingSetupBenchmarks: InvalidOperationException: the variants disagree", Assert.Single(problems));
    }

    public class DisagreeingBenchmarks
    {
        [BenchmarkCategory("Op.Stream")]
        [Benchmark(Baseline = true)]
        public ulong Right() => 7;

        [BenchmarkCategory("Op.Stream")]
        [Benchmark]
        public ulong Wrong() => 8;

        [BenchmarkCategory("Other.Stream")]
        [Benchmark]
        public ulong Alone() => 9;
    }

    public class FailingSetupBenchmarks
    {
        [GlobalSetup]
        public void Setup() => throw new System.InvalidOperationException("the variants disagree");

        [Benchmark]
        public ulong Op() => 1;
    }
}
