using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PhysMem;

// Reading /proc/iomem: the kernel prints its resource tree one resource a line,
// "start-end : name" with hexadecimal addresses and an inclusive end, children indented by two
// spaces per level (kernel/resource.c). RAM is the top-level "System RAM" entries.
public sealed partial class MemoryMap
{
    /// <summary>Where Linux publishes its physical resource tree.</summary>
    public const string IomemPath = "/proc/iomem";

    /// <summary>The resource name of RAM in <c>/proc/iomem</c>.</summary>
    public const string SystemRamName = "System RAM";

    /// <summary>
    /// Reads the RAM of <c>/proc/iomem</c> text: the top-level lines named exactly
    /// <c>System RAM</c>. Nested (indented) lines are sub-resources and are skipped; every range is
    /// on node 0.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">A top-level line is not <c>start-end : name</c> with hexadecimal addresses; the message gives the line number and text.</exception>
    /// <exception cref="UnauthorizedAccessException">The addresses read as zeros: the kernel hides them from readers other than root.</exception>
    public static MemoryMap ParseIomem(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var ranges = new List<MemoryRange>();
        bool sawLine = false;
        bool allZero = true;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line[0] == ' ' || line[0] == '\t')
            {
                continue;
            }

            int lineNumber = i + 1;
            ParseLine(line, lineNumber, out ulong start, out ulong endInclusive, out string name);
            sawLine = true;
            allZero &= start == 0 && endInclusive == 0;
            if (!string.Equals(name, SystemRamName, StringComparison.Ordinal))
            {
                continue;
            }

            if (start == 0 && endInclusive == 0)
            {
                throw HiddenAddresses();
            }

            if (endInclusive == ulong.MaxValue)
            {
                throw new FormatException(Where(lineNumber, line) + ": the range ends at the last byte of the 64-bit address space, which a MemoryRange cannot describe.");
            }

            ranges.Add(new MemoryRange(start, endInclusive + 1));
        }

        if (sawLine && allZero)
        {
            throw HiddenAddresses();
        }

        try
        {
            return FromRanges(ranges.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new FormatException("The System RAM entries of the iomem text overlap: " + e.Message, e);
        }
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

    private static void ParseLine(string line, int lineNumber, out ulong start, out ulong endInclusive, out string name)
    {
        int colon = line.IndexOf(':');
        int dash = colon < 0 ? -1 : line.IndexOf('-', 0, colon);
        if (colon < 0 || dash < 0)
        {
            throw new FormatException(Where(lineNumber, line) + ": expected 'start-end : name' with hexadecimal addresses.");
        }

        string startText = line.Substring(0, dash).Trim();
        string endText = line.Substring(dash + 1, colon - dash - 1).Trim();
        name = line.Substring(colon + 1).Trim();
        if (!TryParseHex(startText, out start) || !TryParseHex(endText, out endInclusive))
        {
            throw new FormatException(Where(lineNumber, line) + ": '" + (TryParseHex(startText, out _) ? endText : startText) + "' is not a hexadecimal address.");
        }

        if (start > endInclusive)
        {
            throw new FormatException(Where(lineNumber, line) + ": the start address is above the (inclusive) end address.");
        }
    }

    private static bool TryParseHex(string text, out ulong value)
    {
        value = 0;
        return text.Length is > 0 and <= 16 && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static string Where(int lineNumber, string line) =>
        "iomem line " + lineNumber.ToString(CultureInfo.InvariantCulture) + " '" + line + "' is malformed";

    private static UnauthorizedAccessException HiddenAddresses() => new(
        "The iomem text shows every address as zero: the kernel prints real addresses in " + IomemPath
        + " only to a reader with CAP_SYS_ADMIN. Read the file as root (for example 'sudo cat " + IomemPath + "').");
}
