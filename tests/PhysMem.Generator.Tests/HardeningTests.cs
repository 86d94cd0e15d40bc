extern alias generator;

using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using static PhysMem.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Legal programs never break the build: hint names stay unique, a type is one model, kinds of type
/// that cannot hold a model and members that collide are PMEM errors on the user's code, a refused
/// model is one error (its uses compile against a surface that throws), and options that mean
/// nothing for the model are said to be ignored.
/// </summary>
public sealed class HardeningTests
{
    [Fact]
    public void A_generic_and_a_plain_container_of_one_name_keep_both_outputs()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            namespace N;
            public partial class Outer { [MemoryModel(Arch.X86_64)] public partial class Inner { } }
            public partial class Outer<T> { [MemoryModel(Arch.Arm64_4K)] public partial class Inner { } }
            public static class Use { public static ulong Run() => Outer.Inner.SectionsShift + (ulong)Outer<int>.Inner.PageShift; }
            """);
        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("PMEM0002", d.Id);
        Assert.Equal("The type 'N.Outer<T>.Inner' is nested in the generic type 'N.Outer<T>', so every constructed Outer<...> would get a model of its own; a memory model's constants and storage belong to one non-generic type",
            d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(2, run.Sources.Count);
        Assert.Contains("N.Outer.Inner.g.cs", run.Sources.Keys);
        Assert.DoesNotContain("which PhysMem refused", run.Sources["N.Outer.Inner.g.cs"], StringComparison.Ordinal);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void A_keyword_named_model_is_generated_and_names_itself_without_the_verbatim_prefix()
    {
        var run = GeneratorHarness.Run("using PhysMem; namespace @class; [MemoryModel(Arch.X86_64)] public partial class @record { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Contains("namespace @class", run.SingleSource, StringComparison.Ordinal);
        Assert.Contains("ObjectDisposedException(\"record\")", run.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_equal_but_for_case_get_distinct_hint_names()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            namespace N;
            [MemoryModel(Arch.X86_64)] public partial class Mem { }
            [MemoryModel(Arch.X86_64)] public partial class mem { }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Keys.Select(k => k.ToUpperInvariant()).Distinct().Count());
        Assert.All(run.Sources.Keys, k => Assert.Matches(@"^N\.[Mm]em-[0-9a-f]{8}\.g\.cs$", k));
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public async Task PMEM0029_A_second_attribute_on_another_partial_declaration()
    {
        // The markup test checks the place (Second.cs, on its attribute); the run below the message and what the compiler makes of the rest.
        const string First = "using PhysMem; namespace N; [MemoryModel(Arch.X86_64)] public partial class M { }";
        const string Second = "using PhysMem; namespace N; [{|PMEM0029:MemoryModel(Arch.Arm64_4K)|}] public partial class M { }";
        var test = new GeneratorMarkupTest(First);
        test.TestState.Sources.Add(("Second.cs", Second));
        await test.RunAsync();

        var compilation = GeneratorHarness.CreateCompilation(First)
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unmarked(Second), new CSharpParseOptions(LanguageVersion.Latest), path: "Second.cs"));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        GeneratorHarness.AssertNoGeneratorException(diagnostics);
        GeneratorHarness.AssertCachedAfterUnrelatedEdit(driver, compilation);
        var d = Assert.Single(diagnostics);
        Assert.Equal("PMEM0029", d.Id);
        Assert.Equal("The type 'N.M' already carries [MemoryModel] at Model.cs (another partial declaration); a type is one memory model: remove this attribute", d.GetMessage(CultureInfo.InvariantCulture));

        // The first declaration's model is generated; the compiler adds its own CS0579 and nothing else.
        var source = Assert.Single(driver.GetRunResult().GeneratedTrees).ToString();
        Assert.Contains("Model: SPARSEMEM_VMEMMAP", source, StringComparison.Ordinal);
        Assert.Equal(new[] { "CS0579" }, output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error).Select(x => x.Id).ToArray());
    }

    [Fact]
    public Task PMEM0029_The_attribute_twice_on_one_declaration() => Expect(
        "[MemoryModel(Arch.X86_64)][{|PMEM0029:MemoryModel(Arch.Arm64_4K)|}] public partial class M { }",
        "The type 'N.M' already carries [MemoryModel] at the attribute before it; a type is one memory model: remove this attribute");

    [Theory]
    [InlineData("public partial struct {|PMEM0031:M|} { }", "is a struct, and copying a struct copies its raw pointers and its disposed flag: disposing one copy leaves the others pointing at freed memory")]
    [InlineData("public readonly partial struct {|PMEM0031:M|} { }", "is a readonly struct, and copying a struct copies its raw pointers and its disposed flag: disposing one copy leaves the others pointing at freed memory")]
    [InlineData("public ref partial struct {|PMEM0031:M|} { }", "is a ref struct, and copying a struct copies its raw pointers and its disposed flag: disposing one copy leaves the others pointing at freed memory")]
    [InlineData("public static partial class {|PMEM0031:M|} { }", "is static, but a model is an instance that owns its storage and is disposed")]
    [InlineData("file partial class {|PMEM0031:M|} { }", "is file-local (or nested in a file-local type), and a file-local type's parts must all be in one file, so no generated half can be added to it")]
    [InlineData("public partial class {|PMEM0031:M|}(int x) { public int X => x; }", "has a primary constructor, which the generated constructor (from a MemoryMap) would have to call with values it cannot know")]
    public Task PMEM0031_Kinds_of_type_that_cannot_hold_a_model(string declaration, string why) => Expect(
        "[MemoryModel(Arch.X86_64)] " + declaration, "The type 'N.M' " + why + ": declare the model as a partial, non-static class");

    [Theory]
    [InlineData("public void {|PMEM0032:Dispose|}() { }", "The method 'Dispose()'", "public void Dispose()")]
    [InlineData("public const int {|PMEM0032:SectionsShift|} = 1;", "The constant 'SectionsShift'", "public const int SectionsShift")]
    [InlineData("public {|PMEM0032:{|PMEM0037:M|}|}(PhysMem.MemoryMap map) { }", "The constructor 'M(global::PhysMem.MemoryMap)'", "public M(global::PhysMem.MemoryMap map)")]
    [InlineData("private int {|PMEM0032:_storage|};", "The field '_storage'", "private readonly global::PhysMem.SparseMemory _storage")]
    [InlineData("public int {|PMEM0032:PfnToPage|} => 0;", "The property 'PfnToPage'", "public global::PhysMem.Page* PfnToPage(ulong pfn)")]
    public Task PMEM0032_A_member_the_generator_also_writes(string member, string display, string generated) => Expect(
        "[MemoryModel(Arch.X86_64)] public partial class M { " + member + " }",
        $"{display} of 'N.M' collides with the generated member '{generated}': rename or remove it", id: "PMEM0032");

    [Fact]
    public Task PMEM0032_A_member_named_like_the_node_chunk_table_of_a_model_with_two_nodes() => Expect(
        "[MemoryModel(Model.Discontig, NodesShift = 1)][MemoryBank(0x0, 0x1000_0000, Node = 0)][MemoryBank(0x1000_0000, 0x1000_0000, Node = 1)] "
            + "public partial class M { private static int {|PMEM0032:NodeOfChunk|}(ulong c) => 0; }",
        "The method 'NodeOfChunk(ulong)' of 'N.M' collides with the generated member 'private static int NodeOfChunk(ulong chunk)': rename or remove it", id: "PMEM0032");

    [Fact]
    public async Task PMEM0032_An_inherited_member_and_a_type_named_like_a_member()
    {
        await Expect("public class Base { public bool PfnValid; } [{|PMEM0032:MemoryModel(Arch.X86_64)|}] public partial class M : Base { }",
            "The field 'PfnValid' inherited from 'N.Base' of 'N.M' collides with the generated member 'public bool PfnValid(ulong pfn)': rename or remove it");
        await Expect("[{|PMEM0032:MemoryModel(Arch.X86_64)|}] public partial class Layout { }",
            "The type's own name of 'N.Layout' collides with the generated member 'public static global::PhysMem.MemoryLayout Layout': rename or remove it");
    }

    [Fact]
    public void Overloads_and_explicit_implementations_do_not_collide()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            namespace N;
            [MemoryModel(Arch.X86_64)]
            public partial class M
            {
                public M() : this(MemoryMap.Example) { }
                public bool PfnValid(int pfn) => pfn >= 0 && PfnValid((ulong)pfn);
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void A_refused_model_is_one_error_and_its_uses_compile_against_members_that_throw()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            namespace N;
            [MemoryModel(Model.Sparse, Vmemmap = true, PageShift = 40)] public partial class M { }
            public static class Use
            {
                public static unsafe bool Run()
                {
                    using var m = new M(MemoryMap.Example);
                    Page* page = m.PfnToPage(0x100);
                    return m.PfnValid(0x100) && M.SectionsShift > 0 && m.PageToPfn(page) == 0x100 && M.Layout is not null;
                }
            }
            """);
        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("PMEM0003", d.Id);
        Assert.Empty(run.CompilationDiagnostics);
        string surface = run.SingleSource;
        Assert.Contains("public const int SectionsShift = default;", surface, StringComparison.Ordinal);
        Assert.Contains("This memory model was not generated: PMEM0003: PageShift = 40 is out of range", surface, StringComparison.Ordinal);

        // The members throw, naming the error.
        var assembly = CompiledModel.From(run);
        var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => assembly.Call("N.Use", "Run"));
        var inner = Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.StartsWith("This memory model was not generated: PMEM0003: PageShift = 40 is out of range", inner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_unsafe_code_the_model_is_PMEM0005_alone()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            namespace N;
            [MemoryModel(Arch.X86_64)] public partial class M { }
            public static class Use { public static bool Run() { using var m = new M(MemoryMap.Example); return m.PfnValid(1) && M.Layout is not null; } }
            """, allowUnsafe: false);
        Assert.Equal("PMEM0005", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.DoesNotContain("unsafe", run.SingleSource.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("Model.Flat", "SectionSizeBits = 27", "SectionSizeBits = 27", "FLATMEM")]
    [InlineData("Model.Flat", "MaxPhysmemBits = 40", "MaxPhysmemBits = 40", "FLATMEM")]
    [InlineData("Model.Discontig", "Vmemmap = false", "Vmemmap = false", "DISCONTIGMEM")]
    [InlineData("Model.Discontig", "Extreme = false", "Extreme = false", "DISCONTIGMEM")]
    public async Task PMEM0035_Sparse_options_on_other_models(string model, string argument, string value, string name)
    {
        var run = await Expect($"[MemoryModel({model}, {{|PMEM0035:{argument}|}})] public partial class M {{ }}",
            $"{value} is ignored: the model is {name}, which has no sections; the option applies to Model.Sparse only", DiagnosticSeverity.Warning);
        Assert.DoesNotContain("which PhysMem refused", run.SingleSource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxPhysmemBits = 64", "NR_MEM_SECTIONS = 2^37 = 137438953472 entries of 16 bytes", "2 TiB", "set Extreme = true (SPARSEMEM_EXTREME allocates sections a root at a time, where memory is), or raise SectionSizeBits or lower MaxPhysmemBits")]
    [InlineData("MaxPhysmemBits = 64, Extreme = true, SectionSizeBits = 21", "NR_SECTION_ROOTS = 34359738368 root pointers of 8 bytes", "256 GiB", "raise SectionSizeBits or lower MaxPhysmemBits")]
    public Task PMEM0036_Section_tables_too_large_to_reserve(string arguments, string what, string bytes, string fix) => Expect(
        $"[MemoryModel(Model.Sparse, {arguments.Replace("MaxPhysmemBits = 64", "{|PMEM0036:MaxPhysmemBits = 64|}", StringComparison.Ordinal)})] public partial class M {{ }}",
        $"The section table needs {what} ({bytes}), more than the 1 GiB PhysMem allows it: {fix}");

    [Fact]
    public Task PMEM0004_ZoneDma32_needs_a_64_bit_layout() => Expect(
        "[MemoryModel(Arch.X86_32, {|PMEM0004:Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable|})] public partial class M { }",
        "Zones.Dma32 needs a 64-bit kernel, but BitsPerLong is 32 (ZONE_DMA32 is offered on 64-bit architectures only (mm/Kconfig: depends on !X86_32; arm64, x86-64, riscv, loongarch and mips64 select it))");

    [Fact]
    public void Null_files_are_the_defaults()
    {
        var run = GeneratorHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Arch.X86_64, Kconfig = null, MemoryMapFile = null)] public partial class M { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("Model.Sparse, Vmemmap = true")]
    [InlineData("Model.Sparse, Vmemmap = true, PageShift = 16, MaxPageOrder = 13, MaxPhysmemBits = 52")]
    [InlineData("Model.Sparse, Vmemmap = true, PageShift = 18, MaxPageOrder = 2, ZoneDevice = true")]
    [InlineData("Model.Sparse, Vmemmap = true, MaxPhysmemBits = 24")]
    public void Every_message_about_the_section_size_states_the_one_range_the_layout_accepts(string model)
    {
        // The range the messages state, for a value below and a value above it ...
        string Message(int bits) => GeneratorHarness.Run($"using PhysMem;\nnamespace N;\n[MemoryModel({model}, SectionSizeBits = {bits})] public partial class M {{ }}")
            .GeneratorDiagnostics.Single(d => d.Severity == DiagnosticSeverity.Error).GetMessage(CultureInfo.InvariantCulture);
        var low = Regex.Match(Message(13), @"SECTION_SIZE_BITS may run from (\d+) to (\d+) here|no SECTION_SIZE_BITS fits");
        var high = Regex.Match(Message(70), @"SECTION_SIZE_BITS may run from (\d+) to (\d+) here|no SECTION_SIZE_BITS fits");
        Assert.True(low.Success && high.Success);
        Assert.Equal(low.Value, high.Value);

        // ... is exactly the range the layout computes.
        var spec = new LayoutOptions { Model = PhysMem.Model.Sparse, Vmemmap = true };
        foreach (var pair in Regex.Matches(model, @"(\w+) = (\d+)").Cast<Match>())
        {
            typeof(LayoutOptions).GetProperty(pair.Groups[1].Value)!.SetValue(spec, int.Parse(pair.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        spec.ZoneDevice = model.Contains("ZoneDevice = true", StringComparison.Ordinal);

        for (int bits = 0; bits <= 70; bits++)
        {
            spec.SectionSizeBits = bits;
            bool accepted = MemoryLayout.Compute(spec.Resolve(new System.Collections.Generic.List<LayoutDiagnostic>())).Layout is not null;
            bool stated = low.Groups[1].Success && bits >= int.Parse(low.Groups[1].Value, CultureInfo.InvariantCulture) && bits <= int.Parse(low.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(accepted == stated, $"SectionSizeBits = {bits}: accepted {accepted}, stated {stated} ({low.Value})");
        }
    }
}

/// <summary>What the compiler is asked for: the C# version and XML documentation.</summary>
public sealed class CompilerSettingsTests
{
    private static (System.Collections.Generic.IReadOnlyList<Diagnostic> Generator, System.Collections.Generic.IReadOnlyList<Diagnostic> Compiler, GeneratorDriverRunResult Run) Compile(string source, LanguageVersion version, DocumentationMode documentation = DocumentationMode.Parse)
    {
        var options = new CSharpParseOptions(version, documentation);
        var compilation = GeneratorHarness.CreateCompilation("namespace Harness { }")
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, options, path: "Model.cs"));
        var driver = CSharpGeneratorDriver.Create(new[] { new generator::PhysMem.Generator.MemoryModelGenerator().AsSourceGenerator() }, parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        GeneratorHarness.AssertNoGeneratorException(diagnostics);
        return (diagnostics, output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList(), driver.GetRunResult());
    }

    [Fact]
    public void Before_CSharp_9_the_model_is_PMEM0006_alone()
    {
        var (generator, compiler, _) = Compile("using PhysMem; namespace N { [MemoryModel(Arch.X86_64)] public partial class M { } static class Use { static object Run() { return M.Layout; } } }", LanguageVersion.CSharp8);
        var d = Assert.Single(generator);
        Assert.Equal("PMEM0006", d.Id);
        Assert.StartsWith("C# 8.0 is not supported by this version of PhysMem: the generated model uses C# 9", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(compiler);
    }

    [Fact]
    public void A_model_in_a_record_compiles_in_CSharp_9()
    {
        var (generator, compiler, _) = Compile("using PhysMem; namespace N { public partial record R { [MemoryModel(Arch.X86_64)] public partial class M { } } }", LanguageVersion.CSharp9);
        Assert.Empty(generator);
        Assert.Empty(compiler);
    }

    [Theory]
    [InlineData("Kconfig = \"a\\u0001b\"")]
    [InlineData("Kconfig = \"a\\u2028class X {\"")]
    [InlineData("MemoryMapFile = \"x\\r\\ny\"")]
    public void Line_breaks_and_control_characters_in_an_argument_stay_in_comments(string argument)
    {
        var (generator, compiler, run) = Compile($"using PhysMem; namespace N {{ [MemoryModel(Arch.X86_64, {argument})] public partial class M {{ }} static class Use {{ static object Run() {{ return M.Layout; }} }} }}", LanguageVersion.Latest, DocumentationMode.Diagnose);
        Assert.Contains(generator, d => d.Id is "PMEM0011" or "PMEM0020");
        var generated = run.GeneratedTrees.Select(t => t.FilePath).ToHashSet();
        Assert.Single(generated);
        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error || (d.Location.SourceTree is { } t && generated.Contains(t.FilePath)));
    }
}
