using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace PhysMem.Benchmarks.Startup;

/// <summary>
/// The counters the start-up table reports beside the time, read the way the native program reads
/// them: page faults from <c>getrusage(RUSAGE_SELF)</c>, <c>compact_stall</c> from
/// <c>/proc/vmstat</c>, <c>VmRSS</c>/<c>VmHWM</c> from <c>/proc/self/status</c>, and whether huge
/// pages are free from <c>/proc/buddyinfo</c>. Linux only; elsewhere every value is -1.
/// </summary>
public static partial class ProcessCounters
{
    /// <summary>Minor and major page faults of this process so far.</summary>
    /// <returns>(minflt, majflt), or (-1, -1) where <c>getrusage</c> is not there.</returns>
    public static (long Minor, long Major) PageFaults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (-1, -1);
        }

        // struct rusage on 64-bit Linux: two timevals (32 bytes), then 14 longs; ru_minflt and
        // ru_majflt are the 5th and 6th of them.
        Span<long> usage = stackalloc long[18];
        return GetRusage(0, ref MemoryMarshal.GetReference(usage)) == 0 ? (usage[4 + 4], usage[4 + 5]) : (-1, -1);
    }

    /// <summary>A counter of <c>/proc/vmstat</c> (e.g. <c>compact_stall</c>), or -1.</summary>
    /// <param name="name">The counter.</param>
    /// <returns>Its value.</returns>
    public static long VmStat(string name) => Field("/proc/vmstat", name, ' ');

    /// <summary>A field of <c>/proc/self/status</c> in KiB (<c>VmRSS</c>, <c>VmHWM</c>), or -1.</summary>
    /// <param name="name">The field.</param>
    /// <returns>Its value.</returns>
    public static long StatusKib(string name) => Field("/proc/self/status", name, ':');

    /// <summary><c>MemAvailable</c> of <c>/proc/meminfo</c> in bytes, or -1.</summary>
    /// <returns>The bytes the kernel could give without swapping.</returns>
    public static long MemAvailableBytes()
    {
        long kib = Field("/proc/meminfo", "MemAvailable", ':');
        return kib < 0 ? -1 : kib * 1024;
    }

    /// <summary>Resets <c>VmHWM</c> to <c>VmRSS</c> (<c>echo 5 &gt; /proc/self/clear_refs</c>), so the peak is the next build's.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // An older kernel or another system: VmHWM stays the process's peak, and says so by being large.
        }
    }

    /// <summary>Free blocks of 2 MiB and more in <c>/proc/buddyinfo</c>, in 2 MiB units (how many huge pages could be had without compaction), or -1.</summary>
    /// <returns>The count.</returns>
    public static long FreeHugeBlocks()
    {
        if (!File.Exists("/proc/buddyinfo"))
        {
            return -1;
        }

        long total = 0;
        foreach (string line in File.ReadLines("/proc/buddyinfo"))
        {
            // "Node 0, zone   Normal   1  2 ...": the counts of free blocks of order 0, 1, ...
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int zone = Array.IndexOf(parts, "zone");
            for (int i = zone + 2, order = 0; zone >= 0 && i < parts.Length; i++, order++)
            {
                if (order >= 9)
                {
                    total += long.Parse(parts[i], CultureInfo.InvariantCulture) << (order - 9);
                }
            }
        }

        return total;
    }

    private static long Field(string path, string name, char separator)
    {
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && line[name.Length] == separator)
            {
                string value = line[(name.Length + 1)..].Trim();
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long usage);
}
