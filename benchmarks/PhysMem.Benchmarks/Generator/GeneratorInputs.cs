extern alias generator;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PhysMem.Benchmarks.Generator;

/// <summary>Compilations with many annotated models, and the generator driver, for <see cref="GeneratorBenchmarks"/>.</summary>
public static class GeneratorInputs
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>
    /// A compilation of <paramref name="models"/> files, each with one annotated partial class, cycling
    /// through FLATMEM, classic SPARSEMEM (static and EXTREME), SPARSEMEM_VMEMMAP and architecture
    /// presets with varied section sizes and node counts, as a real multi-model project might hold.
    /// </summary>
    /// <param name="models">How many models.</param>
    /// <returns>The compilation.</returns>
    public static CSharpCompilation Create(int models)
    {
        var trees = new List<SyntaxTree>(models);
        for (int i = 0; i < models; i++)
        {
            string attribute = (i % 5) switch
            {
                0 => $"Model.Flat, NodesShift = {i % 3}",
                1 => $"Model.Sparse, SectionSizeBits = {27 + (i % 4)}, MaxPhysmemBits = 46, NodesShift = {i % 7}",
                2 => $"Model.Sparse, SectionSizeBits = {27 + (i % 4)}, MaxPhysmemBits = 46, Extreme = true, NodesShift = {i % 11}",
                3 => $"Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = {46 + (i % 7)}, Vmemmap = true, Extreme = true, NodesShift = {i % 10}, NumaBalancing = true, NrCpus = 8192",
                _ => (i % 3) switch { 0 => "Arch.X86_64", 1 => "Arch.Arm64_4K", _ => "Arch.X86_64, MaxPhysmemBits = 52" },
            };
            string source = $$"""
                using PhysMem;

                namespace Consumer.Models;

                /// <summary>Model {{i}}.</summary>
                [MemoryModel({{attribute}})]
                public partial class Model{{i.ToString(CultureInfo.InvariantCulture)}}
                {
                }
                """;
            trees.Add(CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Model{i}.cs"));
        }

        return CSharpCompilation.Create(
            "Consumer",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A file that has nothing to do with any model: the edit of the incremental benchmark.</summary>
    public static SyntaxTree UnrelatedEdit { get; } = CSharpSyntaxTree.ParseText(
        "namespace Consumer.Unrelated { internal static class Edit { public static int Value => 42; } }", ParseOptions, path: "Unrelated.cs");

    /// <summary>A driver holding only the PhysMem generator, as the compiler would create it.</summary>
    /// <param name="trackSteps">Record each step's run reason (costs time; only the checks use it).</param>
    /// <returns>The driver.</returns>
    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new generator::PhysMem.Generator.MemoryModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>A driver holding only <see cref="AttributeOnlyGenerator"/>: the baseline.</summary>
    /// <returns>The driver.</returns>
    public static GeneratorDriver CreateBaselineDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new AttributeOnlyGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private static MetadataReference[] LoadReferences()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return tpa
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(MemoryLayout).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
