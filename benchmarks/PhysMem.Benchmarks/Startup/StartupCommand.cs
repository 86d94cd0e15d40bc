using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using PhysMem.Benchmarks.Models;

namespace PhysMem.Benchmarks.Startup;

/// <summary>
/// <c>startup [--native PROGRAM] [--rounds N] [--sizes 4,64,256,1024] [--model TEXT]</c>: builds and
/// disposes every model at every size in this process, and the C program's memmap with each of its
/// modes in a child process, interleaved (round 1: every size, C then C#; round 2; ...), and prints
/// one table per size: the time as median (min-max) over the rounds, page faults, compaction stalls,
/// resident memory, whether huge pages were free, and each model's ratios to the C baselines of the
/// same round. A target counts as met only when every round meets it.
/// </summary>
public static class StartupCommand
{
    /// <summary>The command.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        const string Usage = "startup [--native PROGRAM] [--rounds N] [--sizes 4,64,256,1024] [--model TEXT]";
        if (!OptionsKnown(args, Usage, "--native", "--rounds", "--sizes", "--model")
            || !Count(args, "--rounds", 3, Usage, out int rounds) || !Counts(args, "--sizes", "4,64,256,1024", Usage, out int[] sizes))
        {
            return 2;
        }

        string? native = Option(args, "--native");
        string? only = Option(args, "--model");
        var models = StartupModel.All.Where(m => only is null || m.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (models.Count == 0)
        {
            Console.Error.WriteLine($"startup: no model's name contains \"{only}\"; the models: {string.Join(", ", StartupModel.All.Select(m => m.Name))}");
            return 2;
        }

        Console.WriteLine($"# start-up: {rounds} interleaved rounds; load {Load()}; THP {Thp("enabled")}, defrag {Thp("defrag")}; {PageReporting()}");
        WarmUp(models, sizes);

        var samples = new Dictionary<(int Size, string Variant), List<StartupSample>>();
        var skipped = new Dictionary<(int Size, string Variant), string>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (int gib in sizes)
            {
                var map = PcMemory.Map(gib);
                ulong cBytes = StorageCost.For(VmemmapModel.Layout, map).MemmapBytes;
                if (native is not null)
                {
                    foreach (string mode in NativeStartup.Modes)
                    {
                        string variant = "C " + mode;
                        if (skipped.ContainsKey((gib, variant)))
                        {
                            continue;
                        }

                        if (StartupModel.WhyNot(gib, cBytes) is { } why)
                        {
                            Skip(samples, skipped, (gib, variant), why, round);
                        }
                        else if (NativeStartup.Build(native, cBytes, mode) is { } sample)
                        {
                            Add(samples, (gib, variant), sample);
                        }
                    }
                }

                foreach (var model in models.Where(m => m.SizesGiB.Contains(gib)))
                {
                    ulong bytes = StorageCost.For(model.Layout, map).MemmapBytes;
                    if (skipped.ContainsKey((gib, model.Name)))
                    {
                        continue;
                    }

                    if (StartupModel.WhyNot(gib, bytes) is { } why)
                    {
                        Skip(samples, skipped, (gib, model.Name), why, round);
                        continue;
                    }

                    Add(samples, (gib, model.Name), Measure(model, map));
                }
            }
        }

        foreach (int gib in sizes)
        {
            Print(gib, samples, skipped, rounds);
        }

