using System.Collections.Generic;
using PhysMem.Generator.Model;

namespace PhysMem.Generator.Parsing;

/// <summary>
/// Runs the shared layout arithmetic on a parsed model and turns every problem into a
/// diagnostic located on the argument to blame.
/// </summary>
internal static class ModelValidator
{
    public static ModelResult Validate(ModelInput input, bool allowUnsafe)
    {
        var diagnostics = new List<DiagnosticInfo>(input.Diagnostics);
        bool ok = input.Target is not null && input.Spec is not null && !HasError(diagnostics);

        if (input.Target is not null && !allowUnsafe)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.UnsafeRequired.Id, input.AttributeLocation, new EquatableArray<string>(new[] { input.Target.FullName })));
            ok = false;
        }

        if (input.Spec is not null && !HasError(diagnostics))
        {
            if (input.Spec.Model == PhysMem.Model.Discontig)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.NotSupported.Id, ModelParser.Locate(new[] { "Model" }, input.Arguments, input.AttributeLocation),
                    new EquatableArray<string>(new[] { "Model.Discontig", "DISCONTIGMEM storage (per-node maps) is not implemented yet; use Model.Sparse or Model.Flat" })));
                ok = false;
            }

            var result = MemoryLayout.Compute(input.Spec);
            foreach (var p in result.Diagnostics)
            {
                diagnostics.Add(new DiagnosticInfo(p.Id, ModelParser.Locate(p.Blame, input.Arguments, input.AttributeLocation), p.Arguments.ToEquatableArray()));
            }

            ok &= result.Layout is not null;
        }

        return ok
            ? new ModelResult(input.Target, input.Spec, input.Inputs, diagnostics.ToEquatableArray())
            : new ModelResult(null, null, input.Inputs, diagnostics.ToEquatableArray());
    }

    private static bool HasError(List<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (Diagnostics.Descriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }
}
