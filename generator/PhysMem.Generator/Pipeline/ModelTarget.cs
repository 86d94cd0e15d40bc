namespace PhysMem.Generator.Pipeline;

/// <summary>The annotated type, as plain data.</summary>
/// <param name="Namespace">The namespace as C# source (segments escaped), or null for the global namespace.</param>
/// <param name="Containers">Containing types, outermost first.</param>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record class</c> or <c>record struct</c>.</param>
/// <param name="Name">The type's name as C# source (escaped when it is a keyword: <c>@class</c>).</param>
/// <param name="Identity">
/// What makes the type one type: namespace, containers with arity, name, and for a file-local type the
/// file that declares it. Partial declarations of one type share it; hint names are made from it.
/// </param>
/// <param name="CanTakeSurface">
/// Whether a generated half with the model's members can be added to the declaration even when the
/// model is refused (a partial, non-static class or record class): then the members are emitted with
/// bodies that throw, so the refusal is one PMEM error instead of one compiler error at every use.
/// </param>
internal sealed record ModelTarget(string? Namespace, EquatableArray<ContainingType> Containers, string Keyword, string Name, string Identity, bool CanTakeSurface)
{
    /// <summary>Whether the type has a primary constructor, which any constructor the generator writes would have to call.</summary>
    public bool HasPrimaryConstructor { get; init; }

    /// <summary>Whether the user's declaration carries <c>[GeneratedCode]</c> already (it may appear once per type).</summary>
    public bool HasGeneratedCodeAttribute { get; init; }

    /// <summary>The name as users write it, with namespace and containing types.</summary>
    public string FullName
    {
        get
        {
            var sb = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                sb.Append(Namespace).Append('.');
            }

            foreach (var c in Containers)
            {
                sb.Append(c.NameWithTypeParameters).Append('.');
            }

            return sb.Append(Name).ToString();
        }
    }

    /// <summary>
    /// The hint name of the generated file, given by <see cref="Targets.HintNames"/> once every
    /// model's identity is known: <c>Namespace.Outer.Type.g.cs</c> for most, with a suffix where
    /// identities would otherwise meet (arity, file-local types, names equal but for case).
    /// </summary>
    public string HintName { get; init; } = string.Empty;
}
