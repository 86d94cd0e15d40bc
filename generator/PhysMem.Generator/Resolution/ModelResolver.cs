using System;
using System.Collections.Generic;
using System.Globalization;
using PhysMem.Generator.AdditionalFiles;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Resolution;

/// <summary>
/// Merges one model's layers of inputs — the attribute, the <c>PhysMem_*</c> MSBuild properties,
/// the <c>VMCOREINFO</c> note, the kernel <c>.config</c>, the architecture preset — with the shared
/// <see cref="KconfigLayers"/>, resolves the defaults, and records where every input came from for
/// the generated header. Problems are located on the attribute argument to blame, or on the line of
/// the note or the <c>.config</c>.
/// </summary>
internal static class ModelResolver
{
    public static ResolvedInput Resolve(ModelInput model, BuildOptions build, EquatableArray<KconfigInput> kconfigs, EquatableArray<KconfigInput> notes)
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
            if (p.Name is BuildOptions.KconfigProperty or BuildOptions.VmcoreInfoProperty)
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

        // The kernel configuration and the VMCOREINFO note, when the attribute or MSBuild names them.
        bool kconfigFailed = Load(model.Kconfig, BuildOptions.KconfigProperty, "Kconfig", kconfigs, DiagnosticCatalog.KconfigNotFound, DiagnosticCatalog.KconfigUnreadable, out var kconfig);
        bool noteFailed = Load(model.VmcoreInfo, BuildOptions.VmcoreInfoProperty, "VmcoreInfo", notes, DiagnosticCatalog.VmcoreInfoNotFound, DiagnosticCatalog.VmcoreInfoUnreadable, out var note);
        if (kconfigFailed || noteFailed || (note is not null && NoteContradicted(note)))
        {
            return Fail();
        }

        // A problem the inputs cause is put on the highest file layer that set one: the note, then the .config.
        foreach (var file in new[] { note, kconfig })
        {
            foreach (var v in file?.Values ?? EquatableArray<KconfigValue>.Empty)
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
        foreach (var file in new[] { note, kconfig })
        {
            if (file is not null)
            {
                var fileLayer = new List<LayeredInput>();
                foreach (var v in file.Values)
                {
                    fileLayer.Add(new LayeredInput(v.Name, v.Value, v.Source));
                }

                layers.Add(fileLayer);
            }
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

        // Finds the file the attribute (or MSBuild) names among the files read, and reports what
        // keeps it from being used; true when it cannot be (an error was reported).
        bool Load(string? fromAttribute, string property, string argument, EquatableArray<KconfigInput> files, DiagnosticDescriptorInfo notFound, DiagnosticDescriptorInfo unreadable, out KconfigInput? found)
        {
            found = null;
            string? name = fromAttribute ?? build.Get(property);
            if (name is null)
            {
                return false;
            }

            var at = Blame.Locate(new[] { argument }, arguments, model.AttributeLocation);
            foreach (var f in files)
            {
                if (KconfigFiles.Matches(f.Path, name))
                {
                    found = f;
                    break;
                }
            }

            if (found is null)
            {
                Report(notFound, at, name, fromAttribute is not null ? argument : "the MSBuild property " + property);
                return true;
            }

            if (!found.Readable)
            {
                Report(unreadable, at, found.Path, "the compiler returned no text for it (does it exist, and is it readable?)");
                return true;
            }

            bool failed = false;
            foreach (var d in found.Diagnostics)
            {
                diagnostics.Add(new DiagnosticInfo(d.Id, d.Location, d.Arguments));
                failed |= Diagnostics.Descriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;
            }

            return failed;
        }

        // The note is what the kernel booted with: an attribute argument or MSBuild property that
        // says otherwise about an input it settles describes another kernel, so it is an error, as
        // a preset of another architecture than the .config's is.
        bool NoteContradicted(KconfigInput file)
        {
            bool contradicted = false;
            foreach (var v in file.Values)
            {
                foreach (var (value, source, at) in Above(v.Name))
                {
                    if (value != v.Value)
                    {
                        Report(DiagnosticCatalog.Conflict, at, v.Name + " = " + value + " (" + source + ")", v.Name + " = " + v.Value + " (" + v.Source + ")",
                            "the VMCOREINFO note is what the kernel booted with; drop " + v.Name + ", or name the note of the kernel you mean");
                        contradicted = true;
                    }
                }
            }

            return contradicted;
        }

        // What the attribute and MSBuild say about an input, each as its layer formats it.
        IEnumerable<(string Value, string Source, LocationInfo? At)> Above(string name)
        {
            foreach (var i in model.AttributeInputs)
            {
                if (i.Name == name)
                {
                    yield return (i.Value, i.Source, Blame.Locate(new[] { name }, arguments, model.AttributeLocation));
                }
            }

            foreach (var i in msbuild)
            {
                var parsed = new LayoutOptions();
                if (i.Name == name && KconfigValues.TrySet(parsed, name, i.Value, out _) && KconfigValues.Format(parsed, name) is { } value)
                {
                    yield return (value, i.Source, Blame.Locate(new[] { "VmcoreInfo" }, arguments, model.AttributeLocation));
                }
            }
        }
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
