using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.Pipeline;
using PhysMem.Generator.Targets;

namespace PhysMem.Generator.Emitting;

/// <summary>One member of a model's generated half, read back from the emitted text.</summary>
/// <param name="Name">Its name (<c>.ctor</c> for a constructor).</param>
/// <param name="Parameters">For a method or constructor, the parameter key <see cref="UserMembers.ParameterKey"/> compares; null otherwise.</param>
/// <param name="Signature">Its declaration without body, as messages and the refused surface write it.</param>
/// <param name="Syntax">The declaration.</param>
/// <param name="HasPointer">Whether its signature (not its body) names a pointer type, which needs unsafe code.</param>
internal sealed record GeneratedMember(string Name, string? Parameters, string Signature, MemberDeclarationSyntax Syntax, bool HasPointer);

/// <summary>
/// The members a model's generated half declares, found by parsing what <see cref="ModelEmitter"/>
/// writes, so the emitter stays the one place that decides them: the collision check (PMEM0032)
/// and the refused model's surface both read them from here.
/// </summary>
internal static class GeneratedSurface
{
    private static readonly Lazy<HashSet<string>> AnyModelNames = new(CollectAnyModelNames);

    /// <summary>The members of the generated type <paramref name="typeName"/> in <paramref name="source"/>.</summary>
    public static List<GeneratedMember> Read(string source, string typeName)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var type = root.DescendantNodes().OfType<TypeDeclarationSyntax>().Last(c => c.Identifier.ValueText == typeName);
        var members = new List<GeneratedMember>();
        foreach (var m in type.Members)
        {
            switch (m)
            {
                case FieldDeclarationSyntax f:
                    foreach (var v in f.Declaration.Variables)
                    {
                        members.Add(new GeneratedMember(v.Identifier.ValueText, null, Modifiers(f.Modifiers) + f.Declaration.Type + " " + v.Identifier.Text, m, Pointer(f.Declaration.Type)));
                    }

                    break;
                case MethodDeclarationSyntax method:
                    members.Add(new GeneratedMember(method.Identifier.ValueText, Key(method.ParameterList), Modifiers(method.Modifiers) + method.ReturnType + " " + method.Identifier.Text + method.ParameterList, m, Pointer(method.ReturnType) || Pointer(method.ParameterList)));
                    break;
                case ConstructorDeclarationSyntax ctor:
                    members.Add(new GeneratedMember(".ctor", Key(ctor.ParameterList), Modifiers(ctor.Modifiers) + ctor.Identifier.Text + ctor.ParameterList, m, Pointer(ctor.ParameterList)));
                    break;
                case PropertyDeclarationSyntax property:
                    members.Add(new GeneratedMember(property.Identifier.ValueText, null, Modifiers(property.Modifiers) + property.Type + " " + property.Identifier.Text, m, Pointer(property.Type)));
                    break;
            }
        }

        return members;
    }

    /// <summary>Whether a name could be a generated member's in some model (a cheap first test before the exact one).</summary>
    public static bool MayCollide(string name) => AnyModelNames.Value.Contains(name);

    /// <summary>
    /// The user's members that collide with generated ones, each with the generated member it meets:
    /// same name, unless both are methods (or constructors) whose parameters differ.
    /// </summary>
    public static IEnumerable<(UserMember User, GeneratedMember Generated)> Collisions(IEnumerable<UserMember> users, List<GeneratedMember> generated)
    {
        foreach (var u in users)
        {
            foreach (var g in generated)
            {
                if (u.Name == g.Name && (u.Parameters is null || g.Parameters is null || u.Parameters == g.Parameters))
                {
                    yield return (u, g);
                    break;
                }
            }
        }
    }

    private static string Key(ParameterListSyntax list) =>
        UserMembers.ParameterKey(list.Parameters.Select(p => (p.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword)), p.Type!.ToString())));

    private static bool Pointer(SyntaxNode node) => node is PointerTypeSyntax || node.DescendantNodes().OfType<PointerTypeSyntax>().Any();

    private static string Modifiers(SyntaxTokenList modifiers) => string.Concat(modifiers.Select(m => m.Text + " "));

    // Every member name of the generated halves of models that, between them, have every kind of
    // member: the three models, each section table, banks of one and two nodes, node and KASAN and LRU fields, last_cpupid
    // inside and outside page->flags.
    private static HashSet<string> CollectAnyModelNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var target = new ModelTarget(null, EquatableArray<ContainingType>.Empty, "class", "M", "M", true);
        var bank = new EquatableArray<BankInfo>(new[] { new BankInfo(0, 1UL << 30, 0, null) });
        var twoNodes = new EquatableArray<BankInfo>(new[] { new BankInfo(0, 1UL << 30, 0, null), new BankInfo(1UL << 30, 1UL << 30, 1, null) });
        var full = new LayoutSpec { NodesShift = 6, KasanTagWidth = 8, LruGen = true, NumaBalancing = true, NrCpusBits = 13 };
        var specs = new[]
        {
            full with { Model = Model.Flat, HolesInMemmap = true, LruGen = false },
            full with { Model = Model.Discontig, LruGen = false },
            full with { Vmemmap = true, Extreme = true }, full with { Vmemmap = true }, full with { Extreme = true }, full,
            full with { BitsPerLong = 32, PageShift = 12, MaxPhysmemBits = 36, SectionSizeBits = 29, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, NrPageflags = 21, KasanTagWidth = 0, LruGen = false },
        };
        foreach (var spec in specs)
        {
            // One bank (the comparisons) and two nodes (PfnToPage's chunk table).
            foreach (var banks in new[] { EquatableArray<BankInfo>.Empty, bank, twoNodes })
            {
                if (MemoryLayout.Compute(spec).Layout is null)
                {
                    continue;
                }

                foreach (var m in Read(ModelEmitter.Emit(target, spec, EquatableArray<InputSource>.Empty, banks, null, PageTypeInfo.Default), "M"))
                {
                    names.Add(m.Name);
                }
            }
        }

        return names;
    }
}
