using System;
using System.Collections.Generic;
using System.Globalization;
using PhysMem.Generator.AdditionalFiles;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Resolution;

/// <summary>
/// Merges one model's layers of inputs — the attribute, the <c>PhysMem_*</c> MSBuild properties,
/// the kernel <c>.config</c>, the architecture preset — with the shared <see cref="KconfigLayers"/>,
/// resolves the defaults, and records where every input came from for the generated header.
/// Problems are located on the attribute argument to blame, or on the line of the <c>.config</c>.
/// </summary>
internal static class ModelResolver
{
    public static ResolvedInput Resolve(ModelInput model, BuildOptions build, EquatableArray<KconfigInput> files)
    {
        var diagnostics = new List<DiagnosticInfo>(model.Diagnostics);
        var arguments = new List<ArgumentLocation>(model.Arguments);
        ResolvedInput Resolved(ResolvedOutcome outcome, EquatableArray<InputSource> inputs) =>
            new(outcome, inputs, diagnostics.ToEquatableArray(), model.AttributeLocation, arguments.ToEquatableArray(), model.Banks, model.PageType, model.MemoryMapFile) { Members = model.Members };
        ResolvedInput Fail() => Resolved(model.Target is { } refused ? new ResolvedOutcome.Refused(refused, AttributeOnly(model)) : new ResolvedOutcome.Skipped(), EquatableArray<InputSource>.Empty);

        // A refused attribute, or a skipped type whose values are not usable either: nothing to merge.
        if (model.Outcome is ReadOutcome.Refused or ReadOutcome.Skipped { Checked: null })
        {
            return Fail();
        }

        var inputs = new List<InputSource>();
        void Report(DiagnosticDescriptorInfo d, LocationInfo? at, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(d.Id, at ?? model.AttributeLocation, new EquatableArray<string>(args)));

        // MSBuild: one layer of inputs, and perhaps the preset and the configuration.
        var msbuild = new List<LayeredInput>();
        string? buildArch = null;
        foreach (var p in build.Properties)
        {
            if (p.Name == BuildOptions.KconfigProperty)
            {
                continue;
            }

            if (p.Name == BuildOptions.ArchProperty)
            {
                if (KconfigValues.TryArch(p.Value, out var a))
                {
                    buildArch = a.ToString();
                }
                else
                {
                    Report(DiagnosticCatalog.BuildPropertyInvalid, null, p.Name, p.Value, "expected an architecture preset: " + string.Join(", ", ArchPresets.All));
                }

                continue;
            }

            msbuild.Add(new LayeredInput(p.Name.Substring(BuildOptions.Prefix.Length), p.Value, "msbuild " + p.Name));
        }

        // The kernel configuration, when the attribute or MSBuild names one.
        KconfigInput? kconfig = null;
        string? kconfigName = model.Kconfig ?? build.Get(BuildOptions.KconfigProperty);
        if (kconfigName is not null)
        {
            string namedBy = model.Kconfig is not null ? "Kconfig" : "the MSBuild property " + BuildOptions.KconfigProperty;
            var at = Blame.Locate(new[] { "Kconfig" }, arguments, model.AttributeLocation);
            foreach (var f in files)
            {
                if (KconfigFiles.Matches(f.Path, kconfigName))
                {
                    kconfig = f;
                    break;
                }
            }

            if (kconfig is null)
            {
                Report(DiagnosticCatalog.KconfigNotFound, at, kconfigName, namedBy);
                return Fail();
            }

            if (!kconfig.Readable)
            {
                Report(DiagnosticCatalog.KconfigUnreadable, at, kconfig.Path, "the compiler returned no text for it (does it exist, and is it readable?)");
                return Fail();
            }

            bool failed = false;
            foreach (var d in kconfig.Diagnostics)
            {
                diagnostics.Add(new DiagnosticInfo(d.Id, d.Location, d.Arguments));
                failed |= Diagnostics.Descriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;
            }

            if (failed)
            {
                return Fail();
            }

            foreach (var v in kconfig.Values)
            {
                if (v.Location is not null)
                {
                    arguments.Add(new ArgumentLocation(v.Name, v.Location));
                }
            }
        }

        // The preset: named by the attribute, else by MSBuild, else the configuration's own.
        string? arch = model.Arch ?? buildArch ?? kconfig?.Preset;
        string? archSource = model.Arch is not null ? "attribute" : buildArch is not null ? "msbuild " + BuildOptions.ArchProperty : kconfig?.Preset is not null ? kconfig.ArchSource : null;
        if (kconfig is not null && (model.Arch ?? buildArch) is { } named && kconfig.ArchName is not null && KconfigLayers.Family(named) != (kconfig.Preset is { } own ? KconfigLayers.Family(own) : kconfig.ArchName))
        {
            Report(DiagnosticCatalog.Conflict, Blame.Locate(new[] { "Arch", "Kconfig" }, arguments, model.AttributeLocation),
                "Arch = " + named + " (" + archSource + ")", kconfig.ArchSource.Substring("kconfig ".Length),
                "the kernel configuration is for " + kconfig.ArchName + "; drop the preset, or name a configuration of that architecture");
            return Fail();
        }

        if (arch is not null)
        {
            inputs.Add(new InputSource("Arch", arch, archSource!));
        }
        else if (kconfig?.ArchName is not null)
        {
            inputs.Add(new InputSource("Arch", kconfig.ArchName, kconfig.ArchSource));
        }

        var layers = new List<IReadOnlyList<LayeredInput>>();
        var attributeLayer = new List<LayeredInput>();
        foreach (var i in model.AttributeInputs)
        {
            attributeLayer.Add(new LayeredInput(i.Name, i.Value, i.Source));
        }

        layers.Add(attributeLayer);
        layers.Add(msbuild);
        if (kconfig is not null)
        {
            var kconfigLayer = new List<LayeredInput>();
            foreach (var v in kconfig.Values)
            {
                kconfigLayer.Add(new LayeredInput(v.Name, v.Value, v.Source));
            }

            layers.Add(kconfigLayer);
        }

        if (arch is not null && Enum.TryParse(arch, out PhysMem.Arch preset))
        {
            layers.Add(KconfigLayers.PresetLayer(preset));
        }

        var chosen = new List<LayeredInput>();
        var rejected = new List<RejectedInput>();
        var options = KconfigLayers.Merge(layers, chosen, rejected);
        foreach (var r in rejected)
        {
            if (r.Input.Source.StartsWith("msbuild ", StringComparison.Ordinal))
            {
                Report(DiagnosticCatalog.BuildPropertyInvalid, null, r.Input.Source.Substring("msbuild ".Length), r.Input.Value, r.Error);
            }
            else
            {
                Report(DiagnosticCatalog.InvalidArgument, Blame.Locate(new[] { r.Input.Name }, arguments, model.AttributeLocation), r.Input.Name, r.Error);
            }
        }

        if (rejected.Count > 0)
        {
            return Fail();
        }

        foreach (var c in chosen)
        {
            inputs.Add(new InputSource(c.Name, c.Value, c.Source));
        }

        var problems = new List<LayoutDiagnostic>();
        var spec = options.Resolve(problems);
        foreach (var p in problems)
        {
            diagnostics.Add(new DiagnosticInfo(p.Id, Blame.Locate(p.Blame, arguments, model.AttributeLocation), p.Arguments.ToEquatableArray()));
        }

        AddDefaults(spec, inputs);
        return Resolved(model.Target is { } target ? new ResolvedOutcome.Accepted(target, spec) : new ResolvedOutcome.Skipped(spec), inputs.ToEquatableArray());
    }

