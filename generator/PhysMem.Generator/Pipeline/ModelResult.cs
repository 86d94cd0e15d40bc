namespace PhysMem.Generator.Pipeline;

/// <summary>
/// The outcome for one model: what to emit and what to report. A model without errors has its
/// <see cref="Spec"/>; a refused one has none, but may have a <see cref="Surface"/> (its members,
/// with bodies that throw). <see cref="BanksFile"/> names the memory map the banks came from (null:
/// <c>[MemoryBank]</c>s).
/// </summary>
internal sealed record ModelResult(ModelTarget? Target, LayoutSpec? Spec, EquatableArray<InputSource> Inputs, EquatableArray<BankInfo> Banks, PageTypeInfo? PageType, EquatableArray<DiagnosticInfo> Diagnostics, string? BanksFile = null, SurfaceInfo? Surface = null)
{
    public bool CanEmit => Target is not null && Spec is not null;

    /// <summary>Whether there is anything to write: the model, or the surface of a refused one.</summary>
    public bool HasSource => Target is not null && (Spec is not null || Surface is not null);
}
