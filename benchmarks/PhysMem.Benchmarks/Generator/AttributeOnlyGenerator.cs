using Microsoft.CodeAnalysis;

namespace PhysMem.Benchmarks.Generator;

/// <summary>
/// The least an attribute-driven incremental generator can do: find the <c>[MemoryModel]</c> types
/// with <c>ForAttributeWithMetadataName</c> and keep their names. The driver's own cost for the same
/// compilations, to set the PhysMem generator's numbers against.
/// Driven only through <see cref="GeneratorInputs.CreateBaselineDriver"/>, so it carries no [Generator] attribute.
/// </summary>
public sealed class AttributeOnlyGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "PhysMem.MemoryModelAttribute",
            static (_, _) => true,
            static (ctx, _) => ctx.TargetSymbol.Name);
        context.RegisterSourceOutput(names, static (_, _) => { });
    }
}
