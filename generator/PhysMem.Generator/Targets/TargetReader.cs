using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Targets;

/// <summary>
/// The annotated type as plain data: its namespace, containers and keyword, and whether it can be a
/// model at all (PMEM0001, PMEM0002, PMEM0009, PMEM0017, PMEM0031).
/// </summary>
internal static class TargetReader
{
    /// <summary>
    /// The type as plain data, or null when no generated half can be added to it at all (a type or
    /// container that is not partial, a generic type). <paramref name="canHoldModel"/> is false when a
    /// half can be added but the type cannot be a model (a record, a struct, a static class, a type in
    /// a generic type): the model is refused, and only its members' surface is emitted.
    /// </summary>
    public static ModelTarget? Read(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, out bool canHoldModel)
    {
        var at = LocationInfo.From(syntax.Identifier.GetLocation());
        // Formatted only for a diagnostic: this transform runs for every model after every edit.
        string Display() => type.ToDisplayString();
        void Refuse(DiagnosticDescriptorInfo descriptor, params string[] args) => diagnostics.Add(new DiagnosticInfo(descriptor.Id, at, new EquatableArray<string>(args)));

        bool emittable = true;
        canHoldModel = true;
        if (type.TypeParameters.Length > 0)
        {
            Refuse(DiagnosticCatalog.GenericType, Display(), "is generic");
            emittable = false;
        }

        if (syntax is RecordDeclarationSyntax)
        {
            Refuse(DiagnosticCatalog.RecordType, Display());
            canHoldModel = false;
        }
        else if (type.IsValueType)
        {
            Refuse(DiagnosticCatalog.TypeKind, Display(), (type.IsRefLikeType ? "is a ref struct" : type.IsReadOnly ? "is a readonly struct" : "is a struct")
                + ", and copying a struct copies its raw pointers and its disposed flag: disposing one copy leaves the others pointing at freed memory");
            canHoldModel = false;
        }
        else if (type.IsStatic)
        {
            Refuse(DiagnosticCatalog.TypeKind, Display(), "is static, but a model is an instance that owns its storage and is disposed");
            canHoldModel = false;
            emittable = false;
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(NotPartial(type, type, syntax.Identifier.GetLocation()));
            emittable = false;
        }

        bool primaryConstructor = syntax.ParameterList is not null;
        bool canTakeSurface = !type.IsRefLikeType;
        if (canHoldModel && ClassProblem(type, primaryConstructor, out bool baseProblem) is { } problem)
        {
            Refuse(DiagnosticCatalog.TypeKind, Display(), problem);
            canHoldModel = false;

            // Over a base it cannot be built on, no surface either: its members would hide the base's, its constructor call nothing.
            canTakeSurface &= !baseProblem;
        }

        if (canHoldModel)
        {
            foreach (var ctor in type.InstanceConstructors)
            {
                if (!ctor.IsImplicitlyDeclared && ctor.DeclaringSyntaxReferences.Length > 0
                    && ctor.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax { Initializer: not { RawKind: (int)SyntaxKind.ThisConstructorInitializer } } c)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.ConstructorWithoutStorage.Id, LocationInfo.From(c.Identifier.GetLocation()),
                        new EquatableArray<string>(new[] { type.Name + c.ParameterList, Display() })));
                    canHoldModel = false;
                }
            }
        }

        var containers = new List<ContainingType>();
        bool fileLocal = type.IsFileLocal;
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.NotPartial.Id, LocationInfo.From(parent.Identifier.GetLocation()),
                    new EquatableArray<string>(new[] { Display(), parent.Identifier.ValueText })));
                emittable = false;
            }

            fileLocal |= parent.Modifiers.Any(SyntaxKind.FileKeyword);
            containers.Insert(0, Container(parent));
        }

        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
            {
                Refuse(DiagnosticCatalog.GenericType, Display(), "is nested in the generic type '" + outer.ToDisplayString() + "', so every constructed " + outer.Name + "<...> would get a model of its own");
                canHoldModel = false;
                break;
            }
        }

        if (fileLocal)
        {
            // A file-local type's partial declarations must all be in one file, and the generated
            // half is another file: nothing can be added to it.
            Refuse(DiagnosticCatalog.TypeKind, Display(), "is file-local (or nested in a file-local type), and a file-local type's parts must all be in one file, so no generated half can be added to it");
            canHoldModel = false;
            emittable = false;
        }

        if (!emittable)
        {
            return null;
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? NamespaceName(n, escape: true) : null;
        string identity = (ns is null ? string.Empty : NamespaceName(type.ContainingNamespace!, escape: false) + ".")
            + string.Concat(containers.Select(c => c.MetadataName + ".")) + type.MetadataName;
        return new ModelTarget(ns, containers.ToEquatableArray(), KeywordOf(syntax), Identifiers.Escape(type.Name), identity, canTakeSurface)
        {
            HasPrimaryConstructor = primaryConstructor,
            HasGeneratedCodeAttribute = HasAttribute(type, "GeneratedCodeAttribute", "System.CodeDom.Compiler"),
        };
    }

    /// <summary>Why a class cannot be a model, or null: what the generated half adds must fit what the class already is.</summary>
    private static string? ClassProblem(INamedTypeSymbol type, bool primaryConstructor, out bool baseProblem)
    {
        baseProblem = true;
        if (primaryConstructor)
        {
            baseProblem = false;
            return "has a primary constructor, which the generated constructor (from a MemoryMap) would have to call with values it cannot know";
        }

        foreach (var a in type.GetAttributes())
        {
            if (a.AttributeClass is { Name: "StructLayoutAttribute" } && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is int kind && kind == 2)
            {
                baseProblem = false;
                return "has an explicit layout (StructLayout(LayoutKind.Explicit)), and the generated fields have no FieldOffset";
            }
        }

        for (var b = type.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
        {
            if (HasAttribute(b, "MemoryModelAttribute", "PhysMem"))
            {
                return "derives from the memory model '" + b.ToDisplayString() + "', whose generated members it would hide; a model owns its storage, so compose models instead of deriving one from another";
            }
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            bool callable = false;
            foreach (var c in baseType.InstanceConstructors)
            {
                if (c.Parameters.All(p => p.IsOptional || p.IsParams) && c.DeclaredAccessibility is not Accessibility.Private
                    && !HasAttribute(c, "ObsoleteAttribute", "System"))
                {
                    callable = true;
                }
            }

            if (!callable)
            {
                return "derives from '" + baseType.ToDisplayString() + "', which has no accessible, non-obsolete constructor without arguments for the generated constructor to call";
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, string name, string ns)
    {
        foreach (var a in symbol.GetAttributes())
        {
            if (a.AttributeClass is { } c && c.Name == name && c.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }

    private static ContainingType Container(TypeDeclarationSyntax parent)
    {
        string name = Identifiers.Escape(parent.Identifier.ValueText);
        var parameters = parent.TypeParameterList?.Parameters;
        if (parameters is not { Count: > 0 } list)
        {
            return new ContainingType(KeywordOf(parent), name, parent.Identifier.ValueText);
        }

        // The parameters as a partial declaration must repeat them: names and variance, without attributes.
        var text = new System.Text.StringBuilder(name).Append('<');
        for (int i = 0; i < list.Count; i++)
        {
            var p = list[i];
            text.Append(i > 0 ? ", " : string.Empty)
                .Append(p.VarianceKeyword.IsKind(SyntaxKind.None) ? string.Empty : p.VarianceKeyword.Text + " ")
                .Append(Identifiers.Escape(p.Identifier.ValueText));
        }

        return new ContainingType(KeywordOf(parent), text.Append('>').ToString(), parent.Identifier.ValueText + "`" + list.Count.ToString(CultureInfo.InvariantCulture));
    }

    // The namespace's dotted name, without the symbol display formatter (one segment: its name).
    private static string NamespaceName(INamespaceSymbol ns, bool escape)
    {
        string name = escape ? Identifiers.Escape(ns.Name) : ns.Name;
        if (ns.ContainingNamespace is not { IsGlobalNamespace: false } outer)
        {
            return name;
        }

        return NamespaceName(outer, escape) + "." + name;
    }

    private static DiagnosticInfo NotPartial(INamedTypeSymbol model, INamedTypeSymbol offender, Location location) =>
        new(DiagnosticCatalog.NotPartial.Id, LocationInfo.From(location), new EquatableArray<string>(new[] { model.ToDisplayString(), offender.Name }));

    private static string KeywordOf(TypeDeclarationSyntax syntax) => syntax switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };
}
