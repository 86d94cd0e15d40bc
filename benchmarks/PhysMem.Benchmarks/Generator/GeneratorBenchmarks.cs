using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PhysMem.Benchmarks.Generator;

/// <summary>
/// The generator's own cost: a first run over a compilation with 1 to 500 annotated models, and a
/// second run after an edit that touches no model (which must find every step's output cached).
/// </summary>
/// <remarks>
/// <para><see cref="FullRun"/> gives a fresh driver a fresh copy of the compilation
/// (<see cref="Compilation.Clone"/>: the same syntax trees, no symbols bound yet), so it pays for
/// binding each attribute as a generator run in a new build does.</para>
/// <para><see cref="UnrelatedEdit"/> starts every time from the driver state after the first run and
/// adds one unrelated file to the compilation, as typing in an IDE does. The setup checks, with step
/// tracking on, that every step of the second run is Cached or Unchanged and that the first run
/// emitted one file per model with no diagnostic.</para>
/// <para>The <c>Baseline</c> methods run <see cref="AttributeOnlyGenerator"/> instead: the cost of
/// the driver and of finding the attributes, which no generator of this shape can avoid.</para>
/// </remarks>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _afterFirstRun = null!;
    private GeneratorDriver _baselineAfterFirstRun = null!;

    /// <summary>Annotated models in the compilation.</summary>
    [Params(1, 10, 100, 500)]
    public int ModelCount { get; set; }

    /// <summary>Builds the compilation, runs the generator once, and checks both runs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _compilation = GeneratorInputs.Create(ModelCount);
        _afterFirstRun = GeneratorInputs.CreateDriver().RunGenerators(_compilation);
        _baselineAfterFirstRun = GeneratorInputs.CreateBaselineDriver().RunGenerators(_compilation);
        Check();
    }

    /// <summary>A first run: fresh driver, fresh compilation.</summary>
    /// <returns>The driver (holding the output).</returns>
    [Benchmark]
    public GeneratorDriver FullRun() => GeneratorInputs.CreateDriver().RunGenerators(_compilation.Clone());

    /// <summary>A second run after an edit that touches no model.</summary>
    /// <returns>The driver.</returns>
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => _afterFirstRun.RunGenerators(_compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit));

    /// <summary>The baseline (<see cref="AttributeOnlyGenerator"/>) on the same first run.</summary>
    /// <returns>The driver.</returns>
    [Benchmark]
    public GeneratorDriver FullRunBaseline() => GeneratorInputs.CreateBaselineDriver().RunGenerators(_compilation.Clone());

    /// <summary>The baseline on the same unrelated edit: what the driver costs when nothing is recomputed.</summary>
    /// <returns>The driver.</returns>
    [Benchmark]
    public GeneratorDriver UnrelatedEditBaseline() => _baselineAfterFirstRun.RunGenerators(_compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit));

    private void Check()
    {
        var first = _afterFirstRun.GetRunResult();
        int sources = first.Results.Sum(r => r.GeneratedSources.Length);
        var diagnostics = first.Diagnostics.Concat(first.Results.SelectMany(r => r.Diagnostics)).ToList();
        if (sources != ModelCount || diagnostics.Count != 0)
        {
            throw new InvalidOperationException($"The generator emitted {sources} files for {ModelCount} models, with {diagnostics.Count} diagnostics: {string.Join("; ", diagnostics.Take(3))}");
        }

        var tracked = GeneratorInputs.CreateDriver(trackSteps: true).RunGenerators(_compilation);
        var second = tracked.RunGenerators(_compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit)).GetRunResult();
        var recomputed = second.Results
            .SelectMany(r => r.TrackedSteps)
            .Where(kv => kv.Key.StartsWith("PhysMem.", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.SelectMany(step => step.Outputs.Select(o => (Step: kv.Key, o.Reason))))
            .Where(x => x.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .ToList();
        if (recomputed.Count != 0)
        {
            throw new InvalidOperationException("After an unrelated edit these steps were not cached: " + string.Join(", ", recomputed.Select(x => x.Step + " " + x.Reason).Distinct()));
        }
    }
}
