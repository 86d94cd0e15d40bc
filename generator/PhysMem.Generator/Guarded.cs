using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PhysMem.Generator.AdditionalFiles;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Pipeline;
using PhysMem.Generator.Resolution;
using PhysMem.Generator.Targets;
using PhysMem.Generator.Validation;

namespace PhysMem.Generator;

/// <summary>
/// Each per-model stage of the pipeline, run so that an exception becomes a PMEM0030 error on that
/// model (<see cref="Failures"/>) and the other models keep their code.
/// </summary>
internal static class Guarded
{
    public static ModelInput Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ModelParser.Parse(context, cancellationToken);
        }
        catch (Exception e) when (Failures.Catch(e))
        {
            var at = LocationInfo.From((context.TargetNode as BaseTypeDeclarationSyntax)?.Identifier.GetLocation() ?? context.TargetNode.GetLocation());
            var failure = Failures.Diagnostic("reading the attribute of", context.TargetSymbol.ToDisplayString(), e, at);
            return ModelParser.Skipped(new EquatableArray<DiagnosticInfo>(new[] { failure }), at);
        }
    }

    public static ResolvedInput Resolve(ModelInput model, BuildOptions build, EquatableArray<KconfigInput> kconfigs, EquatableArray<KconfigInput> notes)
    {
        try
        {
            return ModelResolver.Resolve(model, build, kconfigs, notes);
        }
        catch (Exception e) when (Failures.Catch(e))
        {
            return Failed(model.Diagnostics, model.AttributeLocation, Failures.Diagnostic("merging the inputs of", Name(model.Target), e, model.AttributeLocation));
        }
    }

    public static ResolvedInput Apply(ResolvedInput model, EquatableArray<MemoryMapInput> maps)
    {
        try
        {
            return MemoryMapParser.Apply(model, maps);
        }
        catch (Exception e) when (Failures.Catch(e))
        {
            return Failed(model.Diagnostics, model.AttributeLocation, Failures.Diagnostic("reading the memory map of", Name(model.Target), e, model.AttributeLocation));
        }
    }

    public static ModelResult Validate(ResolvedInput model, CompilationFacts facts)
    {
        try
        {
            return ModelValidator.Validate(model, facts);
        }
        catch (Exception e) when (Failures.Catch(e))
        {
            var failure = Failures.Diagnostic("laying out", Name(model.Target), e, model.AttributeLocation);
            return new ModelResult(new ModelOutcome.Skipped(), Failures.Append(model.Diagnostics, failure));
        }
    }

    /// <summary>
    /// Writes the model, or the surface of a refused one. A failure here is reported without a
    /// location (the source output keeps none, so that moving the attribute does not write the
    /// model again); the message names the model.
    /// </summary>
    public static void Emit(SourceProductionContext context, ModelResult model)
    {
        if (model.Outcome.Target is not { } target)
        {
            return;
        }

        try
        {
            string? text = model.Outcome switch
            {
                ModelOutcome.Accepted { Value: var m } => ModelEmitter.Emit(target, m.Spec, m.Inputs, m.Banks, m.BanksFile, m.PageType),
                ModelOutcome.Refused { Surface: { } surface } => RefusedEmitter.Emit(target, surface),
                _ => null,
            };
            if (text is not null)
            {
                context.AddSource(target.HintName, text);
            }
        }
        catch (Exception e) when (Failures.Catch(e))
        {
            var failure = Failures.Diagnostic("writing", target.FullName, e, null);
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.Get(failure.Id), Location.None, failure.Arguments.ToArray<object>()));
        }
    }

    // A stage that failed: the model is skipped (nothing is written), with the failure after its diagnostics.
    private static ResolvedInput Failed(EquatableArray<DiagnosticInfo> diagnostics, LocationInfo? at, DiagnosticInfo failure) =>
        new(new ResolvedOutcome.Skipped(), EquatableArray<InputSource>.Empty, Failures.Append(diagnostics, failure), at, EquatableArray<ArgumentLocation>.Empty, EquatableArray<BankInfo>.Empty, null);

    private static string Name(ModelTarget? target) => target?.FullName ?? "(unnamed)";
}
