namespace PhysMem.Generator.Pipeline;

/// <summary>What the emitter writes an accepted model from.</summary>
/// <param name="Spec">The resolved layout.</param>
/// <param name="Inputs">Every input and where it came from, for the generated header.</param>
/// <param name="Banks">The banks, sorted, without their locations (moving the attribute does not regenerate).</param>
/// <param name="BanksFile">The memory map the banks came from, or null for <c>[MemoryBank]</c>s (or none).</param>
/// <param name="PageType">The frame descriptor.</param>
internal sealed record BuiltModel(LayoutSpec Spec, EquatableArray<InputSource> Inputs, EquatableArray<BankInfo> Banks, string? BanksFile, PageTypeInfo PageType);
