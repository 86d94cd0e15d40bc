using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Pipeline;
using PhysMem.Generator.Validation;

namespace PhysMem.Generator.Targets;

/// <summary>
/// Reads <c>PageType = typeof(T)</c>: the type must be an unmanaged struct the model's members can
/// expose, with an accessible, writable <c>Flags</c> field of type <c>ulong</c> (or <c>uint</c>,
/// which <see cref="ModelValidator"/> accepts only for a 32-bit layout). Whether a <c>LastCpupid</c>
/// field is needed depends on the layout, so it is only recorded here.
/// </summary>
internal static class PageTypeParser
{
    private const string FlagsField = "Flags";
    private const string LastCpupidField = "LastCpupid";

    /// <summary>Reads the argument; on a problem adds a diagnostic at <paramref name="at"/> and returns null.</summary>
    public static PageTypeInfo? Read(TypedConstant value, INamedTypeSymbol model, Compilation compilation, LocationInfo? at, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind != TypedConstantKind.Type || value.Value is not ITypeSymbol type)
        {
            diagnostics.Add(Info(DiagnosticCatalog.InvalidArgument.Id, at, "PageType", "it must be typeof(a struct), e.g. PageType = typeof(MyPage)"));
            return null;
        }

        if (type.TypeKind == TypeKind.Error)
        {
            // The compiler reports the unknown type.
            return null;
        }

        string display = type.ToDisplayString();
        string? notUnmanaged = type switch
        {
            INamedTypeSymbol { IsUnboundGenericType: true } => "it is an open generic type",
            _ when type.TypeKind != TypeKind.Struct => "it is " + Article(type.TypeKind) + ", not a struct",
            _ when type.IsRefLikeType => "it is a ref struct, which cannot live in unmanaged memory",
            _ when !type.IsUnmanagedType => "it holds references (a field of a reference type, or of a struct that holds one)",
            _ when IsFileLocal(type) => "it is file-local (or nested in a file-local type), so the generated file cannot name it",
            _ => null,
        };
        if (notUnmanaged is not null)
        {
            diagnostics.Add(Info(DiagnosticCatalog.PageTypeNotUnmanaged.Id, at, display, notUnmanaged, "sizeof(" + type.Name + ") bytes apart"));
            return null;
        }

        if (!AtLeastAsAccessible(type, model))
        {
            diagnostics.Add(Info(DiagnosticCatalog.PageTypeField.Id, at, display,
                "it is less accessible (" + Word(Effective(type)) + ") than the model " + model.ToDisplayString() + " (" + Word(Effective(model))
                + "), whose generated members take and return pointers to it; make the page type at least as accessible as the model"));
            return null;
        }

        string? flagsProblem = Field(type, FlagsField, model, compilation, new[] { SpecialType.System_UInt64, SpecialType.System_UInt32 }, out var flags);
        if (flagsProblem is not null)
        {
            diagnostics.Add(Info(DiagnosticCatalog.PageTypeField.Id, at, display, flagsProblem + " (page->flags: ulong, or uint for a layout with BitsPerLong = 32)"));
            return null;
        }

