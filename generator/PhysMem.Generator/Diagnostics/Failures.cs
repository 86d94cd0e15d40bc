using System;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Diagnostics;

/// <summary>
/// What becomes of an exception inside one model's stage: a PMEM0030 error on that model, carried
/// as data like every other diagnostic. It never reaches Roslyn, which would otherwise drop every
/// model's output (CS8785) for one model's failure. Cancellation is not a failure and passes.
/// </summary>
internal static class Failures
{
    /// <summary>Whether the exception is one this stage must turn into a diagnostic (everything but cancellation).</summary>
    public static bool Catch(Exception e) => e is not OperationCanceledException;

    /// <summary>The diagnostic for a failure while <paramref name="doing"/> (<c>reading the attribute of</c>) the model.</summary>
    public static DiagnosticInfo Diagnostic(string doing, string model, Exception e, LocationInfo? at) =>
        new(DiagnosticCatalog.GeneratorFailed.Id, at, new EquatableArray<string>(new[] { doing, model, e.GetType().FullName ?? e.GetType().Name, e.Message }));

    /// <summary>A model whose stage failed: nothing to generate, one diagnostic (after those it had).</summary>
    public static EquatableArray<DiagnosticInfo> Append(EquatableArray<DiagnosticInfo> before, DiagnosticInfo failure)
    {
        var all = new DiagnosticInfo[before.Count + 1];
        for (int i = 0; i < before.Count; i++)
        {
            all[i] = before[i];
        }

        all[before.Count] = failure;
        return new EquatableArray<DiagnosticInfo>(all);
    }
}
