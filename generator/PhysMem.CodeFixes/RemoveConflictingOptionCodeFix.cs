using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PhysMem.CodeFixes;

/// <summary>
/// PMEM0007 (two options contradict each other): removes one of the two from the attribute, one
/// action per option the attribute names (<c>NrCpus = 64</c> and <c>NrCpusBits = 3</c> give
/// "Remove NrCpusBits = 3, keep NrCpus = 64" and the other way round). An option that does not
/// come from the attribute (an MSBuild property, the kernel configuration) gets no action.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveConflictingOptionCodeFix))]
[Shared]
public sealed class RemoveConflictingOptionCodeFix : CodeFixProvider
{
    // The message starts "{0} and {1} contradict each other", each part "Name = value ..." (DiagnosticCatalog.Conflict).
    private static readonly Regex OptionName = new(@"(?:^|\band )(?<name>[A-Z][A-Za-z0-9]*) = ", RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PMEM0007");

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            int end = message.IndexOf(" contradict each other", System.StringComparison.Ordinal);
            var options = new List<AttributeArgumentSyntax>();
            foreach (Match m in OptionName.Matches(end < 0 ? message : message.Substring(0, end)))
            {
                if (AttributeArguments.Named(attribute, m.Groups["name"].Value) is { } argument && !options.Contains(argument))
                {
                    options.Add(argument);
                }
            }

            foreach (var option in options)
            {
                string removed = option.ToString();
                string? kept = options.Count == 2 ? options[options[0] == option ? 1 : 0].ToString() : null;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        kept is null ? $"Remove {removed}" : $"Remove {removed}, keep {kept}",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(AttributeArguments.Remove(root, option))),
                        equivalenceKey: nameof(RemoveConflictingOptionCodeFix) + "." + option.NameEquals!.Name.Identifier.ValueText),
                    diagnostic);
            }
        }
    }
}
