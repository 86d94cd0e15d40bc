extern alias generator;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>
/// Declares the generator's descriptors and reports nothing. The testing libraries read a markup
/// ID (<c>{|PMEM0001:M|}</c>) through an analyzer's supported descriptors, so this gives each ID
/// its severity; the diagnostics themselves come from the generator. (No <c>[DiagnosticAnalyzer]</c>:
/// the tests create it, and no compiler is to load it.)
/// </summary>
#pragma warning disable RS1001 // Not an analyzer for a build: the attribute would make it one.
public sealed class GeneratorDescriptors : DiagnosticAnalyzer
#pragma warning restore RS1001
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Descriptors =
        ((IEnumerable<DiagnosticDescriptor>)typeof(generator::PhysMem.Generator.MemoryModelGenerator).Assembly
            .GetType("PhysMem.Generator.Diagnostics.Descriptors", throwOnError: true)!
            .GetProperty("All", BindingFlags.Public | BindingFlags.Static)!
            .GetValue(null)!).ToImmutableArray();

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
    }
}

/// <summary>
/// The project every markup test compiles: C# latest, nullable, unsafe code as asked, and the
/// references of <c>Basic.Reference.Assemblies</c> plus the PhysMem runtime. The libraries'
/// default reference assemblies are a NuGet package fetched at test time; an empty set without a
/// package resolves to nothing and fetches nothing.
/// </summary>
public static class MarkupProject
{
    private static readonly ReferenceAssemblies NoDownload = new("net10.0");

    private static readonly MetadataReference[] References =
        Basic.Reference.Assemblies.Net100.References.All
            .Append(MetadataReference.CreateFromFile(typeof(PhysMem.MemoryLayout).Assembly.Location))
            .ToArray();

    /// <summary>Sets the references of <paramref name="test"/> and its one source, <c>Model.cs</c>.</summary>
    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test, string markup)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = NoDownload;
        test.TestState.AdditionalReferences.AddRange(References);
        test.TestState.Sources.Add(("Model.cs", markup));
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>
    /// Adds <paramref name="files"/> as AdditionalFiles (markup in them marks the diagnostics the
    /// generator reports inside the file, at the external location the build prints as
    /// <c>file(line,column)</c>) and <paramref name="properties"/> as MSBuild passes them: a global
    /// analyzer config with <c>build_property.NAME = value</c> for each.
    /// </summary>
    public static void AddInputs(SolutionState state, IEnumerable<(string Path, string Markup)> files, IReadOnlyDictionary<string, string>? properties)
    {
        foreach (var (path, markup) in files)
        {
            state.AdditionalFiles.Add((path, markup));
        }

        if (properties is { Count: > 0 })
        {
            state.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Concat(properties.Select(p => "build_property." + p.Key + " = " + p.Value + "\n"))));
        }
    }

    /// <summary>The project's options: those of <see cref="GeneratorHarness.CreateCompilation"/>.</summary>
    public static CompilationOptions Options(CompilationOptions options, bool allowUnsafe) =>
        ((CSharpCompilationOptions)options).WithAllowUnsafe(allowUnsafe).WithNullableContextOptions(NullableContextOptions.Enable);
}

/// <summary>
/// The generator's diagnostics checked against markup: every diagnostic it reports must be marked,
/// with its ID, on exactly the text it points at; compiler diagnostics are left to the other tests.
/// </summary>
public sealed class GeneratorMarkupTest : CSharpSourceGeneratorTest<generator::PhysMem.Generator.MemoryModelGenerator, DefaultVerifier>
{
    private readonly bool _allowUnsafe;

    public GeneratorMarkupTest(string markup, bool allowUnsafe = true)
    {
        _allowUnsafe = allowUnsafe;
        MarkupProject.Configure(this, markup);
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new[] { new GeneratorDescriptors() };

    protected override CompilationOptions CreateCompilationOptions() => MarkupProject.Options(base.CreateCompilationOptions(), _allowUnsafe);

    protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
}

/// <summary>
/// A code fix applied as the IDE applies it, to the generator's diagnostic marked in the source
/// (with <c>files</c> as AdditionalFiles, kept in the fixed project); the fixed source must then
/// have no diagnostic of the generator left.
/// </summary>
public sealed class CodeFixMarkupTest<TCodeFix> : CSharpCodeFixTest<GeneratorDescriptors, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixMarkupTest(string markup, string fixedSource, IEnumerable<(string Path, string Text)>? files = null)
    {
        MarkupProject.Configure(this, markup);
        MarkupProject.AddInputs(TestState, files ?? System.Array.Empty<(string, string)>(), null);
        FixedState.Sources.Add(("Model.cs", fixedSource));
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override IEnumerable<System.Type> GetSourceGenerators() => new[] { typeof(generator::PhysMem.Generator.MemoryModelGenerator) };

    protected override CompilationOptions CreateCompilationOptions() => MarkupProject.Options(base.CreateCompilationOptions(), allowUnsafe: true);

    protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
}
