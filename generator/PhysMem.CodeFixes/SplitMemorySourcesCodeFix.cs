using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PhysMem.CodeFixes;

/// <summary>
/// PMEM0021 (a model takes its memory both from a memory map file and from <c>[MemoryBank]</c>s):
/// keeps one source. One action removes <c>MemoryMapFile</c> and keeps the banks; the other removes
/// the <c>[MemoryBank]</c> attributes and keeps the file. The title says which is kept.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SplitMemorySourcesCodeFix))]
[Shared]
public sealed class SplitMemorySourcesCodeFix : CodeFixProvider
{
    private const string BankAttribute = "PhysMem.MemoryBankAttribute";

    /// <summary>The equivalence key of the action that keeps the banks.</summary>
    public const string KeepBanks = nameof(SplitMemorySourcesCodeFix) + ".KeepBanks";

    /// <summary>The equivalence key of the action that keeps the memory map file.</summary>
    public const string KeepFile = nameof(SplitMemorySourcesCodeFix) + ".KeepFile";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PMEM0021");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
            || model is null
            || AttributeArguments.Named(attribute, "MemoryMapFile") is not { } file
            || attribute.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return;
        }

        var banks = type.AttributeLists.SelectMany(l => l.Attributes)
            .Where(a => model.GetTypeInfo(a).Type?.ToDisplayString() == BankAttribute || model.GetSymbolInfo(a).Symbol?.ContainingType?.ToDisplayString() == BankAttribute)
            .ToList();
        if (banks.Count == 0)
        {
            return;
        }

        string fileName = file.Expression.ToString();
        string count = banks.Count.ToString(CultureInfo.InvariantCulture);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Keep the {count} [MemoryBank] attribute(s): remove MemoryMapFile = {fileName}",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(AttributeArguments.Remove(root, file))),
                equivalenceKey: KeepBanks),
            context.Diagnostics);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Keep MemoryMapFile = {fileName}: remove the {count} [MemoryBank] attribute(s)",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, WithoutAttributes(type, banks)))),
                equivalenceKey: KeepFile),
            context.Diagnostics);
    }

    // An attribute list left empty goes with its attributes; the type keeps the trivia of its first list.
    private static TypeDeclarationSyntax WithoutAttributes(TypeDeclarationSyntax type, List<AttributeSyntax> remove)
    {
        var lists = new List<AttributeListSyntax>();
        foreach (var list in type.AttributeLists)
        {
            var kept = list.Attributes.Where(a => !remove.Contains(a)).ToList();
            if (kept.Count == list.Attributes.Count)
            {
                lists.Add(list);
            }
            else if (kept.Count > 0)
            {
                lists.Add(list.WithAttributes(SyntaxFactory.SeparatedList(kept)));
            }
        }

        var leading = type.GetLeadingTrivia();
        var result = type.WithAttributeLists(SyntaxFactory.List(lists));
        return result.WithLeadingTrivia(leading);
    }
}
