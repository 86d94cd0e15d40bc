extern alias generator;

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Hostile.Tests;

/// <summary>
/// Over a thousand hostile declarations, compiled in a few large compilations as a user's build
/// would compile them: the generator never throws (no CS8785, AD0001 or PMEM0030), no diagnostic
/// points into generated code, a declaration that cannot be generated has a PMEM error in its own
/// file, and a refused model's uses compile (the PMEM error stands alone).
/// </summary>
public sealed class HostileDeclarationTests(ITestOutputHelper output)
{
    private const int ChunkSize = 400;

    public static TheoryData<int> Chunks()
    {
        var data = new TheoryData<int>();
        int count = HostileDeclarationCases.All().Count;
        for (int i = 0; i * ChunkSize < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void There_are_over_a_thousand_declarations() =>
        Assert.True(HostileDeclarationCases.All().Count >= 1000, HostileDeclarationCases.All().Count.ToString(CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Every_declaration_generates_or_is_refused_on_its_own_code(int chunk) =>
        Check(HostileDeclarationCases.All().Skip(chunk * ChunkSize).Take(ChunkSize).ToList(), allowUnsafe: true);

    [Fact]
    public void Without_unsafe_code_every_model_is_one_PMEM0005_and_its_uses_compile()
    {
        var cases = HostileDeclarationCases.All()
            .Where(c => c.Outcome is Outcome.Generates)
            .Select(c => c with { Outcome = Outcome.Refused, Ids = c.Ids.Append("PMEM0005").ToArray(), CompilerErrors = c.CompilerErrors.Append("CS0227").ToArray() })
            .ToList();
        Check(cases, allowUnsafe: false);
    }

    private void Check(IReadOnlyList<HostileCase> cases, bool allowUnsafe)
    {
        var trees = new List<SyntaxTree>();
        var caseOfFile = new Dictionary<string, HostileCase>();
        for (int i = 0; i < cases.Count; i++)
        {
            for (int f = 0; f < cases[i].Files.Length; f++)
            {
                string path = $"Case{i}_{f}.cs";
                trees.Add(CSharpSyntaxTree.ParseText(cases[i].Files[f], new CSharpParseOptions(LanguageVersion.Latest), path));
                caseOfFile[path] = cases[i];
            }
        }

        var compilation = GeneratorHarness.CreateCompilation("namespace Harness { }", allowUnsafe).AddSyntaxTrees(trees);
        // Hundreds of models: the driver does not record its steps (caching is checked on small runs).
        var driver = GeneratorHarness.CreateDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var outputCompilation, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        GeneratorHarness.AssertNoGeneratorException(generatorDiagnostics.Concat(run.Diagnostics));

        var generatedPaths = new HashSet<string>(run.GeneratedTrees.Select(t => t.FilePath));
        var all = generatorDiagnostics.Concat(outputCompilation.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        var failures = new List<string>();
        Assert.DoesNotContain(all, d => d.Id == "PMEM0030");

        foreach (var d in all.Where(d => d.Location.SourceTree is { } t && generatedPaths.Contains(t.FilePath)))
        {
            failures.Add($"in generated code: {d}");
        }

        foreach (var group in cases.Select(c => c).Distinct())
        {
            var files = caseOfFile.Where(kv => kv.Value == group).Select(kv => kv.Key).ToHashSet();
            var mine = all.Where(d => d.Location.SourceTree is { } t && files.Contains(t.FilePath)).ToList();
            var errors = mine.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var pmemErrors = errors.Where(d => d.Id.StartsWith("PMEM", System.StringComparison.Ordinal)).ToList();
            var otherErrors = errors.Where(d => !d.Id.StartsWith("PMEM", System.StringComparison.Ordinal) && !group.CompilerErrors.Contains(d.Id)).ToList();
            string Fail(string what) => $"{group.Name}: {what}: " + string.Join(" | ", mine.Select(d => d.ToString()));

            foreach (string id in group.Ids)
            {
                if (!mine.Any(d => d.Id == id))
                {
                    failures.Add(Fail("expected " + id));
                }
            }

            switch (group.Outcome)
            {
                case Outcome.Generates:
                    if (errors.Count > 0 && !errors.All(e => group.CompilerErrors.Contains(e.Id)))
                    {
                        failures.Add(Fail("expected no error"));
                    }

                    break;
                case Outcome.Refused or Outcome.RefusedNoSurface:
                    if (pmemErrors.Count == 0 || otherErrors.Count > 0)
                    {
                        failures.Add(Fail("expected PMEM errors alone"));
                    }

                    break;
                case Outcome.Either:
                    if (otherErrors.Count > 0)
                    {
                        failures.Add(Fail("expected no compiler error but the user's own"));
                    }

                    break;
            }
        }

        output.WriteLine($"{cases.Count} cases, {trees.Count} files, {run.GeneratedTrees.Length} generated, {all.Count(d => d.Id.StartsWith("PMEM", System.StringComparison.Ordinal))} PMEM diagnostics");
        Assert.True(failures.Count == 0, failures.Count + " failures:\n" + string.Join("\n", failures.Take(40)));
    }
}
