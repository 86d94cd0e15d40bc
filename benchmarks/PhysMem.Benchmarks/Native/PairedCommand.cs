using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using PhysMem.Benchmarks.Startup;

namespace PhysMem.Benchmarks.Native;

/// <summary>
/// <c>paired --native DIR [--runs N] [--rounds N] [--model NAME] [--job Matrix|Defaults]</c>: the
/// generated variant of every conversion loop against the same C loop in one process, pass by pass.
/// </summary>
/// <remarks>
/// <para>
/// The matrix (<c>run.sh</c>, <see cref="RoundsReport"/>) runs the C programs and then the C#
/// benchmarks minutes apart, and this machine's speed for these loops falls in two bands that change
/// from one moment to the next: the same C program measured classic EXTREME <c>PfnToPage</c> at 0.88
/// and 1.27 ns per pfn seconds apart. A ratio of numbers taken minutes apart then says which band each
/// side drew. Here both sides run in one process, each sample of C followed or preceded by a sample of
/// the generated code over the same streams (alternating which goes first), so both draw the same
/// band; a run's ratio is the median of its pairs' ratios.
/// </para>
/// <para>
/// The C side is <c>native/physmem_bench.c</c> built as a shared library per model
/// (<c>DIR/libbench-MODEL.so</c>, with the files of <c>native-export</c> in DIR; <c>run.sh</c> builds
/// both), which rebuilds the model's memory and checks the C# checksums before it times anything.
/// The C# side is the benchmark class's <c>Operation_Stream_Generated</c> method, the one
/// BenchmarkDotNet times. Each run is a process of its own (the code's placement is a property of the
/// process), started with the job's environment: <c>Matrix</c> with tiered compilation off,
/// <c>Defaults</c> with the runtime's defaults; both unless <c>--job</c> names one. A target
/// (generated within 1.10x of C for <c>PfnToPage</c> and <c>PageToPfn</c>) counts as met only when
/// every run meets it.
/// </para>
/// </remarks>
public static unsafe class PairedCommand
{
    private const string Usage = "usage: paired --native DIR [--runs N] [--rounds N] [--model NAME] [--job Matrix|Defaults]";

    // Each sample runs the loop for at least this long (both sides the same number of passes).
    private const double SampleMs = 15;

    private static readonly (string Job, string Says, string? TieredCompilation)[] Jobs =
    {
        ("Matrix", "tiered compilation off", "0"),
        ("Defaults", "the runtime's defaults", null),
    };

