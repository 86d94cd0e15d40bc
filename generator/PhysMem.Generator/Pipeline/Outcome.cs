namespace PhysMem.Generator.Pipeline;

/// <summary>
/// What became of one model at a stage of the pipeline, as data: <see cref="Accepted"/> with the
/// stage's value, <see cref="Refused"/> with what its generated half would follow, or
/// <see cref="Skipped"/> when no generated half can be added to the type. Each stage returns one
/// beside the model's diagnostics, and the next switches on it instead of testing which fields are
/// null. A record, so Roslyn's caching compares it by value like the rest of the pipeline.
/// </summary>
/// <typeparam name="TValue">What the stage made of an accepted model.</typeparam>
/// <typeparam name="TSurface">What a refused model's generated half (its members, with bodies that throw) follows.</typeparam>
internal abstract record Outcome<TValue, TSurface>
{
    // Closed: the three cases below are all there are.
    private Outcome(ModelTarget? target) => Target = target;

    /// <summary>The annotated type; null only when the model is <see cref="Skipped"/>.</summary>
    public ModelTarget? Target { get; private init; }

    /// <summary>The same outcome for the type as <paramref name="target"/> now describes it (its hint name given); a skipped model stays skipped.</summary>
    public Outcome<TValue, TSurface> WithTarget(ModelTarget target) => this is Skipped ? this : this with { Target = target };

    /// <summary>The model is accepted so far: <see cref="Value"/> is what this stage made of it.</summary>
    public sealed record Accepted : Outcome<TValue, TSurface>
    {
        public Accepted(ModelTarget target, TValue value)
            : base(target) => Value = value;

        /// <summary>The annotated type.</summary>
        public new ModelTarget Target => base.Target!;

        /// <summary>What this stage made of the model.</summary>
        public TValue Value { get; }
    }

    /// <summary>The model is refused (an error says why); <see cref="Surface"/> is what its generated half follows, or none.</summary>
    public sealed record Refused : Outcome<TValue, TSurface>
    {
        public Refused(ModelTarget target, TSurface surface)
            : base(target) => Surface = surface;

        /// <summary>The annotated type.</summary>
        public new ModelTarget Target => base.Target!;

        /// <summary>What the refused model's generated half follows.</summary>
        public TSurface Surface { get; }
    }

    /// <summary>
    /// No generated half can be added to the type (a type or container that is not partial, a
    /// generic type, incomplete code, a second <c>[MemoryModel]</c>). Its values are still checked,
    /// so that every problem is reported at once: <see cref="Checked"/> is what this stage made of
    /// them, or the default when nothing could be.
    /// </summary>
    public sealed record Skipped : Outcome<TValue, TSurface>
    {
        public Skipped(TValue? @checked = default)
            : base((ModelTarget?)null) => Checked = @checked;

        /// <summary>What this stage made of the skipped model's values, for their diagnostics only.</summary>
        public TValue? Checked { get; }
    }
}

/// <summary>No value: the outcome of a stage that only says whether the model goes on (reading the attribute).</summary>
internal sealed record Nothing
{
    private Nothing()
    {
    }

    /// <summary>The one value.</summary>
    public static Nothing Value { get; } = new();
}
