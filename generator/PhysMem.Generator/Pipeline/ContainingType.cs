namespace PhysMem.Generator.Pipeline;

/// <summary>A type that contains the model type (for nested models): its keyword and its name with type parameters, both as C# source.</summary>
/// <param name="Keyword">The declaration's keyword: <c>class</c>, <c>struct</c>, <c>interface</c>, <c>record class</c> or <c>record struct</c>.</param>
/// <param name="NameWithTypeParameters">The escaped name and type parameter list, as a partial declaration repeats it (<c>Outer&lt;out T&gt;</c>).</param>
/// <param name="MetadataName">The name with its arity, as metadata spells it (<c>Outer`1</c>): part of the model's identity.</param>
internal sealed record ContainingType(string Keyword, string NameWithTypeParameters, string MetadataName);