    /// <summary>Runs the command.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>0, 1 when a library cannot be used or a run failed, 2 for bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? native = null;
        string? model = null;
        string? job = null;
        int runs = 3;
        int rounds = 9;
        bool child = false;
        for (int i = 0; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--native" when hasValue:
                    native = args[++i];
                    break;
                case "--model" when hasValue:
                    model = args[++i];
                    break;
                case "--job" when hasValue && Jobs.Any(j => j.Job == args[i + 1]):
                    job = args[++i];
                    break;
                case "--runs" when hasValue && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out runs) && runs > 0:
                    i++;
                    break;
                case "--rounds" when hasValue && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds > 0:
                    i++;
                    break;
                case "--child":
                    child = true;
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        if (native == null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var models = Report.Models.Where(m => model == null || string.Equals(m.Native, model, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Title, model, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (models.Length == 0)
        {
            Console.Error.WriteLine($"paired: no model is called '{model}'; the models: {string.Join(", ", Report.Models.Select(m => m.Native))}");
            return 2;
        }

        foreach (var m in models)
        {
            if (BenchLibrary.WhyNot(LibraryPath(native, m.Native)) is string why)
            {
                Console.Error.WriteLine("paired: " + why);
                return 1;
            }
        }

        if (!child)
        {
            return RunAll(args, job, runs, rounds);
        }

        try
        {
            return Measure(native, models, rounds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TargetInvocationException or InvalidOperationException)
        {
            Console.Error.WriteLine("paired: " + (e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message));
            return 1;
        }
    }

    private static string LibraryPath(string dir, string model) => Path.Combine(dir, "libbench-" + model + ".so");

    // The parent: each run of each job is a child process; the samples come back on its output.
    private static int RunAll(string[] args, string? onlyJob, int runs, int rounds)
    {
        var childArgs = new List<string> { "paired", "--child" };
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--runs" or "--job")
            {
                i++;
            }
            else
            {
                childArgs.Add(args[i]);
            }
        }

        var output = new StringBuilder();
        Console.WriteLine($"# paired: C and generated C# pass by pass in one process, {Plural(rounds, "round")} per run, {Plural(runs, "run")} per job, load {Load()}");
        foreach (var (jobName, says, tiered) in Jobs.Where(j => onlyJob == null || j.Job == onlyJob))
        {
            var samples = new List<List<Sample>>();
            for (int run = 1; run <= runs; run++)
            {
                Console.Error.WriteLine($"paired: {jobName}, run {run} of {runs} (load {Load()})");
                int code;
                List<string> lines;
                string error;
                try
                {
                    (code, lines, error) = RunChild(childArgs, tiered);
                }
                catch (System.ComponentModel.Win32Exception e)
                {
                    Console.Error.WriteLine($"paired: could not start a run: {e.Message}");
                    return 1;
                }

                if (code != 0)
                {
                    Console.Error.WriteLine(error.Length > 0 ? error.TrimEnd() : $"paired: run {run} of the {jobName} job ended with exit code {code}");
                    return 1;
                }

                samples.Add(lines.Select(Sample.Parse).Where(s => s != null).Select(s => s!.Value).ToList());
            }

            Console.Write(Render(jobName, says, samples));
        }

        Console.WriteLine($"# load after: {Load()}");
        return 0;
    }

    private static (int Code, List<string> Lines, string Error) RunChild(List<string> args, string? tieredCompilation)
    {
        // This assembly through the dotnet host, whether the command was started through it, through
        // the apphost (dotnet run), or from another program (the tests).
        string? self = Environment.ProcessPath;
        string host = self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(PairedCommand).Assembly.Location);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_TieredCompilation");
        if (tieredCompilation != null)
        {
            start.Environment["DOTNET_TieredCompilation"] = tieredCompilation;
        }

        using var process = Process.Start(start) ?? throw new System.ComponentModel.Win32Exception($"{host}: no process started");
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (error)
                {
                    error.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var lines = new List<string>();
        for (string? line; (line = process.StandardOutput.ReadLine()) != null;)
        {
            lines.Add(line);
        }

        process.WaitForExit();
        lock (error)
        {
            return (process.ExitCode, lines, error.ToString());
        }
    }

    // One child run: every model's library and benchmark class, warmed up, then the rounds.
    private static int Measure(string dir, (string Type, string Native, string Title)[] models, int rounds)
    {
        foreach (var (type, nativeName, _) in models)
        {
            // Each model's library stays loaded with its memory until the run's process ends (the C file has no teardown).
            var c = BenchLibrary.Open(LibraryPath(dir, nativeName), Path.Combine(dir, nativeName + ".bin"), Path.Combine(dir, nativeName + ".expected"), out string? failure);
            if (c == null)
            {
                Console.Error.WriteLine("paired: " + failure);
                return 1;
            }

            var benchmarks = (IDisposable)Activator.CreateInstance(typeof(PairedCommand).Assembly.GetType("PhysMem.Benchmarks.Conversions." + type, throwOnError: true)!)!;
            using (benchmarks)
            {
                benchmarks.GetType().GetMethod("Setup")!.Invoke(benchmarks, null);
                var loops = new List<(string Op, string Stream, Func<ulong> Generated, ulong Passes)>();
                foreach (string op in Report.Operations)
                {
                    foreach (string stream in Report.Streams)
                    {
                        MethodInfo? method = benchmarks.GetType().GetMethod($"{op}_{stream}_Generated");
                        if (method == null || c.Time(op, stream, 1) < 0)
                        {
                            continue;
                        }

                        // SetPageLinks returns nothing: one more delegate call per pass of 4096 operations.
                        Func<ulong> generated = method.ReturnType == typeof(void)
                            ? Wrap(method.CreateDelegate<Action>(benchmarks))
                            : method.CreateDelegate<Func<ulong>>(benchmarks);
                        loops.Add((op, stream, generated, WarmUp(c, op, stream, generated)));
                    }
                }

                UntilTheLoopsAreCompiled(loops.Select(l => l.Generated).ToList());
                for (int round = 0; round < rounds; round++)
                {
                    foreach (var (op, stream, generated, passes) in loops)
                    {
                        // Alternate which side goes first, so neither always follows the other.
                        double cNs = 0;
                        double generatedNs;
                        bool cFirst = (round & 1) == 0;
                        if (cFirst)
                        {
                            cNs = c.Time(op, stream, passes);
                        }

                        generatedNs = Time(generated, passes);
                        if (!cFirst)
                        {
                            cNs = c.Time(op, stream, passes);
                        }

                        Console.WriteLine(new Sample(nativeName, op, stream, round, cNs, generatedNs).ToString());
                    }
                }
            }
        }

        return 0;
    }

    // Under tiered compilation with dynamic PGO a loop method is compiled three times (tier 0, then
    // instrumented, then tier 1), each step after 30 counted calls, and the runtime counts calls only
    // once it has gone 100 ms without compiling new code and has installed the counting in the
    // background. One batch of 60 calls per loop could all land before that: the loop then ran its
    // tier-0 form, calling PfnToPage instead of inlining it, into the first rounds (1.1-1.3x C in
    // rounds 1-3, 0.98 from round 4, in processes of the defaults job), until the rounds' own calls
    // promoted it. So batches of calls, each followed by the wait, until two batches in a row compile
    // nothing (the first quiet one may only have let the counting be installed).
    private static void UntilTheLoopsAreCompiled(List<Func<ulong>> loops)
    {
        WaitForTheJit();
        for (int batch = 0, quiet = 0; batch < 40 && quiet < 2; batch++)
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var loop in loops)
            {
                for (int call = 0; call < 60; call++)
                {
                    loop();
                }
            }

            WaitForTheJit();
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
    }

    private static Func<ulong> Wrap(Action action) => () =>
    {
        action();
        return 0;
    };

    // Runs both sides for a while (the C# side long enough for the runtime to compile it fully when
    // tiered compilation is on) and returns the passes that make a sample of SampleMs on the C side.
    private static ulong WarmUp(BenchLibrary c, string op, string stream, Func<ulong> generated)
    {
        var clock = Stopwatch.StartNew();
        ulong sink = 0;
        while (clock.ElapsedMilliseconds < 250)
        {
            sink ^= generated();
        }

        GC.KeepAlive(sink);
        ulong passes = 1;
        while (c.Time(op, stream, passes) * passes * BenchmarkMemoryPassOps < SampleMs * 1e6)
        {
            passes *= 2;
        }

        return passes;
    }

    private const double BenchmarkMemoryPassOps = Models.BenchmarkMemory.StreamLength;

    // Compiled once, fully optimized: the loop that times the generated one is not replaced (tier 0,
    // then on-stack replacement, then tier 1) while the rounds run.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Time(Func<ulong> generated, ulong passes)
    {
        ulong sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (ulong p = 0; p < passes; p++)
        {
            sink ^= generated();
        }

        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / (passes * BenchmarkMemoryPassOps);
        GC.KeepAlive(sink);
        return ns;
    }

    // Until the runtime has compiled nothing for 200 ms (at most 5 s), so that no round runs code
    // the runtime is still replacing.
    private static void WaitForTheJit()
    {
        var clock = Stopwatch.StartNew();
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        do
        {
            Thread.Sleep(200);
        }
        while (compiled != (compiled = System.Runtime.JitInfo.GetCompiledMethodCount()) && clock.ElapsedMilliseconds < 5000);
    }

    private static string Render(string job, string says, List<List<Sample>> runs)
    {
        var sb = new StringBuilder();
        sb.Append($"\n### Generated ÷ C, paired in one process ({job}: {says}), {Plural(runs.Count, "run")}\n");
        sb.Append("\nEach run's ratio is the median of its pairs' ratios; ns are the medians of every sample of every run. ");
        sb.Append("Target: PfnToPage and PageToPfn within 1.10x in every run.\n");
        var misses = new List<string>();
        int targets = 0;
        foreach (var (_, nativeName, title) in Report.Models)
        {
            var keys = runs.SelectMany(r => r).Where(s => s.Model == nativeName).Select(s => (s.Op, s.Stream)).Distinct().ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            sb.Append("\n#### ").Append(title).Append("\n\n");
            sb.Append("| Operation | Stream | C, ns | Generated, ns | Generated ÷ C by run (pairs' min-max) | median of runs (min-max) | within 1.10x, every run |\n");
            sb.Append("|---|---|--:|--:|---|--:|---|\n");
            foreach (var (op, stream) in keys)
            {
                var all = runs.SelectMany(r => r).Where(s => s.Model == nativeName && s.Op == op && s.Stream == stream).ToList();
                var byRun = runs.Select(r => r.Where(s => s.Model == nativeName && s.Op == op && s.Stream == stream).Select(s => s.GeneratedNs / s.CNs).ToList()).Where(r => r.Count > 0).ToList();
                // Judged as printed (two decimals), so that a run shown as 1.10 is one that met 1.10x.
                var runRatios = byRun.Select(r => double.Parse(F(Rounds.Median(r)), CultureInfo.InvariantCulture)).ToList();
                string perRun = string.Join(" / ", byRun.Select(r => $"{F(Rounds.Median(r))} ({F(r.Min())}-{F(r.Max())})"));
                bool target = op is "PfnToPage" or "PageToPfn";
                string verdict = target ? Rounds.Verdict(runRatios, 1.10) : "-";
                if (target)
                {
                    targets++;
                    if (runRatios.Max() > 1.10)
                    {
                        misses.Add($"{title}, {op}, {stream}: {Rounds.Spread(runRatios, "F2")}, {verdict}");
                    }
                }

                sb.Append($"| {op} | {stream} | {F(Rounds.Median(all.Select(s => s.CNs).ToList()))} | {F(Rounds.Median(all.Select(s => s.GeneratedNs).ToList()))} | {perRun} | {Rounds.Spread(runRatios, "F2")} | {verdict} |\n");
            }
        }

        sb.Append($"\n{targets - misses.Count} of {targets} targets met in every run ({job})").Append(misses.Count == 0 ? ".\n" : "; missed:\n\n");
        foreach (string miss in misses)
        {
            sb.Append("- ").Append(miss).Append('\n');
        }

        return sb.ToString();

        static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
    }

    private static string Plural(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? "" : "s");

    private static string Load()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>One pair: C and the generated code over the same stream, nanoseconds per operation.</summary>
    private readonly record struct Sample(string Model, string Op, string Stream, int Round, double CNs, double GeneratedNs)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"pair,{Model},{Op},{Stream},{Round},{CNs:R},{GeneratedNs:R}");

        public static Sample? Parse(string line)
        {
            string[] f = line.Split(',');
            return f.Length == 7 && f[0] == "pair"
                && int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out int round)
                && double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out double c)
                && double.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out double generated)
                ? new Sample(f[1], f[2], f[3], round, c, generated)
                : null;
        }
    }
}
