extern alias generator;

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>The outcome of one generator run over a source text.</summary>
public sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    GeneratorDriverRunResult Result,
    IReadOnlyList<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<Diagnostic> CompilationDiagnostics)
{
    /// <summary>The generated source texts, by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>The only generated source (fails when there is not exactly one).</summary>
    public string SingleSource => Assert.Single(Sources).Value;
}

/// <summary>
/// Runs the generator the way the compiler does, and checks what every generator test must hold:
/// no exception escaped the generator (no CS8785), and a second run after an unrelated edit finds
/// every tracked step Cached or Unchanged with no symbol, syntax node or compilation reachable
/// from any step's output.
/// </summary>
public static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>
    /// Every step name the generator declares, read from its <c>TrackingNames</c> constants (an
    /// internal type, so by name), so that a step added to the pipeline is checked without being
    /// listed here as well.
    /// </summary>
    public static readonly IReadOnlyList<string> TrackedSteps = ReadTrackingNames();

    public static CSharpCompilation CreateCompilation(string source, bool allowUnsafe = true, string assemblyName = "Consumer") =>
        CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Model.cs") },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator once, then again after an unrelated edit, and checks caching.</summary>
    public static GeneratorRun Run(string source, bool allowUnsafe = true)
    {
        var compilation = CreateCompilation(source, allowUnsafe);
        GeneratorDriver driver = CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();

        AssertNoGeneratorException(generatorDiagnostics.Concat(result.Diagnostics));
        AssertCachedAfterUnrelatedEdit(driver, compilation);

        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return new GeneratorRun(compilation, output, result, generatorDiagnostics.ToList(), compileDiagnostics);
    }

    /// <param name="trackSteps">
    /// Whether the driver records every step (for the caching checks). Recording costs the driver
    /// time that grows faster than the number of models (each output's step tree reaches back
    /// through the steps that collect all models), so runs over hundreds of models leave it off.
    /// </param>
    public static GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new generator::PhysMem.Generator.MemoryModelGenerator().AsSourceGenerator() },
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static void AssertNoGeneratorException(IEnumerable<Diagnostic> diagnostics)
    {
        var crash = diagnostics.FirstOrDefault(d => d.Id is "CS8785" or "CS8784" or "AD0001");
        Assert.True(crash is null, "The generator threw: " + crash);
    }

    /// <summary>
    /// After an edit that concerns one model (its file changed), each named step ran again for that
    /// model and left every other model's output Cached or Unchanged.
    /// </summary>
    public static void AssertOnlyModelRegenerated(GeneratorRunResult result, string typeName, params string[] steps)
    {
        foreach (var step in steps)
        {
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => (o.Value, o.Reason)).ToList();
            Assert.Contains(reasons, r => r.Reason == IncrementalStepRunReason.Modified);
            Assert.All(reasons.Where(r => !Mentions(r.Value, typeName)), r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r.Reason}"));
        }
    }

    /// <summary>Every output of each named step is Cached or Unchanged.</summary>
    public static void AssertStepsCached(GeneratorRunResult result, params string[] steps)
    {
        foreach (var (name, runs) in result.TrackedSteps.Where(kv => steps.Contains(kv.Key)))
        {
            Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }
    }

    /// <summary>Whether a step output belongs to the model named <paramref name="typeName"/> (outputs are internal records; read by reflection).</summary>
    private static bool Mentions(object value, string typeName)
    {
        object? target = value.GetType().GetProperty("Target")?.GetValue(value);
        return target is not null && (string?)target.GetType().GetProperty("Name")?.GetValue(target) == typeName;
    }

    /// <summary>
    /// A second run after adding an unrelated file must reuse every step's output. Returns the names
    /// of the steps checked: those on the way to an output in this run (a step whose input is empty,
    /// such as the file-reading steps of a run without AdditionalFiles, is not recorded by the driver;
    /// <c>CachingTests</c> reaches them all).
    /// </summary>
    public static IReadOnlyList<string> AssertCachedAfterUnrelatedEdit(GeneratorDriver driver, CSharpCompilation compilation)
    {
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Unrelated { internal static class Edit { public static int Value => 42; } }",
            new CSharpParseOptions(LanguageVersion.Latest), path: "Unrelated.cs"));
        var second = driver.RunGenerators(edited).GetRunResult();
        var steps = second.Results.SelectMany(r => r.TrackedSteps).Where(kv => TrackedSteps.Contains(kv.Key)).ToList();
        foreach (var (name, runs) in steps)
        {
            foreach (var run in runs)
            {
                foreach (var (value, reason) in run.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{name}' produced {reason} after an unrelated edit; its output is not cacheable.");
                    AssertNoCompilerObjects(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
                }
            }
        }

        return steps.Select(kv => kv.Key).Distinct().ToList();
    }

    /// <summary>Walks an output's object graph: no symbol, syntax node or compilation may be held.</summary>
    private static void AssertNoCompilerObjects(object? value, string step, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 12 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree,
            $"Step '{step}' output holds a {value.GetType().Name}, which keeps compilations alive and defeats caching.");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoCompilerObjects(item, step, seen, depth + 1);
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                AssertNoCompilerObjects(field.GetValue(value), step, seen, depth + 1);
            }
        }
    }

    private static string[] ReadTrackingNames()
    {
        var type = typeof(generator::PhysMem.Generator.MemoryModelGenerator).Assembly.GetType("PhysMem.Generator.TrackingNames", throwOnError: true)!;
        var names = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        Assert.NotEmpty(names);
        return names;
    }

    private static MetadataReference[] LoadReferences()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return tpa
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(PhysMem.MemoryLayout).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
