namespace PhysMem.Generator.Pipeline;

/// <summary>The compilation-wide facts a model's output depends on, reduced to two values so that edits do not invalidate it.</summary>
/// <param name="AllowUnsafe">Whether the project allows unsafe code (the generated pointer forms need it).</param>
/// <param name="LanguageVersion">The C# version the project compiles, as the compiler names it (<c>8.0</c>, <c>12.0</c>).</param>
/// <param name="SupportsGeneratedCode">Whether that version has what the generated code uses (C# 9: init-only setters, target-typed new).</param>
internal sealed record CompilationFacts(bool AllowUnsafe, string LanguageVersion, bool SupportsGeneratedCode);
