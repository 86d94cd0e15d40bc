using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Model;

namespace PhysMem.Generator.Parsing;

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
            return Unusable(null, EquatableArray<DiagnosticInfo>.Empty, null);
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
        var target = ReadTarget(type, syntax, diagnostics, out bool canHoldModel);
        var inputs = new List<InputSource>();
        bool usable = ReadOptions(attribute, arguments, attributeLocation, inputs, diagnostics, out string? arch, out string? kconfig, out string? memoryMapFile);
        usable &= ReadPageType(attribute, type, context.SemanticModel.Compilation, arguments, attributeLocation, diagnostics, out var pageType);
        var banks = ReadBanks(type);
        var members = target is null ? EquatableArray<UserMember>.Empty : UserMembers.Read(type, context.SemanticModel.Compilation, cancellationToken);
        return new ModelInput(target, inputs.ToEquatableArray(), arch, kconfig, memoryMapFile, diagnostics.ToEquatableArray(), attributeLocation, arguments.ToEquatableArray(), banks.ToEquatableArray(), pageType, usable && canHoldModel)
        {
            Members = members,
        };
    }

    /// <summary>A model that cannot be read at all (only its diagnostics travel on).</summary>
    public static ModelInput Unusable(ModelTarget? target, EquatableArray<DiagnosticInfo> diagnostics, LocationInfo? attributeLocation) =>
        new(target, EquatableArray<InputSource>.Empty, null, null, null, diagnostics, attributeLocation, EquatableArray<ArgumentLocation>.Empty, EquatableArray<BankInfo>.Empty, null, false);

    // PageType = typeof(T): null (the runtime's Page) when not given; false when given but unusable.
    private static bool ReadPageType(AttributeData attribute, INamedTypeSymbol type, Compilation compilation, List<ArgumentLocation> arguments, LocationInfo? attributeLocation, List<DiagnosticInfo> diagnostics, out PageTypeInfo? pageType)
    {
        pageType = null;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == "PageType")
            {
                pageType = PageTypeParser.Read(pair.Value, type, compilation, Locate(new[] { "PageType" }, arguments, attributeLocation), diagnostics);
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

    /// <summary>Picks the location of the first blamed input the user wrote, else the attribute.</summary>
    public static LocationInfo? Locate(IEnumerable<string> blame, IReadOnlyList<ArgumentLocation> arguments, LocationInfo? fallback)
    {
        foreach (var name in blame)
        {
            foreach (var a in arguments)
            {
                if (string.Equals(a.Name, name, StringComparison.Ordinal))
                {
                    return a.Location;
                }
            }
        }

        return fallback;
    }

    private static bool IsInput(string name)
    {
        foreach (var input in new LayoutSpec().Inputs())
        {
            if (input.Name == name)
            {
                return true;
            }
        }

        return name is "NrCpus";
    }

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

    /// <summary>
    /// The type as plain data, or null when no generated half can be added to it at all (a type or
    /// container that is not partial, a generic type). <paramref name="canHoldModel"/> is false when a
    /// half can be added but the type cannot be a model (a record, a struct, a static class, a type in
    /// a generic type): the model is refused, and only its members' surface is emitted.
    /// </summary>
    private static ModelTarget? ReadTarget(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, out bool canHoldModel)
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

    /// <summary>
    /// Reads the constructor argument and the named properties into <paramref name="inputs"/> (as
    /// text, source <c>attribute</c>), in the order written.
    /// </summary>
    /// <returns>False when an argument is unusable (a diagnostic says why).</returns>
    private static bool ReadOptions(AttributeData attribute, List<ArgumentLocation> arguments, LocationInfo? attributeLocation, List<InputSource> inputs, List<DiagnosticInfo> diagnostics, out string? arch, out string? kconfig, out string? memoryMapFile)
    {
        arch = null;
        kconfig = null;
        memoryMapFile = null;
        var options = new LayoutOptions();
        var names = new List<string>();
        bool ok = true;

        void Invalid(string name, string why)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.InvalidArgument.Id, Locate(new[] { name }, arguments, attributeLocation), new EquatableArray<string>(new[] { name, why })));
            ok = false;
        }

        if (attribute.AttributeConstructor is { Parameters.Length: 1 } ctor)
        {
            bool byArch = ctor.Parameters[0].Type.Name == "Arch";
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error || attribute.ConstructorArguments[0].Value is not int firstValue)
            {
                Invalid("Model", "it must be a constant of the Model enum (Flat, Discontig or Sparse) or of the Arch enum");
                return false;
            }

            if (byArch)
            {
                if (!Enum.IsDefined(typeof(PhysMem.Arch), firstValue))
                {
                    Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not an Arch preset");
                    return false;
                }

                arch = ((PhysMem.Arch)firstValue).ToString();
            }
            else
            {
                if (!Enum.IsDefined(typeof(PhysMem.Model), firstValue))
                {
                    Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not one of Flat, Discontig or Sparse");
                    return false;
                }

                options.Model = (PhysMem.Model)firstValue;
                names.Add("Model");
            }
        }
        else if (attribute.AttributeConstructor is null)
        {
            // The attribute does not bind (the compiler reports why): nothing to read.
            return false;
        }

        foreach (var pair in attribute.NamedArguments)
        {
            string name = pair.Key;
            TypedConstant value = pair.Value;
            if (name is "Kconfig" or "MemoryMapFile")
            {
                if (value.Kind != TypedConstantKind.Error && value.IsNull)
                {
                    // null is the property's default: no file, as if it were not written.
                    continue;
                }

                // Files among the AdditionalFiles, by path or the end of it.
                string? file = value.Value is string text && text.Trim().Length > 0 ? text.Trim() : null;
                if (file is null)
                {
                    Invalid(name, name == "Kconfig"
                        ? "it must name a kernel configuration among the project's AdditionalFiles (\"linux.config\")"
                        : "it must name a memory map among the project's AdditionalFiles (\"board.iomem\")");
                }
                else if (name == "Kconfig")
                {
                    kconfig = file;
                }
                else
                {
                    memoryMapFile = file;
                }

                continue;
            }

            if (name == "PageType")
            {
                // Read by ReadPageType: it is not a layout input.
                continue;
            }

            if (value.Kind == TypedConstantKind.Error || value.Value is null)
            {
                Invalid(name, "it is not a constant of the property's type");
                continue;
            }

            object v = value.Value;
            switch (name)
            {
                case "PageShift" when v is int i: options.PageShift = i; break;
                case "BitsPerLong" when v is int i: options.BitsPerLong = i; break;
                case "SectionSizeBits" when v is int i: options.SectionSizeBits = i; break;
                case "MaxPhysmemBits" when v is int i: options.MaxPhysmemBits = i; break;
                case "Vmemmap" when v is bool b: options.Vmemmap = b; break;
                case "Extreme" when v is bool b: options.Extreme = b; break;
                case "ArchPfnOffset" when v is ulong u: options.ArchPfnOffset = u; break;
                case "HolesInMemmap" when v is bool b: options.HolesInMemmap = b; break;
                case "NodesShift" when v is int i: options.NodesShift = i; break;
                case "Zones" when v is int z: options.Zones = (PhysMem.Zones)z; break;
                case "MaxNrZones" when v is int i: options.MaxNrZones = i; break;
                case "ZoneDevice" when v is bool b: options.ZoneDevice = b; break;
                case "NrPageflags" when v is int i: options.NrPageflags = i; break;
                case "NumaBalancing" when v is bool b: options.NumaBalancing = b; break;
                case "NrCpusBits" when v is int i: options.NrCpusBits = i; break;
                case "NrCpus" when v is int i: options.NrCpus = i; break;
                case "KasanTagWidth" when v is int i: options.KasanTagWidth = i; break;
                case "LruGen" when v is bool b: options.LruGen = b; break;
                case "PageExtension" when v is bool b: options.PageExtension = b; break;
                case "MaxPageOrder" when v is int i: options.MaxPageOrder = i; break;
                case "PageblockOrder" when v is int i: options.PageblockOrder = i; break;
                case "MemoryIsolation" when v is bool b: options.MemoryIsolation = b; break;
                default:
                    // A known name with a value of another type comes from an attribute class that is
                    // not the runtime's (a copy declared in source, CS0436).
                    Invalid(name, IsInput(name) ? "it is not a constant of the property's type" : "PhysMem does not know this property");
                    continue;
            }

            names.Add(name);
        }

        foreach (var name in names)
        {
            inputs.Add(new InputSource(name, KconfigValues.Format(options, name) ?? string.Empty, "attribute"));
        }

        return ok;
    }
}
