using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>One input that a kernel configuration settled, with the line and the symbols that settled it.</summary>
/// <param name="Name">The input (a <see cref="LayoutOptions"/> property name, e.g. <c>NrCpusBits</c>).</param>
/// <param name="Value">The value, as <see cref="KconfigValues.Format"/> writes it.</param>
/// <param name="Line">The 1-based line of the symbol that decided it, or 0 when it follows from a symbol's absence.</param>
/// <param name="Why">A short explanation (<c>CONFIG_NR_CPUS=8192, order_base_2</c>).</param>
internal sealed record KconfigSetting(string Name, string Value, int Line, string Why);

/// <summary>A problem found in a kernel configuration, with the line it is about (0 for the file as a whole).</summary>
/// <param name="Diagnostic">The diagnostic (its message already names the file and the line).</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column of the text to blame (a value, a version), or 0 for the whole line.</param>
/// <param name="Length">How many characters from <paramref name="Column"/> are to blame.</param>
internal sealed record KconfigProblem(LayoutDiagnostic Diagnostic, int Line, int Column = 0, int Length = 0);

/// <summary>What <see cref="KconfigReader.Read"/> made of a kernel configuration.</summary>
internal sealed class KconfigResult
{
    internal KconfigResult(string fileName)
    {
        FileName = fileName;
    }

    /// <summary>The file name used in messages.</summary>
    public string FileName { get; }

    /// <summary>The inputs the configuration settles; the others stay unset.</summary>
    public LayoutOptions Options { get; } = new();

    /// <summary>The architecture preset this configuration belongs to, when there is one (it fills what the configuration does not say).</summary>
    public Arch? Preset { get; internal set; }

    /// <summary>The architecture, as the reader names it (<c>x86_64</c>, <c>arm64</c>, <c>riscv32</c>), or null when unknown.</summary>
    public string? ArchName { get; internal set; }

    /// <summary>The line that named the architecture (0 when none did).</summary>
    public int ArchLine { get; internal set; }

    /// <summary>The kernel rules used (page flags, NR_CPUS_BITS formula), or null when the file was not read.</summary>
    public KernelRules? Rules { get; internal set; }

    /// <summary>Every input settled, in the order of <see cref="KconfigValues.Names"/>.</summary>
    public List<KconfigSetting> Settings { get; } = new();

    /// <summary>Errors and notes, each with its line.</summary>
    public List<KconfigProblem> Problems { get; } = new();

    /// <summary>Whether an error was found (the options are then not to be used).</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var p in Problems)
            {
                if (p.Diagnostic.Descriptor.Severity == LayoutSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// Reads a kernel <c>.config</c> into the inputs of a memory model, the way Kconfig and the
/// architecture headers select them: the architecture and its section size and physical address
/// width, the memory model, the page size, nodes, cpus, zones and the page-flag fields, and
/// <c>NR_PAGEFLAGS</c> by the <c>enum pageflags</c> of the kernel version the header names.
/// A pure function of the text, shared by the source generator and the command line.
/// </summary>
internal static partial class KconfigReader
{
    /// <summary>Reads <paramref name="text"/>, the contents of the configuration <paramref name="fileName"/>.</summary>
    /// <param name="text">The configuration text (a decompressed <c>/proc/config.gz</c> is the same text).</param>
    /// <param name="fileName">The name used in messages, e.g. <c>linux.config</c>.</param>
    /// <returns>The inputs, their sources and the problems found.</returns>
    public static KconfigResult Read(string text, string fileName)
    {
        var result = new KconfigResult(fileName);
        if (text?.Length > InputLimits.MaxTextLength)
        {
            // The command line refuses such a file before reading it all, with the same words.
            result.Problems.Add(Problem(DiagnosticCatalog.KconfigUnreadable, 0, fileName, InputLimits.TooLargeReason));
            return result;
        }

        var file = KconfigFile.Parse(text ?? string.Empty, out string? error, out int errorLine);
        if (file is null)
        {
            result.Problems.Add(Problem(DiagnosticCatalog.KconfigNotKernelConfig, errorLine, fileName, Str(errorLine), error!));
            return result;
        }

        KernelVersion? version = KernelVersion.TryParse(file.HeaderVersion, out var v) ? v : null;
        var rules = KernelRules.For(version, out bool exact);
        result.Rules = rules;
        if (!exact)
        {
            // Without a header the note is about the file as a whole: its first line. With one, it
            // is about the version the header names, quoted when it is not a kernel version at all.
            int line = file.HeaderLine > 0 ? file.HeaderLine : 1;
            int column = file.HeaderVersionColumn;
            string named = version?.ToString()
                ?? (file.HeaderVersion is { } header ? "'" + TextLines.Shown(header) + "', which is not a kernel version (MAJOR.MINOR[.SUBLEVEL])" : "a kernel whose version the header does not name");
            string used = rules.Series + (version is null && file.HeaderVersion is not null ? ", the newest" : ", the nearest");
            result.Problems.Add(new KconfigProblem(
                new LayoutDiagnostic(DiagnosticCatalog.KconfigVersionApproximated, new[] { fileName, Str(line) + (column > 0 ? ":" + Str(column) : string.Empty), string.Join(", ", KernelRules.Known), named, used }, new[] { "Kconfig" }),
                line, column, file.HeaderVersion?.Length ?? 0));
        }

        var reader = new Reader(file, rules, result);
        reader.CheckNumbers();
        if (reader.ReadArch())
        {
            reader.ReadModel();
            reader.ReadRest();
            reader.CheckRules();
        }

        result.Settings.Sort((a, b) => InputTable.IndexOf(a.Name).CompareTo(InputTable.IndexOf(b.Name)));

        return result;
    }

    private static KconfigProblem Problem(DiagnosticDescriptorInfo descriptor, int line, params string[] args) =>
        new(new LayoutDiagnostic(descriptor, args, new[] { "Kconfig" }), line);

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
