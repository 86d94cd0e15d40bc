using System;
using System.Collections.Generic;
using System.IO;

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
    private readonly Dictionary<string, string> _fromKconfig = new(StringComparer.Ordinal);

    /// <summary>The options, with only the values given (and, after <see cref="ApplyPreset"/> or <see cref="ApplyKconfig"/>, the preset's and the configuration's).</summary>
    public LayoutOptions Options { get; private set; } = new();

    /// <summary>The kernel configuration, when <c>--kconfig</c> was given.</summary>
    public KconfigResult? Kconfig { get; private set; }

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

    /// <summary>
    /// Merges the command line's values with a kernel configuration and a preset, in that order of
    /// precedence (the same layering as the source generator's, without the attribute and MSBuild):
    /// options given win, then the configuration, then the preset (<paramref name="arch"/>, else the
    /// configuration's own).
    /// </summary>
    /// <param name="kconfig">The configuration read.</param>
    /// <param name="arch">The preset given with <c>--arch</c>, if any.</param>
    /// <param name="problems">Receives an error when the preset is of another architecture than the configuration.</param>
    public void ApplyKconfig(KconfigResult kconfig, Arch? arch, List<LayoutDiagnostic> problems)
    {
        Kconfig = kconfig;
        if (arch is Arch named && !KconfigLayers.SameArchitecture(named, kconfig))
        {
            problems.Add(new LayoutDiagnostic(DiagnosticCatalog.Conflict,
                new[] { "--arch " + named, kconfig.FileName + ":" + kconfig.ArchLine.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (" + kconfig.ArchName + ")", "the kernel configuration is for " + kconfig.ArchName + "; drop --arch, or give a configuration of that architecture" },
                new[] { "Arch" }));
            return;
        }

        var given = new List<LayeredInput>();
        foreach (var name in KconfigValues.Names)
        {
            if (KconfigValues.Format(Options, name) is { } value)
            {
                given.Add(new LayeredInput(name, value, SourceOf(name)));
            }
        }

        var layers = new List<IReadOnlyList<LayeredInput>> { given, KconfigLayers.KconfigLayer(kconfig) };
        Arch = arch ?? kconfig.Preset;
        if (Arch is Arch preset)
        {
            layers.Add(KconfigLayers.PresetLayer(preset));
        }

        var chosen = new List<LayeredInput>();
        Options = KconfigLayers.Merge(layers, chosen, new List<RejectedInput>());
        foreach (var c in chosen)
        {
            if (c.Source.StartsWith("preset ", StringComparison.Ordinal))
            {
                _fromPreset.Add(c.Name);
            }
            else if (c.Source.StartsWith("kconfig ", StringComparison.Ordinal))
            {
                _fromKconfig[c.Name] = c.Source;
            }
        }
    }

    /// <summary>
    /// Reads the file given to <c>--kconfig</c> with the shared <see cref="KconfigReader"/>: plain
    /// text, or gzip-compressed as <c>/proc/config.gz</c> is (recognised by its magic bytes, whatever
    /// the name), read through <see cref="InputFiles"/> (bounded, decoded as the compiler decodes it).
    /// </summary>
    /// <returns>The configuration, or null (with a problem added) when the file cannot be read.</returns>
    public static KconfigResult? ReadKconfig(FileInfo file, List<LayoutDiagnostic> problems)
    {
        string text;
        try
        {
            text = InputFiles.ReadText(file, "--kconfig", gunzip: true);
        }
        catch (CommandLineException e)
        {
            problems.Add(new LayoutDiagnostic(DiagnosticCatalog.KconfigUnreadable, new[] { file.ToString(), e.Reason }, new[] { "Kconfig" }));
            return null;
        }

        return KconfigReader.Read(text, file.Name);
    }

    /// <summary>Where a value came from: the option that set it, the kernel configuration, the preset, or the defaults.</summary>
    /// <param name="property">A <see cref="LayoutOptions"/> property name.</param>
    public string SourceOf(string property) =>
        _given.TryGetValue(property, out var how) ? how
        : _fromKconfig.TryGetValue(property, out var line) ? line
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
