using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>The outcome of one in-process run of the command line.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts a successful run and that <c>#define NAME value</c> is one of the output lines.</summary>
    public CliResult HasDefine(string name, long value)
    {
        Assert.Contains($"#define {name} {value}", OutLines);
        return this;
    }
}

/// <summary>Runs <c>physmem</c> in-process, as its Main does, with captured output.</summary>
internal static partial class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = ExplorerApp.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>Runs a command that must succeed, and returns its output.</summary>
    public static CliResult Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"physmem {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Err}");
        return result;
    }

    /// <summary>
    /// The rows of the page->flags diagram of the default report: (high bit, low bit, field name, width).
    /// </summary>
    public static (int High, int Low, string Name, int Width)[] DiagramRows(string report)
    {
        var lines = report.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("page->flags", StringComparison.Ordinal));
        Assert.True(start >= 0, "the report has no page->flags diagram:\n" + report);
        return lines.Skip(start + 1)
            .TakeWhile(l => l.Length > 0)
            .Select(l => DiagramRow().Match(l))
            .Where(m => m.Success)
            .Select(m => (
                int.Parse(m.Groups["high"].Value),
                m.Groups["low"].Success ? int.Parse(m.Groups["low"].Value) : int.Parse(m.Groups["high"].Value),
                m.Groups["name"].Value,
                int.Parse(m.Groups["width"].Value)))
            .ToArray();
    }

    [GeneratedRegex(@"^\s+(?<high>\d+)(-(?<low>\d+))?\s+(?<name>[a-z_ ]+?) \((?<width>\d+)\)")]
    private static partial Regex DiagramRow();
}
