using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.AdditionalFiles;
using PhysMem.Generator.BuildProperties;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Pipeline;
using PhysMem.Generator.Targets;

namespace PhysMem.Generator;

/// <summary>
/// Emits compile-time constant memory-model code for every type carrying <c>[MemoryModel]</c>.
/// The pipeline only wires stages together; each stage lives in its own folder.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MemoryModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Find annotated types by the attribute's metadata name; read them into plain data.
        var targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.MemoryModelAttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => Guarded.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Targets);

        // 1b. Every model's hint name, unique in the compilation whatever the program declares; a
        //     second [MemoryModel] on one type is refused here. The table of all the models' names
        //     is small and unchanged by nearly every edit.
        var names = targets
            .Collect()
            .Select(static (all, _) => HintNames.Build(all))
            .WithTrackingName(TrackingNames.HintNames);
        var named = targets
            .Combine(names)
            .Select(static (pair, _) => HintNames.Assign(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Named);

        // 2. The compilation-wide facts the output depends on (unsafe code, the C# version), reduced to a small record.
        var allowUnsafe = context.CompilationProvider
            .Select(static (c, _) => new CompilationFacts(
                c.Options is CSharpCompilationOptions { AllowUnsafe: true },
                ((CSharpCompilation)c).LanguageVersion.ToDisplayString(),
                ((CSharpCompilation)c).LanguageVersion >= LanguageVersion.CSharp9))
            .WithTrackingName(TrackingNames.AllowUnsafe);

        // 3. The PhysMem_* MSBuild properties, read once into a small record of those that are set.
        var buildOptions = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => BuildPropertyReader.ReadBuildOptions(o.GlobalOptions))
            .WithTrackingName(TrackingNames.BuildOptions);

        // 4. The kernel configurations some model names, read from the AdditionalFiles and parsed
        //    once each into equatable digests (no SourceText is kept).
        var wanted = named
            .Select(static (t, _) => t.Kconfig)
            .Collect()
            .Combine(buildOptions)
            .Select(static (pair, _) => KconfigFiles.WantedNames(pair.Left, pair.Right.Get(BuildOptions.KconfigProperty)))
            .WithTrackingName(TrackingNames.KconfigNames);
        var kconfigs = context.AdditionalTextsProvider
            .Combine(wanted)
            .Where(static pair => KconfigFiles.IsWanted(pair.Left.Path, pair.Right))
            .Select(static (pair, ct) => KconfigFiles.Read(pair.Left, ct))
            .WithTrackingName(TrackingNames.Kconfig)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray())
            .WithTrackingName(TrackingNames.KconfigFiles);

        // 4b. The VMCOREINFO notes some model names, read the same way by the dump reader's own
        //     note reader into the same digests: the inputs the kernel booted with, each on its line.
        var wantedNotes = named
            .Select(static (t, _) => t.VmcoreInfo)
            .Collect()
            .Combine(buildOptions)
            .Select(static (pair, _) => KconfigFiles.WantedNames(pair.Left, pair.Right.Get(BuildOptions.VmcoreInfoProperty)))
            .WithTrackingName(TrackingNames.VmcoreInfoNames);
        var notes = context.AdditionalTextsProvider
            .Combine(wantedNotes)
            .Where(static pair => KconfigFiles.IsWanted(pair.Left.Path, pair.Right))
            .Select(static (pair, ct) => VmcoreInfoFiles.Read(pair.Left, ct))
            .WithTrackingName(TrackingNames.VmcoreInfo)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray())
            .WithTrackingName(TrackingNames.VmcoreInfoFiles);

        // 5. The memory maps some model names for its banks, read the same way: parsed once each
        //    by the runtime's own memory-map reader into equatable banks.
        var wantedMaps = named
            .Select(static (t, _) => t.MemoryMapFile)
            .Collect()
            .Select(static (names, _) => MemoryMapParser.WantedNames(names))
            .WithTrackingName(TrackingNames.MemoryMapNames);
        var memoryMaps = context.AdditionalTextsProvider
            .Combine(wantedMaps)
            .Where(static pair => KconfigFiles.IsWanted(pair.Left.Path, pair.Right))
            .Select(static (pair, ct) => MemoryMapParser.Read(pair.Left, ct))
            .WithTrackingName(TrackingNames.MemoryMap)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray())
            .WithTrackingName(TrackingNames.MemoryMapFiles);

        // 6. Merge each model's layers: attribute > MSBuild > VMCOREINFO > .config > preset > defaults; then its
        //    banks: the [MemoryBank]s, or the memory map file it names.
        var resolved = named
            .Combine(buildOptions)
            .Combine(kconfigs)
            .Combine(notes)
            .Select(static (pair, _) => Guarded.Resolve(pair.Left.Left.Left, pair.Left.Left.Right, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Resolved)
            .Combine(memoryMaps)
            .Select(static (pair, _) => Guarded.Apply(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Banks);

        // 7. Lay each model out and decide: emit, or report why not.
        var results = resolved
            .Combine(allowUnsafe)
            .Select(static (pair, _) => Guarded.Validate(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Results);

        // 8. Diagnostics travel as data and are reported from their own output. Only here, at
        //    reporting time, is each location tied back to its syntax tree, so that #pragma
        //    warning disable and the IDE treat them as source diagnostics. Models without any are
        //    left out before the compilation joins in: every edit changes the compilation, and it
        //    would otherwise run this output again for every model.
        var diagnostics = results
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Where(static d => d.Count > 0).Combine(context.CompilationProvider), static (spc, pair) =>
        {
            foreach (var d in pair.Left)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Descriptors.Get(d.Id), d.Location?.ToLocation(pair.Right), d.Arguments.ToArray<object>()));
            }
        });

        // 9. Source, keyed on what the text depends on: the model, or for a refused model its members
        //    with bodies that throw, so that the PMEM error is the only one its uses see.
        var sources = results
            .Where(static r => r.HasSource)
            .Select(static (r, _) => r with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty })
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(sources, static (spc, model) => Guarded.Emit(spc, model));
    }
}
