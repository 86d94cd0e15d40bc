namespace PhysMem.Generator.Pipeline;

/// <summary>
/// What the attribute says about one annotated type: plain, value-equatable data, built inside the
/// transform so nothing downstream holds a symbol, a syntax node or a compilation. The inputs it
/// sets are only one layer; <see cref="ResolvedInput"/> adds MSBuild, the kernel configuration and
/// the preset.
/// </summary>
/// <param name="Outcome">
/// Accepted when the attribute's values are usable; refused when they are not (a diagnostic says
/// why), so nothing is resolved; skipped when the type cannot get a generated half (its values are
/// still resolved and laid out for their diagnostics when they are usable: <see cref="Nothing"/> checked).
/// </param>
/// <param name="AttributeInputs">The inputs the attribute's arguments set (source <c>attribute</c>).</param>
/// <param name="Arch">The preset named by the constructor, or null.</param>
/// <param name="Kconfig">The kernel configuration named by <c>Kconfig</c>, or null.</param>
/// <param name="MemoryMapFile">The memory map named by <c>MemoryMapFile</c>, or null.</param>
/// <param name="Diagnostics">Misuses found while reading the attribute.</param>
/// <param name="AttributeLocation">Where the attribute is written.</param>
/// <param name="Arguments">Where each argument is written.</param>
/// <param name="Banks">The <c>[MemoryBank]</c>s.</param>
/// <param name="PageType">The frame descriptor named by <c>PageType</c>, or null for the runtime's <c>Page</c>.</param>
internal sealed record ModelInput(
    ReadOutcome Outcome,
    EquatableArray<InputSource> AttributeInputs,
    string? Arch,
    string? Kconfig,
    string? MemoryMapFile,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? AttributeLocation,
    EquatableArray<ArgumentLocation> Arguments,
    EquatableArray<BankInfo> Banks,
    PageTypeInfo? PageType)
{
    /// <summary>The annotated type, or null when the model is skipped.</summary>
    public ModelTarget? Target => Outcome.Target;

    /// <summary>The members the user declared on the type or inherits, which the generated ones must not collide with.</summary>
    public EquatableArray<UserMember> Members { get; init; } = EquatableArray<UserMember>.Empty;

    /// <summary>The VMCOREINFO note named by <c>VmcoreInfo</c>, or null.</summary>
    public string? VmcoreInfo { get; init; }
}