    /// <summary>
    /// The layout the attribute alone asks for (its values over its preset, problems ignored), for
    /// the members a refused model's surface should have when the other layers could not be merged.
    /// </summary>
    private static LayoutSpec? AttributeOnly(ModelInput model)
    {
        var layers = new List<IReadOnlyList<LayeredInput>>();
        var attributeLayer = new List<LayeredInput>();
        foreach (var i in model.AttributeInputs)
        {
            attributeLayer.Add(new LayeredInput(i.Name, i.Value, i.Source));
        }

        layers.Add(attributeLayer);
        if (model.Arch is not null && Enum.TryParse(model.Arch, out PhysMem.Arch preset))
        {
            layers.Add(KconfigLayers.PresetLayer(preset));
        }

        var options = KconfigLayers.Merge(layers, new List<LayeredInput>(), new List<RejectedInput>());
        return options.Resolve(new List<LayoutDiagnostic>());
    }

    /// <summary>Lists the inputs no layer set, with the default each took.</summary>
    private static void AddDefaults(LayoutSpec spec, List<InputSource> inputs)
    {
        foreach (var input in spec.Inputs())
        {
            if (input.Applies && input.OnAttribute && !inputs.Exists(i => i.Name == input.Name))
            {
                inputs.Add(new InputSource(input.Name, input.Text, "default"));
            }
        }
    }
}
