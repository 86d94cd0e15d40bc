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
/// <c>walk [--native LIBRARY] [--rounds N] [--size GIB]</c>: the zone/node page count over every
/// struct page of each model's memmap (a 64 GiB PC map by default), in C# over the storage's span
/// walk (<see cref="PageStorage{TPage}.WalkMemmap"/>) through the generated model's
/// <c>page_to_nid</c>/<c>page_zonenum</c>, and in C (<c>physmem_count_pages</c> of
/// <c>native/physmem_startup.c</c> built as a shared library) over a memmap of its own with the same
/// flags words. The two run pass by pass in one process, alternating which goes first, so that both
/// see the machine of the same moment (this machine's memory speed moves by up to 2.5x between
/// seconds); each round is nine passes of each. Prints ns per page as median (min-max) over the
/// rounds and the ratio C#/C of each round, against the target of 1.5x. C's counts must match the C#
/// ones (a checksum), or the row says so.
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
        const string Usage = "walk [--native LIBRARY] [--rounds N] [--size GIB]";
        if (!StartupCommand.OptionsKnown(args, Usage, "--native", "--rounds", "--size")
            || !StartupCommand.Count(args, "--rounds", 3, Usage, out int rounds) || !StartupCommand.Count(args, "--size", 64, Usage, out int gib))
        {
            return 2;
        }

        string? native = StartupCommand.Option(args, "--native");
        if (native is not null && CWalk.WhyNot(native) is { } unusable)
        {
            Console.Error.WriteLine($"walk: {unusable}");
            return 1;
        }

        var map = PcMemory.Map(gib);
        Console.WriteLine($"# walk: zone/node count over every struct page of a {gib} GiB PC map, {rounds} interleaved rounds; load {StartupCommand.Load()}");
        Console.WriteLine();
        Console.WriteLine("| model | pages | C#, ns/page | C, ns/page | C# / C | within 1.5x of C |");
        Console.WriteLine("|---|--:|--:|--:|--:|---|");
        int failures = 0;
        // The deferred builds are the same memmaps once initialized: walked once, eager. The arm64
        // model's memmap is VMEMMAP's with other zone bits: not walked.
        foreach (var model in StartupModel.All.Where(m => m.WaitForInit is null && m.Walked))
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
        ulong* cCounts = (ulong*)NativeMemory.AllocZeroed((nuint)cells, sizeof(ulong));
        var c = native is null ? null : CWalk.Load(native, storage);
        try
        {
            var csharp = new List<double>();
            var cNs = new List<double>();
            var ratios = new List<double>();
            ulong pages = 0;
            string mismatch = string.Empty;
            var counter = new ZoneNodeCounter<TOps>(ops, counts, zones);
            MemmapWalks.Memmap(storage, ref counter); // compiles the loop before anything is timed
            c?.Count(layout, cCounts, zones);
            for (int round = 0; round < rounds; round++)
            {
                var samples = new double[Samples];
                var cSamples = new double[Samples];
                for (int s = 0; s < Samples; s++)
                {
                    // Alternate which goes first, so that neither always follows the other's pass.
                    if (c is not null && s % 2 == 0)
                    {
                        cSamples[s] = TimeC(c, layout, cCounts, cells, zones);
                    }

                    new Span<ulong>(counts, cells).Clear();
                    long start = Stopwatch.GetTimestamp();
                    MemmapWalks.Memmap(storage, ref counter);
                    samples[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                    if (c is not null && s % 2 == 1)
                    {
                        cSamples[s] = TimeC(c, layout, cCounts, cells, zones);
                    }
                }

                pages = 0;
                for (int i = 0; i < cells; i++)
                {
                    pages += counts[i];
                }

                double ns = Rounds.Median(samples) / pages;
                csharp.Add(ns);
                if (c is not null)
                {
                    double cPage = Rounds.Median(cSamples) / c.Pages;
                    cNs.Add(cPage);
                    ratios.Add(ns / cPage);
                    if (Checksum(cCounts, cells) != Checksum(counts, cells))
                    {
                        mismatch = $" (C counted differently: checksum {Checksum(cCounts, cells)}, C# {Checksum(counts, cells)})";
                    }
                }
            }

            Console.WriteLine($"| {model.Name} | {pages} | {Rounds.Spread(csharp, "F3")} | {Rounds.Spread(cNs, "F3")} | {Rounds.Spread(ratios, "F2")} | {Rounds.Verdict(ratios, 1.5)}{mismatch} |");
            return mismatch.Length == 0 ? 0 : 1;
        }
        finally
        {
            NativeMemory.Free(counts);
            NativeMemory.Free(cCounts);
            c?.Dispose();
        }
    }

    private static double TimeC(CWalk c, MemoryLayout layout, ulong* counts, int cells, int zones)
    {
        new Span<ulong>(counts, cells).Clear();
        long start = Stopwatch.GetTimestamp();
        c.Count(layout, counts, zones);
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds;
    }

    // The sum over cells of count * (cell index + 1), as the C program prints it.
    private static ulong Checksum(ulong* counts, int cells)
    {
        ulong sum = 0;
        for (int i = 0; i < cells; i++)
        {
            sum += counts[i] * (ulong)(i + 1);
        }

        return sum;
    }

    // The C loop and its memmap, in this process: the shared library's physmem_walk_map builds the
    // memmap (fresh anonymous memory, as the C program's own) from the flags words of the model's,
    // written to a file as runs; physmem_count_pages is the timed loop.
    private sealed class CWalk : IDisposable
    {
        private readonly nint _library;
        private readonly delegate* unmanaged<void*, ulong, uint, ulong, uint, ulong, ulong*, ulong, void> _count;
        private readonly delegate* unmanaged<void*, ulong, void> _free;
        private void* _map;

        private CWalk(nint library, void* map, ulong pages)
        {
            _library = library;
            _map = map;
            Pages = pages;
            _count = (delegate* unmanaged<void*, ulong, uint, ulong, uint, ulong, ulong*, ulong, void>)NativeLibrary.GetExport(library, "physmem_count_pages");
            _free = (delegate* unmanaged<void*, ulong, void>)NativeLibrary.GetExport(library, "physmem_walk_free");
        }

        public ulong Pages { get; }

        // Why LIBRARY cannot be the C walk (not found, not a shared library, or without its three
        // functions), or null when it can.
        public static string? WhyNot(string path) => Native.NativeLibraries.WhyNot(
            path,
            new[] { "physmem_walk_map", "physmem_count_pages", "physmem_walk_free" },
            "run.sh builds the C walk as out/libphysmem-startup.so",
            "native/physmem_startup.c built as a shared library");

        public static CWalk Load(string path, PageStorage<Page> storage)
        {
            var flags = new FlagsRuns { Lines = new System.Text.StringBuilder() };
            MemmapWalks.Memmap(storage, ref flags);
            flags.Flush();
            string segments = Path.GetTempFileName();
            nint library = NativeLibrary.Load(Path.GetFullPath(path));
            try
            {
                File.WriteAllText(segments, flags.Lines.ToString());
                var build = (delegate* unmanaged<byte*, ulong*, void*>)NativeLibrary.GetExport(library, "physmem_walk_map");
                byte[] name = System.Text.Encoding.UTF8.GetBytes(segments + "\0");
                ulong pages;
                void* map;
                fixed (byte* p = name)
                {
                    map = build(p, &pages);
                }

                return map == null ? throw new InvalidOperationException("The C walk built no memmap from " + segments + ".") : new CWalk(library, map, pages);
            }
            catch
            {
                NativeLibrary.Free(library);
                throw;
            }
            finally
            {
                File.Delete(segments);
            }
        }

        public void Count(MemoryLayout layout, ulong* counts, int zones) =>
            _count(_map, Pages, (uint)layout.NodesPgshift, layout.NodesMask, (uint)layout.ZonesPgshift, layout.ZonesMask, counts, (ulong)zones);

        public void Dispose()
        {
            if (_map != null)
            {
                _free(_map, Pages);
                _map = null;
                NativeLibrary.Free(_library);
            }
        }
    }

}
