using System;
using System.Diagnostics;
using System.Globalization;

namespace PhysMem.Benchmarks.Startup;

/// <summary>Runs the native start-up program (<c>benchmarks/native/physmem_startup.c</c>) and reads its CSV line.</summary>
public static class NativeStartup
{
    /// <summary>The C program's build modes, in the order each round runs them.</summary>
    public static readonly string[] Modes = ["4k", "4k-populate", "huge", "huge-populate"];

    /// <summary>Runs <c>PROGRAM ARGS...</c> and returns its first output line, split at commas.</summary>
    /// <param name="program">The compiled program.</param>
    /// <param name="args">Its arguments.</param>
    /// <returns>The fields, or null with the reason on standard error when it failed.</returns>
    public static string[]? Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {error.Trim()}");
            return null;
        }

        return output.Trim().Split('\n')[0].Split(',');
    }

    /// <summary>One build of the C program as a sample.</summary>
    /// <param name="program">The compiled program.</param>
    /// <param name="bytes">Bytes of memmap.</param>
    /// <param name="mode">One of <see cref="Modes"/>.</param>
    /// <returns>The sample, or null when the program failed (e.g. no <c>MADV_POPULATE_WRITE</c>).</returns>
    public static StartupSample? Build(string program, ulong bytes, string mode)
    {
        string[]? f = Run(program, "build", bytes.ToString(CultureInfo.InvariantCulture), mode);
        if (f is not { Length: 9 })
        {
            return null;
        }

        double ms = double.Parse(f[2], CultureInfo.InvariantCulture);
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return new StartupSample(ms, ms, L(3), L(4), L(5), L(6), L(7), L(8), ms);
    }
}

/// <summary>One build and disposal, with the counters beside its time.</summary>
/// <param name="TotalMs">Build and disposal (for C: mmap, advice, writes and munmap).</param>
/// <param name="BuildMs">Build alone (time-to-usable; the same as the full build without deferred init).</param>
/// <param name="MinorFaults">getrusage ru_minflt delta.</param>
/// <param name="MajorFaults">getrusage ru_majflt delta.</param>
/// <param name="CompactStalls">/proc/vmstat compact_stall delta (every process's, machine-wide).</param>
/// <param name="RssKib">How much VmRSS grew with the model built (the memmap and tables, not the process).</param>
/// <param name="HwmKib">How far VmHWM rose over the build above the VmRSS before it (the peak is reset first).</param>
/// <param name="FreeHugeBlocks">Free 2 MiB blocks in /proc/buddyinfo before the build: whether huge pages were free.</param>
/// <param name="ReadyMs">Build until fully initialized (time-to-fully-initialized): with deferred init the constructor plus the wait for the workers, else the build.</param>
public sealed record StartupSample(double TotalMs, double BuildMs, long MinorFaults, long MajorFaults, long CompactStalls, long RssKib, long HwmKib, long FreeHugeBlocks, double ReadyMs);
