namespace PhysMem.Generator.Pipeline;

/// <summary>
/// The result for one model, as the source and diagnostic outputs take it: what to write
/// (<see cref="Outcome"/>: the model, the surface of a refused one, or nothing) and what to report.
/// </summary>
internal sealed record ModelResult(ModelOutcome Outcome, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The annotated type, or null when the model is skipped.</summary>
    public ModelTarget? Target => Outcome.Target;

    /// <summary>Whether there is anything to write: the model, or the surface of a refused one.</summary>
    public bool HasSource => Outcome is ModelOutcome.Accepted or ModelOutcome.Refused { Surface: not null };
}
