extern alias generator;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>An AdditionalFile held in memory; a null text stands for a file the compiler cannot read.</summary>
public sealed class InMemoryAdditionalText(string path, string? text) : AdditionalText
{
    private readonly SourceText? _text = text is null ? null : SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Global analyzer options as MSBuild passes them: <c>build_property.NAME</c> for each visible property.</summary>
public sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties.ToDictionary(kv => "build_property." + kv.Key, kv => kv.Value));

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>
/// Runs the generator with AdditionalFiles and MSBuild properties, and checks what every
/// generator test checks (no exception, every tracked step cached after an unrelated edit, no
/// compiler object held).
/// </summary>
public static class KconfigHarness
{
    public static GeneratorRun Run(string source, IEnumerable<AdditionalText>? files = null, IReadOnlyDictionary<string, string>? properties = null, bool trackSteps = true) =>
        RunWithDriver(source, files, properties, out _, out _, trackSteps);

    public static GeneratorRun RunWithDriver(string source, IEnumerable<AdditionalText>? files, IReadOnlyDictionary<string, string>? properties, out GeneratorDriver driver, out CSharpCompilation compilation, bool trackSteps = true)
    {
        compilation = GeneratorHarness.CreateCompilation(source);
        driver = CreateDriver(files, properties, trackSteps);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        GeneratorHarness.AssertNoGeneratorException(generatorDiagnostics.Concat(result.Diagnostics));
        if (trackSteps)
        {
            GeneratorHarness.AssertCachedAfterUnrelatedEdit(driver, compilation);
        }

        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return new GeneratorRun(compilation, output, result, generatorDiagnostics.ToList(), compileDiagnostics);
    }

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText>? files, IReadOnlyDictionary<string, string>? properties, bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new generator::PhysMem.Generator.MemoryModelGenerator().AsSourceGenerator() },
            (files ?? Enumerable.Empty<AdditionalText>()).ToImmutableArray(),
            new CSharpParseOptions(LanguageVersion.Latest),
            new BuildPropertiesProvider(properties ?? new Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
