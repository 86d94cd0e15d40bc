using Microsoft.CodeAnalysis.CSharp;

namespace PhysMem.Generator.Emitting;

/// <summary>Names written into generated source.</summary>
internal static class Identifiers
{
    /// <summary>
    /// The identifier as source must spell it: a keyword, reserved or contextual, gets the verbatim
    /// prefix (<c>@class</c>, <c>@record</c>), which is always legal and never changes the name.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
