using System;
using System.IO;

namespace PhysMem.Explorer.Output;

/// <summary>
/// Whether output goes to a person at a terminal, who gets colour and drawn tables, or to a file, a
/// pipe or a test, which get the plain text that scripts and diffs read.
/// </summary>
internal static class Terminal
{
    /// <summary>
    /// True when <paramref name="writer"/> is the process's own standard output, that output is a
    /// terminal, and <c>NO_COLOR</c> is unset or empty (https://no-color.org).
    /// </summary>
    /// <param name="writer">Where a command writes.</param>
    /// <returns>Whether to write colour and drawn tables.</returns>
    public static bool IsRich(TextWriter writer) =>
        ReferenceEquals(writer, Console.Out) && Decide(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>The rule of <see cref="IsRich"/> for output that is the process's own.</summary>
    /// <param name="redirected">Whether standard output is redirected to a file or pipe.</param>
    /// <param name="noColor">The value of <c>NO_COLOR</c>, or null when it is unset.</param>
    /// <returns>Whether to write colour and drawn tables.</returns>
    internal static bool Decide(bool redirected, string? noColor) => !redirected && string.IsNullOrEmpty(noColor);
}