        string? cpupidProblem = Field(type, LastCpupidField, model, compilation, new[] { SpecialType.System_UInt32, SpecialType.System_Int32 }, out var cpupid);
        return new PageTypeInfo(
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            display,
            flags!.Type.SpecialType == SpecialType.System_UInt32,
            cpupid is null ? null : cpupid.Type.SpecialType == SpecialType.System_UInt32 ? "uint" : "int",
            cpupidProblem);
    }

    // Null when the type has a usable instance field of that name and one of those types; otherwise why not.
    private static string? Field(ITypeSymbol type, string name, INamedTypeSymbol model, Compilation compilation, SpecialType[] allowed, out IFieldSymbol? field)
    {
        field = null;
        ISymbol? member = null;
        foreach (var m in type.GetMembers(name))
        {
            member = m;
            if (m is IFieldSymbol { IsStatic: false } f)
            {
                field = f;
                break;
            }
        }

        if (field is null)
        {
            return member is null
                ? "it has no field '" + name + "'"
                : "its '" + name + "' is " + (member is IFieldSymbol ? "a static field" : "a " + member.Kind.ToString().ToLowerInvariant()) + ", not an instance field";
        }

        string? problem = null;
        if (System.Array.IndexOf(allowed, field.Type.SpecialType) < 0)
        {
            problem = "its field '" + name + "' is of type " + field.Type.ToDisplayString() + "; it must be " + Keyword(allowed[0]) + " or " + Keyword(allowed[1]);
        }
        else if (field.IsReadOnly)
        {
            problem = "its field '" + name + "' is readonly, but the generated accessors store into it";
        }
        else if (!compilation.IsSymbolAccessibleWithin(field, model))
        {
            problem = "its field '" + name + "' is " + Word(field.DeclaredAccessibility) + ", so the generated code in " + model.ToDisplayString() + " cannot reach it";
        }

        if (problem is not null)
        {
            field = null;
        }

        return problem;
    }

    private static bool IsFileLocal(ITypeSymbol type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every place that can see the model can see the page type (the compiler's rule for a
    /// member's signature: CS0050-CS0053), decided level by level of the page type's containers. It
    /// is conservative: a pair it cannot prove is refused (a PMEM error on the argument) rather than
    /// left to break the generated file.
    /// </summary>
    private static bool AtLeastAsAccessible(ITypeSymbol page, INamedTypeSymbol model)
    {
        for (ITypeSymbol? t = page; t is not null; t = t.ContainingType)
        {
            var container = t.ContainingType;
            bool ok = t.DeclaredAccessibility switch
            {
                Accessibility.Public => true,
                Accessibility.Internal => WithinAssembly(model),
                Accessibility.ProtectedOrInternal => WithinAssembly(model) || WithinDerived(model, container),
                Accessibility.Protected => WithinDerived(model, container),
                Accessibility.ProtectedAndInternal => WithinAssembly(model) && WithinDerived(model, container),
                Accessibility.Private => WithinText(model, container),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    // The model is seen only inside its assembly: some level of it is internal, private protected or private.
    private static bool WithinAssembly(INamedTypeSymbol model)
    {
        for (var t = model; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is Accessibility.Internal or Accessibility.ProtectedAndInternal or Accessibility.Private)
            {
                return true;
            }
        }

        return false;
    }

    // The model is seen only inside the text of container: some level of it is private to a type within container.
    private static bool WithinText(INamedTypeSymbol model, INamedTypeSymbol? container)
    {
        for (var t = model; t is not null && container is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility == Accessibility.Private && Within(t.ContainingType, container))
            {
                return true;
            }
        }

        return false;
    }

    // The model is seen only inside container and the types derived from it.
    private static bool WithinDerived(INamedTypeSymbol model, INamedTypeSymbol? container)
    {
        if (container is null || WithinText(model, container))
        {
            return container is not null;
        }

        for (var t = model; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedAndInternal && DerivesFrom(t.ContainingType, container))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Within(INamedTypeSymbol? type, INamedTypeSymbol container)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, container.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol container)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, container.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    // The accessibility a type really has: the least of its own and its containers'.
    private static Accessibility Effective(ITypeSymbol type)
    {
        var result = type.DeclaredAccessibility;
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            if (Rank(t.DeclaredAccessibility) < Rank(result))
            {
                result = t.DeclaredAccessibility;
            }
        }

        return result;
    }

    private static int Rank(Accessibility a) => a switch
    {
        Accessibility.Public => 4,
        Accessibility.Internal or Accessibility.ProtectedOrInternal => 3,
        Accessibility.Protected or Accessibility.ProtectedAndInternal => 2,
        Accessibility.Private => 1,
        _ => 0,
    };

    private static string Word(Accessibility a) => a switch
    {
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => a.ToString().ToLowerInvariant(),
    };

    private static string Keyword(SpecialType t) => t switch
    {
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_UInt32 => "uint",
        _ => "int",
    };

    private static string Article(TypeKind kind) => kind switch
    {
        TypeKind.Interface or TypeKind.Enum or TypeKind.Array => "an " + kind.ToString().ToLowerInvariant(),
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    private static DiagnosticInfo Info(string id, LocationInfo? at, params string[] args) => new(id, at, new EquatableArray<string>(args));
}
