extern alias codefixes;

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The code fixes, applied as an IDE applies them: the generator's diagnostic is handed to the
/// provider in a workspace, the first action's change is applied, and the fixed code is run
/// through the generator again, which must then be silent about it.
/// </summary>
public class CodeFixTests
{
    [Theory]
    [InlineData("[MemoryModel(Model.Flat)] public class M { }", "[MemoryModel(Model.Flat)] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Flat)]\nclass M { }", "[MemoryModel(Model.Flat)]\npartial class M { }")]
    [InlineData("public sealed class Outer { [MemoryModel(Model.Flat)] public partial class M { } }", "public sealed partial class Outer { [MemoryModel(Model.Flat)] public partial class M { } }")]
    public async Task MakePartial(string before, string after) =>
        await AssertFix(new codefixes::PhysMem.CodeFixes.MakePartialCodeFix(), "PMEM0001", before, after);

    [Theory]
    [InlineData("PageShift = 11", "PageShift = 12")]
    [InlineData("PageShift = 40", "PageShift = 18")]
    [InlineData("NodesShift = -3", "NodesShift = 0")]
    [InlineData("KasanTagWidth = 5", "KasanTagWidth = 4")]
    [InlineData("KasanTagWidth = 100", "KasanTagWidth = 8")]
    [InlineData("BitsPerLong = 40", "BitsPerLong = 32")]
    [InlineData("BitsPerLong = 32, NrPageflags = 40", "BitsPerLong = 32, NrPageflags = 32")]
    public async Task NearestAllowedValue(string before, string after) =>
        await AssertFix(new codefixes::PhysMem.CodeFixes.NearestValueCodeFix(), "PMEM0003",
            $"[MemoryModel(Model.Flat, {before})] public partial class M {{ }}",
            $"[MemoryModel(Model.Flat, {after})] public partial class M {{ }}");

    [Theory]
    [InlineData("KasanTagWidth = 6")]
    [InlineData("KasanTagWidth = 2")]
    [InlineData("BitsPerLong = 48")]
    [InlineData("Zones = Zones.Dma | Zones.Normal")]
    public async Task NoFixWhenTheNearestValueIsAmbiguousOrNotANumber(string argument)
    {
        var (document, diagnostic) = await Diagnose($"[MemoryModel(Model.Sparse, Vmemmap = true, {argument})] public partial class M {{ }}", "PMEM0003");
        Assert.Empty(await Actions(new codefixes::PhysMem.CodeFixes.NearestValueCodeFix(), document, diagnostic));
    }

    private static async Task AssertFix(CodeFixProvider provider, string id, string before, string after)
    {
        var (document, diagnostic) = await Diagnose(before, id);
        var action = Assert.Single(await Actions(provider, document, diagnostic));
        var operation = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        var fixedText = (await operation.ChangedSolution.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Equal(Wrap(after), fixedText);

        var rerun = GeneratorHarness.Run(fixedText);
        Assert.DoesNotContain(rerun.GeneratorDiagnostics, d => d.Id == id);
    }

    private static async Task<List<CodeAction>> Actions(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static async Task<(Document Document, Diagnostic Diagnostic)> Diagnose(string declaration, string id)
    {
        string source = Wrap(declaration);
        var workspace = new AdhocWorkspace();
        var compilation = GeneratorHarness.CreateCompilation(source);
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Consumer", "Consumer", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: new CSharpParseOptions(LanguageVersion.Latest), metadataReferences: compilation.References));
        var document = workspace.AddDocument(project.Id, "Model.cs", SourceText.From(source));
        var tree = (await document.GetSyntaxTreeAsync())!;
        var projectCompilation = (await document.Project.GetCompilationAsync())!;
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(projectCompilation, out _, out var diagnostics);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == id);
        Assert.Same(tree, diagnostic.Location.SourceTree);
        return (document, diagnostic);
    }

    private static string Wrap(string declaration) => "using PhysMem;\nnamespace N;\n" + declaration + "\n";
}
