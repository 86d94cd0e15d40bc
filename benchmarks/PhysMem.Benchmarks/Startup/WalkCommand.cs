using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.Startup;

/// <summary>
/// <c>walk [--native PROGRAM] [--rounds N] [--size GIB]</c>: the zone/node page count over every
/// struct page of each model's memmap (a 64 GiB PC map by default), in C# over the storage's span
/// walk (<see cref="PageStorage{TPage}.WalkMemmap"/>) through the generated
/// model's <c>page_to_nid</c>/<c>page_zonenum</c> and in the C program over a memmap with the same
/// flags words (written from the model's own), interleaved per round; prints ns per page as median
/// (min-max) over the rounds and the ratio C#/C of each round, against the target of 1.5x. The C
/// program's counts must match the C# ones (a checksum), or the row says so.
/// </summary>
public static unsafe class WalkCommand
{
    private const int Samples = 9;

    /// <summary>The command.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>The exit code: 1 when C and C# counted differently.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        const string Usage = "walk [--native PROGRAM] [--rounds N] [--size GIB]";
        if (!StartupCommand.OptionsKnown(args, Usage, "--native", "--rounds", "--size")
            || !StartupCommand.Count(args, "--rounds", 3, Usage, out int rounds) || !StartupCommand.Count(args, "--size", 64, Usage, out int gib))
        {
            return 2;
        }

        string? native = StartupCommand.Option(args, "--native");
        var map = PcMemory.Map(gib);
        Console.WriteLine($"# walk: zone/node count over every struct page of a {gib} GiB PC map, {rounds} interleaved rounds; load {StartupCommand.Load()}");
        Console.WriteLine();
        Console.WriteLine("| model | pages | C#, ns/page | C, ns/page | C# / C | within 1.5x of C |");
        Console.WriteLine("|---|--:|--:|--:|--:|---|");
        int failures = 0;
        // The deferred builds are the same memmaps once initialized: walked once, eager.
        foreach (var model in StartupModel.All.Where(m => m.WaitForInit is null))
        {
            if (StartupModel.WhyNot(gib, 2 * StorageCost.For(model.Layout, map).MemmapBytes) is { } why)
            {
                Console.WriteLine($"| {model.Name} | {why} (C# and C memmaps together) |");
                continue;
            }

            using var built = model.Build(map);
            failures += built switch
            {
                FlatModel flat => Measure(model, default(GeneratedFlat), flat.Storage, native, rounds),
                ClassicStaticModel s => Measure(model, default(GeneratedClassicStatic), s.Storage, native, rounds),
                ClassicExtremeModel e => Measure(model, default(GeneratedClassicExtreme), e.Storage, native, rounds),
                VmemmapModel vm => Measure(model, default(GeneratedVmemmap), vm.Storage, native, rounds),
                DiscontigMemory d => Measure(model, default(GeneratedDiscontigTwoNode), d, native, rounds),
                _ => throw new InvalidOperationException("No walk for " + model.Name),
            };
        }

        Console.WriteLine();
        Console.WriteLine($"# load after: {StartupCommand.Load()}");
        return failures == 0 ? 0 : 1;
    }

    private static int Measure<TOps>(StartupModel model, TOps ops, PageStorage<Page> storage, string? native, int rounds)
        where TOps : struct, IPageOperations
    {
        var layout = model.Layout;
        int zones = (int)layout.ZonesMask + 1;
        int cells = ((int)layout.NodesMask + 1) * zones;
        ulong* counts = (ulong*)NativeMemory.AllocZeroed((nuint)cells, sizeof(ulong));
        string? segments = null;
        try
        {
            if (native is not null)
            {
                var flags = new FlagsRuns { Lines = new System.Text.StringBuilder() };
                MemmapWalks.Memmap(storage, ref flags);
                flags.Flush();
                segments = Path.GetTempFileName();
                File.WriteAllText(segments, flags.Lines.ToString());
            }

            var csharp = new List<double>();
            var c = new List<double>();
            var ratios = new List<double>();
            ulong pages = 0;
            ulong checksum = 0;
            string mismatch = string.Empty;
            var counter = new ZoneNodeCounter<TOps>(ops, counts, zones);
            MemmapWalks.Memmap(storage, ref counter); // compiles the loop before anything is timed
            for (int round = 0; round < rounds; round++)
            {
                double cNs = double.NaN;
                if (segments is not null && NativeStartup.Run(native!, "walk", segments, I(layout.NodesPgshift), I(layout.NodesMask), I(layout.ZonesPgshift), I(layout.ZonesMask)) is { Length: 4 } f)
                {
                    cNs = double.Parse(f[1], CultureInfo.InvariantCulture);
                    c.Add(cNs);
                    ulong cChecksum = ulong.Parse(f[3], CultureInfo.InvariantCulture);
                    if (checksum != 0 && cChecksum != checksum)
                    {
                        mismatch = $" (C counted differently: checksum {cChecksum}, C# {checksum})";
                    }
                }

                var samples = new double[Samples];
                for (int s = 0; s < Samples; s++)
                {
                    new Span<ulong>(counts, cells).Clear();
                    long start = Stopwatch.GetTimestamp();
                    MemmapWalks.Memmap(storage, ref counter);
                    samples[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                }

                pages = 0;
                checksum = 0;
                for (int i = 0; i < cells; i++)
                {
                    pages += counts[i];
                    checksum += counts[i] * (ulong)(i + 1);
                }

                double ns = Rounds.Median(samples) / pages;
                csharp.Add(ns);
                if (!double.IsNaN(cNs))
                {
                    ratios.Add(ns / cNs);
                }
            }

            // The first round's C checksum was read before C# had counted: check it now.
            if (segments is not null && mismatch.Length == 0 && NativeStartup.Run(native!, "walk", segments, I(layout.NodesPgshift), I(layout.NodesMask), I(layout.ZonesPgshift), I(layout.ZonesMask)) is { Length: 4 } last
                && ulong.Parse(last[3], CultureInfo.InvariantCulture) != checksum)
            {
                mismatch = $" (C counted differently: checksum {last[3]}, C# {checksum})";
            }

            Console.WriteLine($"| {model.Name} | {pages} | {Rounds.Spread(csharp, "F3")} | {Rounds.Spread(c, "F3")} | {Rounds.Spread(ratios, "F2")} | {Rounds.Verdict(ratios, 1.5)}{mismatch} |");
            return mismatch.Length == 0 ? 0 : 1;
        }
        finally
        {
            NativeMemory.Free(counts);
            if (segments is not null)
            {
                File.Delete(segments);
            }
        }
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string I(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
