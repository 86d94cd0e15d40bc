using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>Assertions on one diagnostic: its ID, exact message, severity and help link, and where it points.</summary>
public static class DiagnosticAssert
{
    private static readonly Regex Markup = new(@"\{\|(?<id>PMEM\d{4}):|\|\}", RegexOptions.CultureInvariant);

    /// <summary>
    /// The diagnostics marked in <paramref name="markup"/> (C# in namespace N, using PhysMem) as
    /// <c>{|PMEMnnnn:text|}</c>. The Roslyn testing library checks that the generator reports each on
    /// exactly its text, and nothing else; a run of <see cref="GeneratorHarness"/> over the same
    /// source (with its caching checks) then checks the message, severity and help link of the one
    /// with <paramref name="id"/> (needed only when more than one ID is marked), and for an error
    /// that the model was refused. Returns that run.
    /// </summary>
    public static async Task<GeneratorRun> Expect(string markup, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error, bool allowUnsafe = true, string? id = null)
    {
        markup = "using PhysMem;\nnamespace N;\n" + markup;
        await new GeneratorMarkupTest(markup, allowUnsafe).RunAsync();
        id ??= Assert.Single(Markup.Matches(markup).Where(m => m.Groups["id"].Success).Select(m => m.Groups["id"].Value).Distinct());
        var run = GeneratorHarness.Run(Markup.Replace(markup, string.Empty), allowUnsafe);
        Single(run, id, message, severity);
        return run;
    }

    /// <summary>The one diagnostic with <paramref name="id"/>; an error also means the model was refused (<see cref="Refused"/>).</summary>
    public static Diagnostic Single(GeneratorRun run, string id, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == id);
        Assert.Equal(message, d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(severity, d.Severity);
        Assert.Equal("docs/diagnostics/" + id + ".md", d.Descriptor.HelpLinkUri);
        if (severity == DiagnosticSeverity.Error)
        {
            Refused(run);
        }

        return d;
    }

    /// <summary>
    /// No model was generated: a refused model gets at most the surface whose members throw, which
    /// names the error and compiles without a diagnostic of its own.
    /// </summary>
    public static void Refused(GeneratorRun run)
    {
        foreach (var source in run.Sources.Values)
        {
            Assert.Contains("which PhysMem refused:", source, System.StringComparison.Ordinal);
            Assert.Contains("throw new global::System.InvalidOperationException(__PhysMemNotGenerated)", source, System.StringComparison.Ordinal);
        }

        var generated = new System.Collections.Generic.HashSet<SyntaxTree>(run.Result.GeneratedTrees);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), x => x.Location.SourceTree is { } t && generated.Contains(t));
    }

    /// <summary>The diagnostic is in the C# source, on <paramref name="spanText"/>.</summary>
    public static void InSource(Diagnostic d, string spanText)
    {
        Assert.True(d.Location.IsInSource, "the diagnostic is not located in the source");
        Assert.Equal(spanText, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    /// <summary>
    /// The diagnostic is in the AdditionalFile at <paramref name="path"/> (an external location, which
    /// the build prints as <c>file(line,column)</c>), starting on 1-based <paramref name="line"/> and
    /// <paramref name="column"/>, on <paramref name="spanText"/> of the file's <paramref name="text"/>.
    /// </summary>
    public static void InFile(Diagnostic d, string path, string text, int line, int column, string spanText)
    {
        Assert.Equal(LocationKind.ExternalFile, d.Location.Kind);
        var span = d.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal((line - 1, column - 1), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal(spanText, text.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
    }
}
