using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PhysMem;

// Reading /proc/iomem: the kernel prints its resource tree one resource a line,
// "start-end : name" with hexadecimal addresses and an inclusive end, children indented by two
// spaces per level (kernel/resource.c). RAM is the top-level "System RAM" entries. The parsing
// itself is MemoryMapText, shared with the source generator.
public sealed partial class MemoryMap
{
    /// <summary>Where Linux publishes its physical resource tree.</summary>
    public const string IomemPath = "/proc/iomem";

    /// <summary>The resource name of RAM in <c>/proc/iomem</c>.</summary>
    public const string SystemRamName = MemoryMapText.SystemRam;

    /// <summary>
    /// Reads the RAM of <c>/proc/iomem</c> text: the top-level lines named exactly
    /// <c>System RAM</c>. Nested (indented) lines are sub-resources and are skipped. Lines starting
    /// with <c>#</c> are comments; a comment <c># numa: SPEC</c> gives the memory its nodes as
    /// <see cref="WithNodes(string)"/> does, and without one every range is on node 0. The
    /// source generator reads a <c>MemoryMapFile</c> with the same code.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">A top-level line is not <c>start-end : name</c> with hexadecimal addresses, System RAM ranges overlap, or a NUMA item is malformed; the message gives the line number and text.</exception>
    /// <exception cref="ArgumentException">The <c># numa:</c> parts overlap, or some memory lies in none of them.</exception>
    /// <exception cref="UnauthorizedAccessException">The addresses read as zeros: the kernel hides them from readers other than root.</exception>
    public static MemoryMap ParseIomem(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var parsed = MemoryMapText.Parse(text);
        if (parsed.Problem is { } p)
        {
            throw p.Kind switch
            {
                MemoryMapText.ProblemKind.HiddenAddresses => HiddenAddresses(),
                MemoryMapText.ProblemKind.Overlap => new FormatException("The System RAM entries of the iomem text overlap: " + p.Detail + "."),
                MemoryMapText.ProblemKind.NumaMalformed => new FormatException(Where(p.Line, p.LineText) + ": " + p.Detail),
                MemoryMapText.ProblemKind.NumaOverlap or MemoryMapText.ProblemKind.NumaUncovered => new ArgumentException(p.Detail, nameof(text)),
                _ => new FormatException(Where(p.Line, p.LineText) + ": " + p.Detail + "."),
            };
        }

        return FromText(parsed.Ranges);
    }

    /// <summary>
    /// Reads the running machine's RAM from <c>/proc/iomem</c>, when on Linux and the file shows real
    /// addresses (it does only to root).
    /// </summary>
    /// <param name="map">The map, or null.</param>
    /// <param name="why">Why there is no map, or null.</param>
    /// <returns>True when <paramref name="map"/> was read.</returns>
    public static bool TryReadMachine(out MemoryMap? map, out string? why)
    {
        map = null;
        if (!OperatingSystem.IsLinux())
        {
            why = IomemPath + " exists only on Linux.";
            return false;
        }

        string text;
        try
        {
            text = File.ReadAllText(IomemPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            why = IomemPath + " could not be read: " + e.Message;
            return false;
        }

        try
        {
            map = ParseIomem(text);
        }
        catch (Exception e) when (e is FormatException or UnauthorizedAccessException)
        {
            why = e.Message;
            return false;
        }

        if (map.Count == 0)
        {
            map = null;
            why = IomemPath + " lists no " + SystemRamName + ".";
            return false;
        }

        why = null;
        return true;
    }

    private static MemoryMap FromText(List<MemoryMapText.Range> ranges)
    {
        var result = new MemoryRange[ranges.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new MemoryRange(ranges[i].Start, ranges[i].End, ranges[i].Node);
        }

        return FromRanges(result);
    }

    private static string Where(int lineNumber, string line) =>
        "iomem line " + lineNumber.ToString(CultureInfo.InvariantCulture) + " '" + line + "' is malformed";

    private static UnauthorizedAccessException HiddenAddresses() => new(
        "The iomem text shows every address as zero: the kernel prints real addresses in " + IomemPath
        + " only to a reader with CAP_SYS_ADMIN. Read the file as root (for example 'sudo cat " + IomemPath + "').");
}
