using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Targets;

/// <summary>
/// Reads the members a model type already has — declared in any of its parts, or inherited from a
/// base class — as plain data, so that a member the generator would write again is reported on the
/// user's member instead of breaking the generated file.
/// </summary>
internal static class UserMembers
{
    public static EquatableArray<UserMember> Read(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var members = new List<UserMember>();
        foreach (var member in type.GetMembers())
        {
            if (Describe(member, inheritedFrom: null) is { } m)
            {
                members.Add(m);
            }
        }

        foreach (var nested in type.GetTypeMembers())
        {
            members.Add(new UserMember(nested.Name, null, "The nested type '" + nested.Name + "'", LocationInfo.From(nested.Locations.FirstOrDefault())));
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (var b = type.BaseType; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
        {
            // What the model can see of its bases (a model nested in its own base sees the private ones too).
            foreach (var member in b.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } && compilation.IsSymbolAccessibleWithin(member, type))
                {
                    if (member is INamedTypeSymbol nested)
                    {
                        members.Add(new UserMember(nested.Name, null, "The nested type '" + nested.Name + "' inherited from '" + b.ToDisplayString() + "'", null));
                    }
                    else if (Describe(member, b) is { } m)
                    {
                        members.Add(m);
                    }
                }
            }
        }

        return members.Count == 0 ? EquatableArray<UserMember>.Empty : members.ToEquatableArray();
    }

    /// <summary>The parameter list as the collision check compares it: types fully qualified, any by-ref kind as <c>ref</c> (C# cannot overload on ref against out or in).</summary>
    public static string ParameterKey(IEnumerable<(bool ByRef, string Type)> parameters) =>
        string.Join(", ", parameters.Select(p => (p.ByRef ? "ref " : string.Empty) + p.Type));

    private static UserMember? Describe(ISymbol member, INamedTypeSymbol? inheritedFrom)
    {
        if (member.IsImplicitlyDeclared || member.Name.Length == 0 || IsExplicitImplementation(member))
        {
            // Compiler-made members, and explicit interface implementations (I.M), cannot collide.
            return null;
        }

        string where = inheritedFrom is null ? string.Empty : " inherited from '" + inheritedFrom.ToDisplayString() + "'";
        LocationInfo? at = inheritedFrom is null ? LocationInfo.From(member.Locations.FirstOrDefault()) : null;
        switch (member)
        {
            case IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } method:
                string parameters = ParameterKey(method.Parameters.Select(p => (p.RefKind != RefKind.None, p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))));
                string kind = method.MethodKind == MethodKind.Constructor ? "The constructor" : "The method";
                string name = method.MethodKind == MethodKind.Constructor ? member.ContainingType.Name : member.Name;
                return new UserMember(member.Name, parameters, kind + " '" + name + "(" + parameters + ")'" + where, at);
            case IMethodSymbol:
                // Accessors, operators, finalizers: their names are not C# member names.
                return null;
            case INamedTypeSymbol:
                return null;
            default:
                return new UserMember(member.Name, null, "The " + KindOf(member) + " '" + member.Name + "'" + where, at);
        }
    }

    private static bool IsExplicitImplementation(ISymbol member) => member switch
    {
        IMethodSymbol m => m.ExplicitInterfaceImplementations.Length > 0,
        IPropertySymbol p => p.ExplicitInterfaceImplementations.Length > 0,
        IEventSymbol e => e.ExplicitInterfaceImplementations.Length > 0,
        _ => false,
    };

    private static string KindOf(ISymbol member) => member switch
    {
        IFieldSymbol { IsConst: true } => "constant",
        IFieldSymbol => "field",
        IPropertySymbol => "property",
        IEventSymbol => "event",
        _ => "member",
    };
}
