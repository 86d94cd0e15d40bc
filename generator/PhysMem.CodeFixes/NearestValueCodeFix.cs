using System;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PhysMem.CodeFixes;

/// <summary>
/// PMEM0003: replaces an out-of-range number with the nearest value the input allows, when one is
/// nearest (no fix for a tie, such as KasanTagWidth = 6 between 4 and 8).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NearestValueCodeFix))]
[Shared]
public sealed class NearestValueCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PMEM0003");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: { } name } argument
            || model is null
            || argument.Parent is not AttributeArgumentListSyntax arguments
            || !TryGetLong(model, argument.Expression, out long value))
        {
            return;
        }

        int bitsPerLong = 64;
        foreach (var other in arguments.Arguments)
        {
            if (other.NameEquals?.Name.Identifier.ValueText == "BitsPerLong" && TryGetLong(model, other.Expression, out long bpl) && bpl is 32 or 64)
            {
                bitsPerLong = (int)bpl;
            }
        }

        string property = name.Name.Identifier.ValueText;
        if (InputRanges.Get(property, bitsPerLong)?.Nearest(value) is not long nearest || nearest == value)
        {
            return;
        }

        string text = nearest.ToString(CultureInfo.InvariantCulture);
        var replacement = SyntaxFactory.ParseExpression(text).WithTriviaFrom(argument.Expression);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Use {property} = {text}, the nearest allowed value",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, replacement))),
                equivalenceKey: nameof(NearestValueCodeFix) + "." + property),
            context.Diagnostics);
    }

    private static bool TryGetLong(SemanticModel model, ExpressionSyntax expression, out long value)
    {
        var constant = model.GetConstantValue(expression);
        switch (constant.Value)
        {
            case int i:
                value = i;
                return true;
            case long l:
                value = l;
                return true;
            default:
                value = 0;
                return false;
        }
    }
}