        Console.WriteLine($"# load after: {Load()}");
        return 0;
    }

    // The rounds measure the steady state, as BenchmarkDotNet's warm-up does. Under the runtime's
    // defaults a method is first compiled without optimization (tier 0) and compiled again on a
    // background thread once it has been called 30 times, 100 ms after the last tier-0 compilation;
    // with one build of each model at 4 GiB as the only warm-up, the first round's deferred builds at
    // 256 GiB took 10-14 ms to usable against 3-5 ms in the later rounds (four runs of this 2-CPU
    // machine), and a first round at 256 GiB could still be slow after the 4 GiB builds alone. So every
    // model is first built once at each size of the run (a round that is not counted, so that code
    // only a large map runs is compiled; C's programs are processes of their own and have no such
    // state), then built and fully initialized at 4 GiB (where both nodes defer sections) 40 times and
    // for at least a second, so that what a build calls is called often enough to be compiled again,
    // and then the runtime is given until it has compiled nothing for 200 ms (at most 5 s).
    private static void WarmUp(IReadOnlyList<StartupModel> models, int[] sizes)
    {
        var clock = Stopwatch.StartNew();
        foreach (int gib in sizes)
        {
            var map = PcMemory.Map(gib);
            foreach (var model in models.Where(m => m.SizesGiB.Contains(gib) && StartupModel.WhyNot(gib, StorageCost.For(m.Layout, map).MemmapBytes) is null))
            {
                Build(model, map);
            }
        }

        int builds = 0;
        var small = PcMemory.Map(4);
        for (; builds < 40 || clock.ElapsedMilliseconds < 1000; builds++)
        {
            foreach (var model in models)
            {
                Build(model, small);
            }
        }

        long warmMs = clock.ElapsedMilliseconds;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        bool quiet;
        do
        {
            Thread.Sleep(200);
        }
        while (!(quiet = compiled == (compiled = System.Runtime.JitInfo.GetCompiledMethodCount())) && clock.ElapsedMilliseconds < warmMs + 5000);

        Console.WriteLine($"# warm-up: one build of each model at each size and {builds} at 4 GiB in {warmMs} ms, then {clock.ElapsedMilliseconds - warmMs} ms "
            + (quiet ? "until the runtime had compiled nothing for 200 ms" : "in which the runtime was still compiling (the wait stops at 5 s)"));

        static void Build(StartupModel model, MemoryMap map)
        {
            using var built = model.Build(map);
            model.WaitForInit?.Invoke(built);
        }
    }

    private static StartupSample Measure(StartupModel model, MemoryMap map)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long blocks = ProcessCounters.FreeHugeBlocks();
        ProcessCounters.ResetPeak();
        long rssBefore = ProcessCounters.StatusKib("VmRSS");
        var (minor, major) = ProcessCounters.PageFaults();
        long stalls = ProcessCounters.VmStat("compact_stall");
        var clock = Stopwatch.StartNew();
        var built = model.Build(map);
        double buildMs = clock.Elapsed.TotalMilliseconds;
        model.WaitForInit?.Invoke(built);
        double readyMs = clock.Elapsed.TotalMilliseconds;
        long rss = ProcessCounters.StatusKib("VmRSS");
        built.Dispose();
        double totalMs = clock.Elapsed.TotalMilliseconds;
        long hwm = ProcessCounters.StatusKib("VmHWM");
        var (minorAfter, majorAfter) = ProcessCounters.PageFaults();
        long stallsAfter = ProcessCounters.VmStat("compact_stall");
        return new StartupSample(totalMs, buildMs, minorAfter - minor, majorAfter - major, stalls < 0 ? -1 : stallsAfter - stalls, rss - rssBefore, hwm - rssBefore, blocks, readyMs);
    }

    private static void Print(int gib, Dictionary<(int Size, string Variant), List<StartupSample>> samples, Dictionary<(int Size, string Variant), string> skipped, int rounds)
    {
        // The deferred builds have their own table (PrintDeferred); here they are rows like the rest,
        // whose build column is the time-to-usable.
        Console.WriteLine();
        Console.WriteLine($"## {gib} GiB PC map");
        Console.WriteLine();
        Console.WriteLine("| variant | build + dispose, ms | build, ms | minflt | majflt | compact_stall | VmRSS growth MiB | VmHWM growth MiB | free 2 MiB blocks | / C best | / C 4k | within 1.25x of C best | not slower than C 4k | build + dispose by round, ms |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|");
        var variants = NativeStartup.Modes.Select(m => "C " + m).Concat(StartupModel.All.Select(m => m.Name));
        foreach (string variant in variants)
        {
            if (skipped.TryGetValue((gib, variant), out string? why))
            {
                Console.WriteLine($"| {variant} | {why} |");
                continue;
            }

            if (!samples.TryGetValue((gib, variant), out var s))
            {
                continue;
            }

            // Each round's ratio uses the C samples of the same round (the i-th of each list).
            var best = new List<double>();
            var fourK = new List<double>();
            for (int i = 0; i < s.Count; i++)
            {
                var cBest = NativeStartup.Modes.Select(m => samples.TryGetValue((gib, "C " + m), out var c) && c.Count > i ? c[i].TotalMs : double.NaN).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();
                double c4k = samples.TryGetValue((gib, "C 4k"), out var k) && k.Count > i ? k[i].TotalMs : double.NaN;
                if (!double.IsNaN(cBest))
                {
                    best.Add(s[i].TotalMs / cBest);
                }

                if (!double.IsNaN(c4k))
                {
                    fourK.Add(s[i].TotalMs / c4k);
                }
            }

            bool isC = variant.StartsWith("C ", StringComparison.Ordinal);
            Console.WriteLine(string.Join(" | ", new[]
            {
                "| " + variant,
                Rounds.Spread(s.Select(x => x.TotalMs).ToList(), "F0"),
                Rounds.Spread(s.Select(x => x.BuildMs).ToList(), "F0"),
                Rounds.Spread(s.Select(x => (double)x.MinorFaults).ToList(), "F0"),
                Rounds.Spread(s.Select(x => (double)x.MajorFaults).ToList(), "F0"),
                Rounds.Spread(s.Select(x => (double)x.CompactStalls).ToList(), "F0"),
                Rounds.Spread(s.Select(x => x.RssKib / 1024.0).ToList(), "F0"),
                Rounds.Spread(s.Select(x => x.HwmKib / 1024.0).ToList(), "F0"),
                Rounds.Spread(s.Select(x => (double)x.FreeHugeBlocks).ToList(), "F0"),
                Rounds.Spread(best, "F2"),
                Rounds.Spread(fourK, "F2"),
                isC ? "-" : Rounds.Verdict(best, 1.25),
                isC ? "-" : Rounds.Verdict(fourK, 1.0),
                ByRound(s.Select(x => x.TotalMs), "F0"),
            }));
            if (s.Count < rounds)
            {
                Console.WriteLine($"|   ({s.Count} of {rounds} rounds ran) |");
            }
        }

        PrintDeferred(gib, samples);
    }

    // Time-to-usable with deferred init against the full build of the same model without it, round by
    // round (the i-th sample of each): the issue's target is at most 5% in every round.
    private static void PrintDeferred(int gib, Dictionary<(int Size, string Variant), List<StartupSample>> samples)
    {
        var deferred = StartupModel.All.Where(m => m.EagerName is not null && samples.ContainsKey((gib, m.Name))).ToList();
        if (deferred.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| deferred init | time-to-usable, ms | fully initialized, ms | eager full build, ms | usable / eager full build | fully initialized / eager full build | usable within 5% of the full build | time-to-usable by round, ms |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|---|---|");
        foreach (var model in deferred)
        {
            var s = samples[(gib, model.Name)];
            if (!samples.TryGetValue((gib, model.EagerName!), out var eager))
            {
                continue;
            }

            int n = Math.Min(s.Count, eager.Count);
            var usable = Enumerable.Range(0, n).Select(i => s[i].BuildMs / eager[i].BuildMs).ToList();
            var ready = Enumerable.Range(0, n).Select(i => s[i].ReadyMs / eager[i].BuildMs).ToList();
            Console.WriteLine(string.Join(" | ", new[]
            {
                "| " + model.Name,
                Rounds.Spread(s.Select(x => x.BuildMs).ToList(), "F1"),
                Rounds.Spread(s.Select(x => x.ReadyMs).ToList(), "F0"),
                Rounds.Spread(eager.Select(x => x.BuildMs).ToList(), "F0"),
                Rounds.Spread(usable, "F3"),
                Rounds.Spread(ready, "F2"),
                Rounds.Verdict(usable, 0.05),
                ByRound(s.Select(x => x.BuildMs), "F1"),
            }));
        }
    }

    private static string ByRound(IEnumerable<double> values, string format) =>
        string.Join(" / ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + " |";

    // A variant that does not fit in some round is left out of every round, its earlier samples
    // dropped: a row of fewer rounds than the others would not be comparable, and a deferred row
    // must not be set against an eager one of other rounds.
    private static void Skip(Dictionary<(int Size, string Variant), List<StartupSample>> samples, Dictionary<(int Size, string Variant), string> skipped, (int, string) key, string why, int round)
    {
        samples.Remove(key);
        skipped[key] = round == 0 ? why : why + $" (in round {round + 1}; the earlier rounds' samples are left out)";
    }

    private static void Add(Dictionary<(int Size, string Variant), List<StartupSample>> samples, (int, string) key, StartupSample sample)
    {
        if (!samples.TryGetValue(key, out var list))
        {
            samples[key] = list = [];
        }

        list.Add(sample);
    }

    /// <summary>
    /// Whether <paramref name="args"/> are only the <paramref name="known"/> options, each with a value;
    /// otherwise prints <paramref name="usage"/> on stderr (a run of many minutes should not start on a misspelt option).
    /// </summary>
    /// <param name="args">The command's arguments.</param>
    /// <param name="usage">The command's usage line.</param>
    /// <param name="known">The options it takes.</param>
    /// <returns>True when every argument is a known option followed by its value.</returns>
    internal static bool OptionsKnown(string[] args, string usage, params string[] known)
    {
        for (int i = 0; i < args.Length; i += 2)
        {
            if (Array.IndexOf(known, args[i]) < 0 || i + 1 >= args.Length)
            {
                Console.Error.WriteLine((Array.IndexOf(known, args[i]) < 0 ? "unknown option '" + args[i] + "'" : args[i] + " needs a value") + "; usage: " + usage);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The positive whole numbers after <paramref name="name"/> (comma separated), or those of
    /// <paramref name="fallback"/> when it is not given; otherwise prints what is wrong and
    /// <paramref name="usage"/> on stderr and returns false (a count of 0 would leave a table with no round).
    /// </summary>
    /// <param name="args">The command's arguments.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">Its value when not given.</param>
    /// <param name="usage">The command's usage line.</param>
    /// <param name="values">The numbers, one for an option that takes one.</param>
    /// <returns>True when every number is a whole number of at least 1.</returns>
    internal static bool Counts(string[] args, string name, string fallback, string usage, out int[] values)
    {
        string text = Option(args, name) ?? fallback;
        var parsed = text.Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : 0).ToArray();
        if (parsed.Any(v => v == 0))
        {
            Console.Error.WriteLine($"{name} takes whole numbers of at least 1, not '{text}'; usage: {usage}");
            values = [];
            return false;
        }

        values = parsed;
        return true;
    }

    /// <summary>One positive whole number after <paramref name="name"/>, or <paramref name="fallback"/>; see <see cref="Counts"/>.</summary>
    /// <param name="args">The command's arguments.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">Its value when not given.</param>
    /// <param name="usage">The command's usage line.</param>
    /// <param name="value">The number.</param>
    /// <returns>True when it is one whole number of at least 1.</returns>
    internal static bool Count(string[] args, string name, int fallback, string usage, out int value)
    {
        value = 0;
        if (!Counts(args, name, fallback.ToString(CultureInfo.InvariantCulture), usage, out int[] values))
        {
            return false;
        }

        if (values.Length != 1)
        {
            Console.Error.WriteLine($"{name} takes one number; usage: {usage}");
            return false;
        }

        value = values[0];
        return true;
    }

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="name">The option.</param>
    /// <returns>Its value.</returns>
    internal static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The load averages, for the header of every table.</summary>
    /// <returns>The first three fields of /proc/loadavg, or "unknown".</returns>
    internal static string Load() =>
        System.IO.File.Exists("/proc/loadavg") ? string.Join(' ', System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // Free page reporting (mm/page_reporting.c, used by virtio-balloon): a guest hands free blocks of
    // 2^order pages back to its host, and the first touch of such memory later faults in the host as
    // well. On the machine of RESULTS.md that made whole rounds take seconds, so the header says
    // whether a device reports, and from which order. The parameter exists in every kernel built with
    // CONFIG_PAGE_REPORTING and reads as -1 (an unsigned int) until a device registers.
    private static string PageReporting()
    {
        const string Path = "/sys/module/page_reporting/parameters/page_reporting_order";
        string? order = System.IO.File.Exists(Path) ? System.IO.File.ReadAllText(Path).Trim() : null;
        return order is null ? "no free page reporting"
            : uint.TryParse(order, NumberStyles.None, CultureInfo.InvariantCulture, out uint o) && o < 64 ? "free page reporting: page_reporting_order " + order
            : "free page reporting built in, no device registered (page_reporting_order " + order + ")";
    }

    private static string Thp(string file)
    {
        string path = "/sys/kernel/mm/transparent_hugepage/" + file;
        return System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() : "unknown";
    }
}
