using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>How serious a <see cref="LayoutDiagnostic"/> is.</summary>
public enum LayoutSeverity
{
    /// <summary>Worth knowing; the model is built as asked (the kernel moved a field, for example).</summary>
    Info,

    /// <summary>Probably a mistake; the model is built.</summary>
    Warning,

    /// <summary>The kernel would refuse this configuration; no model is built.</summary>
    Error,
}

/// <summary>
/// One entry of the diagnostic catalog: a stable ID (never reused), a title and a message format.
/// The source generator turns these into Roslyn descriptors; the runtime and the command-line
/// tool print the same ID and text.
/// </summary>
/// <param name="Id">The ID, <c>PMEM</c> and four digits.</param>
/// <param name="Title">A short title.</param>
/// <param name="MessageFormat">A composite format string; its arguments are the values involved.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Category">A fixed category: <c>Usage</c>, <c>Layout</c> or <c>Kconfig</c>.</param>
public sealed record DiagnosticDescriptorInfo(string Id, string Title, string MessageFormat, LayoutSeverity Severity, string Category)
{
    /// <summary>The documentation page for this ID.</summary>
    public string HelpLink => "docs/diagnostics/" + Id + ".md";
}

/// <summary>
/// A problem found while validating or laying out a model, as plain data: the catalog entry,
/// the values involved (already formatted), and the names of the inputs to blame, most likely first.
/// </summary>
public sealed record LayoutDiagnostic(DiagnosticDescriptorInfo Descriptor, string[] Arguments, string[] Blame)
{
    /// <summary>The diagnostic ID, e.g. <c>PMEM0102</c>.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The formatted message.</summary>
    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments);

    /// <inheritdoc />
    public bool Equals(LayoutDiagnostic? other) =>
        other is not null && Descriptor == other.Descriptor
        && SameItems(Arguments, other.Arguments) && SameItems(Blame, other.Blame);

    /// <inheritdoc />
    public override int GetHashCode() => Descriptor.GetHashCode() ^ Message.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Id + ": " + Message;

    private static bool SameItems(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Thrown by the runtime when a <see cref="LayoutSpec"/> is one the kernel would refuse.</summary>
public sealed class LayoutException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public LayoutException(IReadOnlyList<LayoutDiagnostic> diagnostics)
        : base("The memory model is invalid:\n" + string.Join("\n", Format(diagnostics)))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Every diagnostic of the model (errors and others).</summary>
    public IReadOnlyList<LayoutDiagnostic> Diagnostics { get; }

    private static IEnumerable<string> Format(IReadOnlyList<LayoutDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            yield return "  " + d;
        }
    }
}
