using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Hostile input: hundreds of random attribute values (negative, huge, 0, 64, 65, contradictory)
/// and odd declarations. No exception may escape the generator, every model the layout rejects
/// gets an error diagnostic and no source, and every model it accepts gets source that compiles.
/// </summary>
public class FuzzTests
{
    private static readonly int[] Interesting = { int.MinValue, -1, 0, 1, 4, 8, 10, 12, 13, 16, 18, 20, 21, 24, 27, 29, 30, 32, 36, 39, 46, 48, 52, 63, 64, 65, 1000, int.MaxValue };

    // Every int and bool input the attribute has, read from the attribute itself, so a new input is fuzzed without a list to update.
    private static readonly string[] IntProperties = AttributeProperties(typeof(int));

    private static readonly string[] BoolProperties = AttributeProperties(typeof(bool));

    private static string[] AttributeProperties(Type type) =>
        typeof(MemoryModelAttribute).GetProperties().Where(p => p.CanWrite && p.PropertyType == type).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Random_attribute_values_never_crash_and_always_explain(int seed)
    {
        var random = new Random(seed);
        var models = new List<(string Name, LayoutOptions Options)>();
        var source = new StringBuilder("using PhysMem;\nnamespace Fuzz;\n");
        for (int i = 0; i < 30; i++)
        {
            var options = new LayoutOptions();
            var args = new List<string>();
            var model = (Model)random.Next(0, 3);
            options.Model = model;
            args.Add("Model." + model);
            foreach (var p in IntProperties.Where(_ => random.Next(3) == 0))
            {
                int v = random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : random.Next(-2, 70);
                args.Add($"{p} = {v.ToString(CultureInfo.InvariantCulture)}");
                typeof(LayoutOptions).GetProperty(p)!.SetValue(options, v);
            }

            foreach (var p in BoolProperties.Where(_ => random.Next(3) == 0))
            {
                bool v = random.Next(2) == 0;
                args.Add($"{p} = {(v ? "true" : "false")}");
                typeof(LayoutOptions).GetProperty(p)!.SetValue(options, v);
            }

            string name = "M" + i.ToString(CultureInfo.InvariantCulture);
            source.Append($"[MemoryModel({string.Join(", ", args)})] public partial class {name} {{ }}\n");
            models.Add((name, options));
        }

        var run = GeneratorHarness.Run(source.ToString());
        foreach (var (name, options) in models)
        {
            var problems = new List<LayoutDiagnostic>();
            var spec = options.Resolve(problems);
            var result = MemoryLayout.Compute(spec);
            bool accepted = problems.Count == 0 && result.Layout is not null;
            var mine = run.GeneratorDiagnostics.Where(d => d.Location.SourceTree!.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString().Contains($"class {name} ")).ToList();
            if (accepted)
            {
                Assert.DoesNotContain(mine, d => d.Severity == DiagnosticSeverity.Error);
                Assert.Contains($"Fuzz.{name}.g.cs", run.Sources.Keys);
            }
            else
            {
                Assert.Contains(mine, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("PMEM", StringComparison.Ordinal));
                if (run.Sources.TryGetValue($"Fuzz.{name}.g.cs", out var surface))
                {
                    Assert.Contains("which PhysMem refused:", surface, StringComparison.Ordinal);
                }
            }
        }

        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id != "CS0579");
    }

    [Theory]
    [InlineData("[MemoryModel(Model.Flat)][MemoryModel(Model.Sparse)] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Flat)] public interface I { }")]
    [InlineData("[MemoryModel(Model.Flat)] public enum E { A }")]
    [InlineData("[MemoryModel] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Flat, PageShift = \"12\")] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Flat, Nope = 1)] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Sparse, PageShift = int.MaxValue, MaxPhysmemBits = int.MinValue)] public partial class M<T> { }")]
    [InlineData("public partial class O<T> { [MemoryModel(Model.Flat)] public class M { } }")]
    [InlineData("[MemoryModel(Model.Sparse, Zones = (Zones)(-1))] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Sparse, ArchPfnOffset = ulong.MaxValue)] public partial struct M { }")]
    [InlineData("[MemoryModel(Model.Flat, ArchPfnOffset = ulong.MaxValue)] public partial struct M { }")]
    [InlineData("[MemoryModel(default)] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Sparse)] public partial record struct M;")]
    [InlineData("[MemoryModel(Model.Sparse)] public partial class")]
    public void Hostile_declarations_never_crash(string declaration)
    {
        var run = GeneratorHarness.Run("using PhysMem;\nnamespace H;\n" + declaration);
        GeneratorHarness.AssertNoGeneratorException(run.GeneratorDiagnostics);
        foreach (var (_, text) in run.Sources)
        {
            Assert.StartsWith("// <auto-generated/>", text, StringComparison.Ordinal);
        }
    }
}
