using System;
using System.Collections.Generic;

namespace PhysMem.Explorer.Commands;

/// <summary>What <c>physmem layout</c> prints.</summary>
internal enum LayoutFormat
{
    /// <summary>The human report: inputs, the page->flags bits, section tables, notes.</summary>
    Report,

    /// <summary><see cref="MemoryLayout.ToKernelDefines"/>.</summary>
    Defines,

    /// <summary><see cref="MemoryLayout.ToMminitLines"/>.</summary>
    Mminit,

    /// <summary><see cref="MemoryLayout.ToJson"/>.</summary>
    Json,
}

/// <summary>
/// The inputs of one <c>layout</c> run: the <see cref="LayoutOptions"/> the command line and the
/// preset filled, and where each value came from, so the report can say so.
/// </summary>
internal sealed class LayoutInputs
{
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fromPreset = new(StringComparer.Ordinal);

    /// <summary>The options, with only the values given (and, after <see cref="ApplyPreset"/>, the preset's).</summary>
    public LayoutOptions Options { get; } = new();

    /// <summary>The preset, when <c>--arch</c> was given.</summary>
    public Arch? Arch { get; private set; }

    /// <summary>What to print.</summary>
    public LayoutFormat Format { get; set; }

    /// <summary>Records that the user set <paramref name="property"/> (a <see cref="LayoutOptions"/> name) with <paramref name="how"/>.</summary>
    public void Given(string property, string how) => _given[property] = how;

    /// <summary>Fills the values the user did not give from <paramref name="arch"/>.</summary>
    public void ApplyPreset(Arch arch)
    {
        Arch = arch;
        ArchPresets.TryApply(arch, Options, out var filled);
        _fromPreset.UnionWith(filled);

        // --zones N is an explicit zone count: it replaces the preset's zone list rather than
        // contradicting it (LayoutOptions.Resolve reports a count and a list that disagree).
        if (Options.MaxNrZones.HasValue)
        {
            Unfill("Zones", () => Options.Zones = null);
        }

        // --flat overrides the preset's model; the SPARSEMEM variants it turned on go with it.
        if (Options.Model == Model.Flat)
        {
            Unfill("Vmemmap", () => Options.Vmemmap = null);
            Unfill("Extreme", () => Options.Extreme = null);
        }
    }

    /// <summary>Where a value came from: the option that set it, the preset, or the defaults.</summary>
    /// <param name="property">A <see cref="LayoutOptions"/> property name.</param>
    public string SourceOf(string property) =>
        _given.TryGetValue(property, out var how) ? how
        : _fromPreset.Contains(property) ? "preset " + Arch
        : "default";

    /// <summary>Whether the user gave <paramref name="property"/> on the command line.</summary>
    public bool IsGiven(string property) => _given.ContainsKey(property);

    private void Unfill(string property, Action clear)
    {
        if (_fromPreset.Remove(property))
        {
            clear();
        }
    }
}
