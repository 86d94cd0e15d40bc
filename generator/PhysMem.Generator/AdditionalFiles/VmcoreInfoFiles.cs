using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.AdditionalFiles;

/// <summary>
/// The <c>VMCOREINFO</c> notes among the AdditionalFiles that some model names, each read once by the
/// shared <see cref="VmcoreInfo"/> and <see cref="VmcoreLayoutInputs"/> (the code the dump reader
/// uses) into the same equatable digest as a kernel configuration: the inputs it settles, each
/// located on the line of its key, and its problems.
/// </summary>
internal static class VmcoreInfoFiles
{
    /// <summary>Reads one note; only the digest is kept, never the text.</summary>
    public static KconfigInput Read(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return Digest(file.Path, false, new List<KconfigValue>(), new List<KconfigDiagnostic>());
        }

        // Messages and the generated header name the file, not the machine's path to it.
        string name = System.IO.Path.GetFileName(file.Path);
        var values = new List<KconfigValue>();
        var diagnostics = new List<KconfigDiagnostic>();
        void Report(DiagnosticDescriptorInfo descriptor, int line, params string[] args) =>
            diagnostics.Add(new KconfigDiagnostic(descriptor.Id, line, KconfigFiles.LineLocation(text, file.Path, line), args.ToEquatableArray()));

        if (text.Length > InputLimits.MaxTextLength)
        {
            Report(DiagnosticCatalog.VmcoreInfoUnreadable, 0, name, InputLimits.TooLargeReason);
            return Digest(file.Path, true, values, diagnostics);
        }

        var info = VmcoreInfo.Parse(text.ToString(), name);
        if (info.Problems.Count > 0)
        {
            // The kernel writes nothing but KEY=value lines: a file with other lines is not a note
            // (a .config named by mistake has hundreds), so the first is reported, with how many follow.
            var first = info.Problems[0];
            int more = info.Problems.Count - 1;
            Report(DiagnosticCatalog.VmcoreInfoMalformed, first.Line, name, first.Line.ToString(CultureInfo.InvariantCulture),
                "'" + TextLines.Shown(first.Text) + "' is not a KEY=value line of a VMCOREINFO note"
                + (more > 0 ? " (nor are " + more.ToString(CultureInfo.InvariantCulture) + " more lines)" : string.Empty));
            return Digest(file.Path, true, values, diagnostics);
        }

        var settled = new List<KconfigSetting>();
        var problems = new List<KconfigProblem>();
        VmcoreLayoutInputs.Read(info, name, settled, problems);
        foreach (var p in problems)
        {
            diagnostics.Add(new KconfigDiagnostic(p.Diagnostic.Id, p.Line, KconfigFiles.LineLocation(text, file.Path, p.Line), p.Diagnostic.Arguments.ToEquatableArray()));
        }

        if (problems.Count == 0)
        {
            foreach (var s in settled)
            {
                values.Add(new KconfigValue(s.Name, s.Value, VmcoreLayoutInputs.SourceOf(name, s), KconfigFiles.LineLocation(text, file.Path, s.Line)));
            }
        }

        return Digest(file.Path, true, values, diagnostics);
    }

    private static KconfigInput Digest(string path, bool readable, List<KconfigValue> values, List<KconfigDiagnostic> diagnostics) =>
        new(path, readable, values.ToEquatableArray(), diagnostics.ToEquatableArray(), null, null, string.Empty);
}
