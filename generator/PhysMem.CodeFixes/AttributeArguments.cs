using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PhysMem.CodeFixes;

/// <summary>Named arguments of an attribute: finding one by name and removing it with its comma.</summary>
internal static class AttributeArguments
{
    /// <summary>The named argument <paramref name="name"/> of <paramref name="attribute"/> (<c>Name = value</c>), or null.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The argument, or null when the attribute does not name it.</returns>
    public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name)
    {
        if (attribute.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The root with <paramref name="argument"/> taken out of its attribute's argument list, with the comma that separated it.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="argument">An argument of an attribute in <paramref name="root"/>.</param>
    /// <returns>The new root.</returns>
    public static SyntaxNode Remove(SyntaxNode root, AttributeArgumentSyntax argument)
    {
        var list = (AttributeArgumentListSyntax)argument.Parent!;
        var remaining = list.Arguments.Remove(argument);

        // The argument's own text goes; the trivia that set it apart (the space after the comma) stays with the comma before it.
        return root.ReplaceNode(list, list.WithArguments(remaining));
    }
}
