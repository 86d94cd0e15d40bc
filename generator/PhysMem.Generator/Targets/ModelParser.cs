using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Pipeline;
using PhysMem.Generator.Resolution;

namespace PhysMem.Generator.Targets;

/// <summary>
/// Turns one <c>[MemoryModel]</c> target into a <see cref="ModelInput"/>: the type's shape, the
/// inputs the attribute sets (one layer; <see cref="ModelResolver"/> merges it with the others),
/// where each argument was written, and the misuses found on the way. Never throws on user input.
/// </summary>
internal static class ModelParser
{
    public static ModelInput Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        if (syntax.Identifier.IsMissing || type.Name.Length == 0 || context.Attributes.IsEmpty)
        {
            // Incomplete code: the compiler reports it; there is nothing to generate or to add.
            return Skipped(EquatableArray<DiagnosticInfo>.Empty, null);
        }

        // The attributes written on this declaration: for a partial type the compiler may list those
        // of its other declarations too, which are their own targets.
        var mine = new List<AttributeData>();
        foreach (var a in context.Attributes)
        {
            if (a.ApplicationSyntaxReference is { } r && r.SyntaxTree == syntax.SyntaxTree && syntax.Span.Contains(r.Span))
            {
                mine.Add(a);
            }
        }

        var attribute = mine.Count > 0 ? mine[0] : context.Attributes[0];
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var attributeLocation = LocationInfo.From(attributeSyntax) ?? LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        var arguments = CollectArgumentLocations(attributeSyntax);

        // [MemoryModel] twice on one declaration (the compiler also says CS0579): the first counts.
        for (int i = 1; i < mine.Count; i++)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.DuplicateModel.Id, LocationInfo.From(mine[i].ApplicationSyntaxReference),
                new EquatableArray<string>(new[] { type.ToDisplayString(), "the attribute before it" })));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var target = TargetReader.Read(type, syntax, diagnostics, out bool canHoldModel);
        var inputs = new List<InputSource>();
        bool usable = AttributeOptions.Read(attribute, arguments, attributeLocation, inputs, diagnostics, out string? arch, out string? kconfig, out string? memoryMapFile, out string? vmcoreInfo);
        usable &= ReadPageType(attribute, type, context.SemanticModel.Compilation, arguments, attributeLocation, diagnostics, out var pageType);
        var banks = ReadBanks(type);
        var members = target is null ? EquatableArray<UserMember>.Empty : UserMembers.Read(type, context.SemanticModel.Compilation, cancellationToken);
        usable &= canHoldModel;
        ReadOutcome outcome = target is null ? new ReadOutcome.Skipped(usable ? Nothing.Value : null)
            : usable ? new ReadOutcome.Accepted(target, Nothing.Value)
            : new ReadOutcome.Refused(target, Nothing.Value);
        return new ModelInput(outcome, inputs.ToEquatableArray(), arch, kconfig, memoryMapFile, diagnostics.ToEquatableArray(), attributeLocation, arguments.ToEquatableArray(), banks.ToEquatableArray(), pageType)
        {
            Members = members,
            VmcoreInfo = vmcoreInfo,
        };
    }

    /// <summary>A model that cannot be read at all (only its diagnostics travel on).</summary>
    public static ModelInput Skipped(EquatableArray<DiagnosticInfo> diagnostics, LocationInfo? attributeLocation) =>
        new(new ReadOutcome.Skipped(), EquatableArray<InputSource>.Empty, null, null, null, diagnostics, attributeLocation, EquatableArray<ArgumentLocation>.Empty, EquatableArray<BankInfo>.Empty, null);

    // PageType = typeof(T): null (the runtime's Page) when not given; false when given but unusable.
    private static bool ReadPageType(AttributeData attribute, INamedTypeSymbol type, Compilation compilation, List<ArgumentLocation> arguments, LocationInfo? attributeLocation, List<DiagnosticInfo> diagnostics, out PageTypeInfo? pageType)
    {
        pageType = null;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == "PageType")
            {
                pageType = PageTypeParser.Read(pair.Value, type, compilation, Blame.Locate(new[] { "PageType" }, arguments, attributeLocation), diagnostics);
                return pageType is not null;
            }
        }

        return true;
    }

    private static List<BankInfo> ReadBanks(INamedTypeSymbol type)
    {
        var banks = new List<BankInfo>();
        foreach (var a in type.GetAttributes())
        {
            if (!IsMemoryBankAttribute(a.AttributeClass)
                || a.ConstructorArguments.Length != 2
                || a.ConstructorArguments[0].Value is not ulong start
                || a.ConstructorArguments[1].Value is not ulong size)
            {
                continue;
            }

            int node = 0;
            foreach (var named in a.NamedArguments)
            {
                if (named.Key == "Node" && named.Value.Value is int n)
                {
                    node = n;
                }
            }

            banks.Add(new BankInfo(start, size, node, LocationInfo.From(a.ApplicationSyntaxReference)));
        }

        return banks;
    }

    // PhysMem.MemoryBankAttribute, compared by name and namespace: no string is formatted for the
    // type's other attributes, on every model, after every edit.
    private static bool IsMemoryBankAttribute(INamedTypeSymbol? attributeClass) =>
        attributeClass is { Name: TypeNames.MemoryBankAttributeName, ContainingNamespace: { Name: TypeNames.RuntimeNamespace, ContainingNamespace.IsGlobalNamespace: true } };

    private static List<ArgumentLocation> CollectArgumentLocations(AttributeSyntax? attributeSyntax)
    {
        var list = new List<ArgumentLocation>();
        if (attributeSyntax?.ArgumentList is null)
        {
            return list;
        }

        int position = 0;
        foreach (var arg in attributeSyntax.ArgumentList.Arguments)
        {
            var location = LocationInfo.From(arg);
            if (location is null)
            {
                continue;
            }

            if (arg.NameEquals is not null)
            {
                list.Add(new ArgumentLocation(arg.NameEquals.Name.Identifier.ValueText, location));
            }
            else if (arg.NameColon is not null)
            {
                list.Add(new ArgumentLocation(arg.NameColon.Name.Identifier.ValueText == "model" ? "Model" : arg.NameColon.Name.Identifier.ValueText, location));
            }
            else if (position++ == 0)
            {
                list.Add(new ArgumentLocation("Model", location));
            }
        }

        return list;
    }
}
