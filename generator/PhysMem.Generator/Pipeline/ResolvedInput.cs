namespace PhysMem.Generator.Pipeline;

/// <summary>
/// One model with every layer of inputs merged (attribute, MSBuild, kernel configuration, preset,
/// defaults) into a <see cref="LayoutSpec"/>, or refused with the layout its surface follows (the
/// <see cref="Outcome"/>), with where each input came from, and its banks: from the
/// <c>[MemoryBank]</c>s, or, once <see cref="AdditionalFiles.MemoryMapParser.Apply"/> has run, from
/// the memory map file it names (<see cref="MemoryMapFile"/>).
/// </summary>
internal sealed record ResolvedInput(
    ResolvedOutcome Outcome,
    EquatableArray<InputSource> Inputs,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? AttributeLocation,
    EquatableArray<ArgumentLocation> Arguments,
    EquatableArray<BankInfo> Banks,
    PageTypeInfo? PageType,
    string? MemoryMapFile = null)
{
    /// <summary>The members the user declared on the type or inherits (from <see cref="ModelInput.Members"/>).</summary>
    public EquatableArray<UserMember> Members { get; init; } = EquatableArray<UserMember>.Empty;

    /// <summary>The annotated type, or null when the model is skipped.</summary>
    public ModelTarget? Target => Outcome.Target;
}
