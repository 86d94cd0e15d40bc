using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>A line of a <c>VMCOREINFO</c> text that is not <c>KEY=value</c>.</summary>
/// <param name="Line">The 1-based line.</param>
/// <param name="Text">The line as written (trimmed).</param>
/// <param name="Message">What is wrong, naming the source and the line.</param>
internal sealed record VmcoreInfoProblem(int Line, string Text, string Message);

/// <summary>
/// The text of a kernel's <c>VMCOREINFO</c> note (as <c>/sys/kernel/vmcoreinfo</c> points at it, or as
/// the ELF note of a dump holds it): <c>KEY=value</c> lines written by kernel/vmcore_info.c
/// (kernel/crash_core.c before 6.9) and the architecture's <c>arch_crash_save_vmcoreinfo</c>.
/// </summary>
/// <remarks>
/// The kernel prints each kind of key in its own base, and the reader follows it: <c>SYMBOL(x)</c>
/// and <c>KERNELOFFSET</c> are hexadecimal without a prefix (<c>%lx</c>), <c>NUMBER(x)</c> is signed
/// decimal (<c>%ld</c>, so a mapcount value can be negative), <c>OFFSET</c>, <c>SIZE</c> and
/// <c>LENGTH</c> are unsigned decimal (<c>%lu</c>), <c>PAGESIZE</c> is decimal.
/// Pure string code so that the source generator (netstandard2.0) can read the same text.
/// </remarks>
internal sealed class VmcoreInfo
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private VmcoreInfo(string source)
    {
        Source = source;
    }

    /// <summary>Where the text came from, used in messages (a file name, or "the VMCOREINFO note of FILE").</summary>
    public string Source { get; }

    /// <summary>Every key and its value as written.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Lines that are not <c>KEY=value</c>, each with its 1-based number; reading goes on past them.</summary>
    public List<VmcoreInfoProblem> Problems { get; } = new();

    /// <summary><c>OSRELEASE</c>, the release of the kernel (<c>6.1.0-28-amd64</c>), or null.</summary>
    public string? OsRelease => Get("OSRELEASE");

    /// <summary>
    /// Reads the text. Lines that are not <c>KEY=value</c> are recorded in <see cref="Problems"/>; a
    /// NUL (the padding of an ELF note) ends the text.
    /// </summary>
    /// <param name="text">The note's text.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The keys read.</returns>
    public static VmcoreInfo Parse(string text, string source)
    {
        var info = new VmcoreInfo(source);
        int nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            text = text.Substring(0, nul);
        }

        int number = 0;
        foreach (var (start, length) in TextLines.Of(text))
        {
            number++;
            string line = text.Substring(start, length).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                info.Problems.Add(new VmcoreInfoProblem(number, line, source + ":" + Str(number) + ": '" + TextLines.Shown(line) + "' is not a KEY=value line"));
                continue;
            }

            string key = line.Substring(0, eq);
            info._values[key] = line.Substring(eq + 1);
            info._lines[key] = number;
        }

        return info;
    }

    /// <summary>The value of <paramref name="key"/> as written, or null.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    /// <summary><c>SYMBOL(name)</c>: a kernel virtual address (hexadecimal), or null when the note does not give it.</summary>
    public ulong? Symbol(string name) => Hex("SYMBOL(" + name + ")");

    /// <summary><c>NUMBER(name)</c>: a signed decimal, or null.</summary>
    public long? Number(string name) => Signed("NUMBER(" + name + ")");

    /// <summary><c>OFFSET(member)</c>, e.g. <c>page.flags</c>, or null.</summary>
    public ulong? Offset(string member) => Unsigned("OFFSET(" + member + ")");

    /// <summary><c>SIZE(type)</c>, or null.</summary>
    public ulong? Size(string type) => Unsigned("SIZE(" + type + ")");

    /// <summary><c>LENGTH(name)</c>, or null.</summary>
    public ulong? Length(string name) => Unsigned("LENGTH(" + name + ")");

    /// <summary><c>KERNELOFFSET</c>, the KASLR displacement of the kernel image (hexadecimal), or null.</summary>
    public ulong? KernelOffset => Hex("KERNELOFFSET");

    /// <summary><c>PAGESIZE</c>, or null.</summary>
    public ulong? PageSize => Unsigned("PAGESIZE");

    /// <summary>The value of a key that must be there; a missing or malformed one throws, naming the key and the value.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The key as the kernel writes it, e.g. <c>SYMBOL(mem_section)</c>.</param>
    /// <param name="value">The value read (null when missing or malformed).</param>
    /// <param name="needed">What it is needed for.</param>
    /// <exception cref="FormatException">The key is missing or its value malformed.</exception>
    public T Require<T>(string key, T? value, string needed)
        where T : struct
    {
        if (value is T v)
        {
            return v;
        }

        throw new FormatException(Get(key) is { } raw
            ? Source + ":" + Str(LineOf(key)) + ": " + key + "=" + TextLines.Shown(raw) + " is not a number in the base the kernel writes it (" + BaseOf(key) + "); it is needed for " + needed
            : Source + ": " + key + " is missing; it is needed for " + needed);
    }

    /// <summary>The 1-based line of <paramref name="key"/>, or 0.</summary>
    public int LineOf(string key) => _lines.TryGetValue(key, out int n) ? n : 0;

    private ulong? Hex(string key) =>
        Get(key) is { } v && v.Length > 0 && ulong.TryParse(v, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong n) ? n : null;

    private long? Signed(string key) =>
        Get(key) is { } v && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : null;

    private ulong? Unsigned(string key) =>
        Get(key) is { } v && ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : null;

    private static string BaseOf(string key) =>
        key.StartsWith("SYMBOL(", StringComparison.Ordinal) || key == "KERNELOFFSET" ? "hexadecimal"
        : key.StartsWith("NUMBER(", StringComparison.Ordinal) ? "signed decimal"
        : "unsigned decimal";

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
