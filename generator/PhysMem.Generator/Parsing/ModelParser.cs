using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.Model;

namespace PhysMem.Generator.Parsing;

/// <summary>
/// Turns one <c>[MemoryModel]</c> target into a <see cref="ModelInput"/>: the type's shape, the
/// attribute's values resolved into a <see cref="LayoutSpec"/>, where each argument was written,
/// and the misuses found on the way. Never throws on user input.
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
            return new ModelInput(null, null, EquatableArray<InputSource>.Empty, EquatableArray<DiagnosticInfo>.Empty, null, EquatableArray<ArgumentLocation>.Empty, EquatableArray<BankInfo>.Empty);
        }

        var attribute = context.Attributes[0];
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var attributeLocation = LocationInfo.From(attributeSyntax) ?? LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        var arguments = CollectArgumentLocations(attributeSyntax);

        cancellationToken.ThrowIfCancellationRequested();
        var target = ReadTarget(type, syntax, attributeLocation, diagnostics);
        var inputs = new List<InputSource>();
        var options = ReadOptions(attribute, arguments, attributeLocation, inputs, diagnostics);

        var problems = new List<LayoutDiagnostic>();
        var spec = options is null ? null : options.Resolve(problems);
        foreach (var p in problems)
        {
            diagnostics.Add(new DiagnosticInfo(p.Id, Locate(p.Blame, arguments, attributeLocation), p.Arguments.ToEquatableArray()));
        }

        if (spec is not null)
        {
            AddDefaults(spec, inputs);
        }

        var banks = ReadBanks(type, cancellationToken);
        return new ModelInput(target, spec, inputs.ToEquatableArray(), diagnostics.ToEquatableArray(), attributeLocation, arguments.ToEquatableArray(), banks.ToEquatableArray());
    }

    private static List<BankInfo> ReadBanks(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var banks = new List<BankInfo>();
        foreach (var a in type.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() != TypeNames.MemoryBankAttributeMetadataName
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

            banks.Add(new BankInfo(start, size, node, LocationInfo.From(a.ApplicationSyntaxReference?.GetSyntax(cancellationToken))));
        }

        return banks;
    }

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

    private static ModelTarget? ReadTarget(INamedTypeSymbol type, TypeDeclarationSyntax syntax, LocationInfo? attributeLocation, List<DiagnosticInfo> diagnostics)
    {
        bool ok = true;
        if (type.TypeParameters.Length > 0)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.GenericType.Id, LocationInfo.From(syntax.Identifier.GetLocation()), new EquatableArray<string>(new[] { type.ToDisplayString() })));
            ok = false;
        }

        if (syntax is RecordDeclarationSyntax)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.RecordType.Id, LocationInfo.From(syntax.Identifier.GetLocation()), new EquatableArray<string>(new[] { type.ToDisplayString() })));
            ok = false;
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(NotPartial(type, type, syntax.Identifier.GetLocation()));
            ok = false;
        }

        var containers = new List<ContainingType>();
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.NotPartial.Id, LocationInfo.From(parent.Identifier.GetLocation()),
                    new EquatableArray<string>(new[] { type.ToDisplayString(), parent.Identifier.ValueText })));
                ok = false;
            }

            containers.Insert(0, new ContainingType(KeywordOf(parent), parent.Identifier.ValueText + (parent.TypeParameterList?.ToString() ?? string.Empty)));
        }

        if (!ok)
        {
            return null;
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new ModelTarget(ns, containers.ToEquatableArray(), KeywordOf(syntax), type.Name, type.IsValueType);
    }

    private static DiagnosticInfo NotPartial(INamedTypeSymbol model, INamedTypeSymbol offender, Location location) =>
        new(DiagnosticCatalog.NotPartial.Id, LocationInfo.From(location), new EquatableArray<string>(new[] { model.ToDisplayString(), offender.Name }));

    private static string KeywordOf(TypeDeclarationSyntax syntax) => syntax switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record class",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static LayoutOptions? ReadOptions(AttributeData attribute, List<ArgumentLocation> arguments, LocationInfo? attributeLocation, List<InputSource> inputs, List<DiagnosticInfo> diagnostics)
    {
        var options = new LayoutOptions();
        bool ok = true;

        void Invalid(string name, string why)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.InvalidArgument.Id, Locate(new[] { name }, arguments, attributeLocation), new EquatableArray<string>(new[] { name, why })));
            ok = false;
        }

        bool byArch = attribute.AttributeConstructor is { Parameters.Length: 1 } ctor && ctor.Parameters[0].Type.Name == "Arch";
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error || attribute.ConstructorArguments[0].Value is not int firstValue)
        {
            Invalid("Model", "it must be a constant of the Model enum (Flat, Discontig or Sparse) or of the Arch enum");
            return null;
        }

        PhysMem.Arch? arch = null;
        if (byArch)
        {
            if (!Enum.IsDefined(typeof(PhysMem.Arch), firstValue))
            {
                Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not an Arch preset");
                return null;
            }

            arch = (PhysMem.Arch)firstValue;
            inputs.Add(new InputSource("Arch", arch.Value.ToString(), "attribute"));
        }
        else
        {
            if (!Enum.IsDefined(typeof(PhysMem.Model), firstValue))
            {
                Invalid("Model", "'" + firstValue.ToString(CultureInfo.InvariantCulture) + "' is not one of Flat, Discontig or Sparse");
                return null;
            }

            options.Model = (PhysMem.Model)firstValue;
            inputs.Add(new InputSource("Model", options.Model.Value.ToString(), "attribute"));
        }

        foreach (var pair in attribute.NamedArguments)
        {
            string name = pair.Key;
            TypedConstant value = pair.Value;
            if (value.Kind == TypedConstantKind.Error || value.Value is null)
            {
                Invalid(name, "it is not a constant of the property's type");
                continue;
            }

            object v = value.Value;
            string shown = v is bool b ? (b ? "true" : "false") : Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty;
            if (name == "Zones" && v is int z)
            {
                shown = ((PhysMem.Zones)z).ToString();
            }
            else if (name == "ArchPfnOffset" && v is ulong off)
            {
                shown = "0x" + off.ToString("X", CultureInfo.InvariantCulture);
            }

            inputs.Add(new InputSource(name, shown, "attribute"));
            switch (name)
            {
                case "PageShift": options.PageShift = (int)v; break;
                case "BitsPerLong": options.BitsPerLong = (int)v; break;
                case "SectionSizeBits": options.SectionSizeBits = (int)v; break;
                case "MaxPhysmemBits": options.MaxPhysmemBits = (int)v; break;
                case "Vmemmap": options.Vmemmap = (bool)v; break;
                case "Extreme": options.Extreme = (bool)v; break;
                case "ArchPfnOffset": options.ArchPfnOffset = (ulong)v; break;
                case "HolesInMemmap": options.HolesInMemmap = (bool)v; break;
                case "NodesShift": options.NodesShift = (int)v; break;
                case "Zones": options.Zones = (PhysMem.Zones)(int)v; break;
                case "MaxNrZones": options.MaxNrZones = (int)v; break;
                case "ZoneDevice": options.ZoneDevice = (bool)v; break;
                case "NrPageflags": options.NrPageflags = (int)v; break;
                case "NumaBalancing": options.NumaBalancing = (bool)v; break;
                case "NrCpusBits": options.NrCpusBits = (int)v; break;
                case "NrCpus": options.NrCpus = (int)v; break;
                case "KasanTagWidth": options.KasanTagWidth = (int)v; break;
                case "LruGen": options.LruGen = (bool)v; break;
                case "PageExtension": options.PageExtension = (bool)v; break;
                case "MaxPageOrder": options.MaxPageOrder = (int)v; break;
                case "PageblockOrder": options.PageblockOrder = (int)v; break;
                case "MemoryIsolation": options.MemoryIsolation = (bool)v; break;
                default: Invalid(name, "PhysMem does not know this property"); break;
            }
        }

        if (ok && arch.HasValue)
        {
            ArchPresets.TryApply(arch.Value, options, out var filled);
            foreach (var name in filled)
            {
                inputs.Add(new InputSource(name, string.Empty, "preset " + arch.Value));
            }
        }

        return ok ? options : null;
    }

    /// <summary>Lists the inputs the attribute did not set, with the default each took.</summary>
    private static void AddDefaults(LayoutSpec spec, List<InputSource> inputs)
    {
        void Default(string name, string value)
        {
            for (int k = 0; k < inputs.Count; k++)
            {
                if (inputs[k].Name == name)
                {
                    if (inputs[k].Value.Length == 0)
                    {
                        inputs[k] = inputs[k] with { Value = value };
                    }

                    return;
                }
            }

            inputs.Add(new InputSource(name, value, "default"));
        }

        static string B(bool v) => v ? "true" : "false";
        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        Default("Model", spec.Model.ToString());
        Default("PageShift", I(spec.PageShift));
        Default("BitsPerLong", I(spec.BitsPerLong));
        if (spec.Model == PhysMem.Model.Sparse)
        {
            Default("SectionSizeBits", I(spec.SectionSizeBits));
            Default("MaxPhysmemBits", I(spec.MaxPhysmemBits));
            Default("Vmemmap", B(spec.Vmemmap));
            Default("Extreme", B(spec.Extreme));
        }

        if (spec.Model == PhysMem.Model.Flat)
        {
            Default("ArchPfnOffset", "0x" + spec.ArchPfnOffset.ToString("X", CultureInfo.InvariantCulture));
            Default("HolesInMemmap", B(spec.HolesInMemmap));
        }

        Default("NodesShift", I(spec.NodesShift));
        Default("Zones", spec.Zones.ToString());
        Default("NrPageflags", I(spec.NrPageflags));
        Default("NumaBalancing", B(spec.NumaBalancing));
        Default("NrCpusBits", I(spec.NrCpusBits));
        Default("KasanTagWidth", I(spec.KasanTagWidth));
        Default("LruGen", B(spec.LruGen));
        Default("PageExtension", B(spec.PageExtension));
        Default("MaxPageOrder", I(spec.MaxPageOrder));
        Default("PageblockOrder", I(spec.PageblockOrder));
        Default("MemoryIsolation", B(spec.MemoryIsolation));
        inputs.RemoveAll(i => i.Value.Length == 0);
    }
}
