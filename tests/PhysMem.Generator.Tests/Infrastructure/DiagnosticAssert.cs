using System.Collections.Generic;
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
    /// The diagnostics marked in <paramref name="markup"/> (C# in namespace N, using PhysMem) and in
    /// the AdditionalFiles <paramref name="files"/> as <c>{|PMEMnnnn:text|}</c>, with the MSBuild
    /// <paramref name="properties"/> set. The Roslyn testing library checks that the generator reports
    /// each on exactly its text, and nothing else; a run of <see cref="GeneratorHarness"/> (or, with
    /// files or properties, <see cref="KconfigHarness"/>) over the same inputs, with its caching
    /// checks, then checks the message, severity and help link of the one with <paramref name="id"/>
    /// (needed only when more than one ID is marked), and for an error that the model was refused.
    /// Returns that run. (<see cref="KconfigHarness"/> always allows unsafe code.)
    /// </summary>
    public static async Task<GeneratorRun> Expect(
        string markup,
        string message,
        DiagnosticSeverity severity = DiagnosticSeverity.Error,
        bool allowUnsafe = true,
        string? id = null,
        IReadOnlyList<(string Path, string Markup)>? files = null,
        IReadOnlyDictionary<string, string>? properties = null)
    {
        markup = "using PhysMem;\nnamespace N;\n" + markup;
        files ??= System.Array.Empty<(string, string)>();
        var test = new GeneratorMarkupTest(markup, allowUnsafe);
        MarkupProject.AddInputs(test.TestState, files, properties);
        await test.RunAsync();
        id ??= Assert.Single(files.Select(f => f.Markup).Append(markup)
            .SelectMany(m => Markup.Matches(m)).Where(m => m.Groups["id"].Success).Select(m => m.Groups["id"].Value).Distinct());
        string source = Unmarked(markup);
        var run = files.Count == 0 && properties is null
            ? GeneratorHarness.Run(source, allowUnsafe)
            : KconfigHarness.Run(source, files.Select(f => new InMemoryAdditionalText(f.Path, Unmarked(f.Markup))), properties);
        Single(run, id, message, severity);
        return run;
    }

    /// <summary><paramref name="markup"/> without its <c>{|PMEMnnnn:</c> and <c>|}</c>: the text the compiler sees.</summary>
    public static string Unmarked(string markup) => Markup.Replace(markup, string.Empty);

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

    /// <summary>
    /// The diagnostic is in the C# source, on <paramref name="spanText"/>. Only for diagnostics the
    /// markup of <see cref="Expect"/> cannot reach: those about an AdditionalFile the compiler returns
    /// no text for, since the testing library builds every AdditionalFile from a text.
    /// </summary>
    public static void InSource(Diagnostic d, string spanText)
    {
        Assert.True(d.Location.IsInSource, "the diagnostic is not located in the source");
        Assert.Equal(spanText, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }
}
