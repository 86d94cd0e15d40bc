using System;
using System.Linq;
using BenchmarkDotNet.Running;
using PhysMem.Benchmarks.Native;

namespace PhysMem.Benchmarks;

/// <summary>
/// Runs the benchmarks (<c>dotnet run -c Release --project benchmarks/PhysMem.Benchmarks -- --filter '*'</c>),
/// or a command. Two are used by <c>benchmarks/native/run.sh</c>:
/// <c>native-export DIR</c> writes the streams, layouts and expected checksums for the native C
/// program; <c>report [--native CSV] [--results DIR]</c> prints the tables of RESULTS.md from the
/// BenchmarkDotNet results and the native results. <c>generator-steps [N]</c> prints the run
/// reason of every generator step after an unrelated edit; <c>generator-cpu [N] [RUNS]</c> its cost
/// in thread CPU time and allocation (for comparing builds on a shared machine). <c>startup</c> and
/// <c>walk</c> time model construction and a whole-memmap walk against the native start-up program
/// (<see cref="Startup.StartupCommand"/>, <see cref="Startup.WalkCommand"/>); <c>dump-statistics</c>
/// interleaves a kernel dump's statistics with reading its memmap (<see cref="VmcoreStatisticsCommand"/>); <c>ratios</c> joins
/// several interleaved runs of the matrix (<see cref="RoundsReport"/>); <c>paired</c> runs each
/// generated loop against the same C loop pass by pass in one process (<see cref="PairedCommand"/>). <c>--quick [FILTER]</c> runs every
/// benchmark once, untimed, and checks that the variants agree (<see cref="Quick.QuickRun"/>; CI runs it).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.FirstOrDefault())
        {
            case "native-export":
                return NativeExport.Run(args.Skip(1).ToArray());
            case "report":
                return Report.Run(args.Skip(1).ToArray());
            case "--quick":
                return Quick.QuickRun.Command(args.Skip(1).ToArray());
            case "ratios":
                return RoundsReport.Run(args.Skip(1).ToArray());
            case "paired":
                return PairedCommand.Run(args.Skip(1).ToArray());
            case "startup":
                return Startup.StartupCommand.Run(args.Skip(1).ToArray());
            case "walk":
                return Startup.WalkCommand.Run(args.Skip(1).ToArray());
            case "dump-statistics":
                return VmcoreStatisticsCommand.Run(args.Skip(1).ToArray());
            case "generator-steps":
                return Generator.GeneratorSteps.Run(args.Skip(1).ToArray());
            case "generator-cpu":
                return Generator.GeneratorCpu.Run(args.Skip(1).ToArray());
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create(args));
                return 0;
        }
    }
}
