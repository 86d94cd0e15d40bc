using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Models configured from a kernel .config (an AdditionalFile) and from PhysMem_* MSBuild
/// properties: the values each layer gives, the precedence attribute > MSBuild > .config > preset >
/// defaults as the generated header shows it, and what happens when the file is edited.
/// </summary>
public class KconfigGeneratorTests
{
    private const string ConfigPath = "/src/app/kernel/linux.config";

    internal static string RealConfig(string fixture) => File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "kconfig", fixture, "config"));

    internal static string Mminit(string fixture) => File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "kconfig", fixture, "mminit.txt")).Replace("\r\n", "\n");

    private static InMemoryAdditionalText File612 => new(ConfigPath, RealConfig("debian-6.12-amd64"));

    private static string HeaderLine(string source, string name) =>
        source.Split('\n').Single(l => l.StartsWith("//   " + name + " = ", System.StringComparison.Ordinal));

    [Fact]
    public void A_model_from_a_real_config_has_the_kernels_layout()
    {
        var run = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"linux.config\")] public partial class K { }", new[] { File612 });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        string source = run.SingleSource;
        Assert.Contains("public const int NrPageflags = 24;", source);
        Assert.Contains("public const int NodesWidth = 10;", source);
        Assert.Contains("public const int LastCpupidWidth = 21;", source);
        Assert.Contains("public const int ZonesWidth = 3;", source);
        Assert.Contains("public const int SectionsShift = 25;", source);
        Assert.StartsWith("//   Arch = X86_64_5Level (kconfig linux.config:", HeaderLine(source, "Arch"), System.StringComparison.Ordinal);
        Assert.Matches(@"^//   NrCpusBits = 13 \(kconfig linux\.config:\d+ \(CONFIG_NR_CPUS=8192, order_base_2 \(kernel/bounds\.c of 6\.12\.117\)\)\)$", HeaderLine(source, "NrCpusBits"));
        Assert.Matches(@"^//   NrPageflags = 24 \(kconfig linux\.config:3 \(6\.12 enum pageflags: 19 \+ mlocked \+ hwpoison \+ young \+ idle \+ arch_2\)\)$", HeaderLine(source, "NrPageflags"));

        Assert.Equal(Mminit("debian-6.12-amd64"), MminitOf(run, "N.K"));
    }

    [Theory]
    [InlineData("debian-6.1-amd64")]
    [InlineData("debian-6.1-686-pae")]
    [InlineData("debian-6.1-arm64")]
    [InlineData("debian-6.12-rt-amd64")]
    public void Every_captured_kernel_generates_its_own_mminit_lines(string fixture)
    {
        var run = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"config\")] public partial class K { }", new[] { new InMemoryAdditionalText("/fixtures/" + fixture + "/config", RealConfig(fixture)) });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Equal(Mminit(fixture), MminitOf(run, "N.K"));
    }

    [Fact]
    public void Attribute_beats_msbuild_beats_config_beats_preset_and_the_header_says_so()
    {
        var properties = new Dictionary<string, string>
        {
            ["PhysMem_NodesShift"] = "8",
            ["PhysMem_NrPageflags"] = "26",
            ["PhysMem_MaxPhysmemBits"] = "46",
        };
        var run = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"linux.config\", NodesShift = 6)] public partial class K { }", new[] { File612 }, properties);
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Equal("//   NodesShift = 6 (attribute)", HeaderLine(source, "NodesShift"));
        Assert.Equal("//   NrPageflags = 26 (msbuild PhysMem_NrPageflags)", HeaderLine(source, "NrPageflags"));
        Assert.Equal("//   MaxPhysmemBits = 46 (msbuild PhysMem_MaxPhysmemBits)", HeaderLine(source, "MaxPhysmemBits"));
        Assert.StartsWith("//   LruGen = true (kconfig linux.config:", HeaderLine(source, "LruGen"), System.StringComparison.Ordinal);
        Assert.Equal("//   PageblockOrder = 9 (default)", HeaderLine(source, "PageblockOrder"));
        Assert.Contains("public const int NodesShift = 6;", source);
        Assert.Contains("public const int NrPageflags = 26;", source);
        Assert.Contains("public const int SectionsShift = 19;", source);
    }

    [Fact]
    public void The_preset_fills_what_the_config_does_not_say()
    {
        // A hand-written configuration: the architecture and a few options, no memory model.
        const string Config = "# Linux/arm64 6.12.0 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_ARM64_16K_PAGES=y\nCONFIG_MMU=y\n";
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel(Kconfig = \"small.config\")] public partial class K { }", new[] { new InMemoryAdditionalText("/p/small.config", Config) });
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Equal("//   Model = Sparse (preset Arm64_16K)", HeaderLine(source, "Model"));
        Assert.Equal("//   Vmemmap = true (preset Arm64_16K)", HeaderLine(source, "Vmemmap"));
        Assert.Equal("//   PageShift = 14 (kconfig small.config:4 (CONFIG_ARM64_16K_PAGES))", HeaderLine(source, "PageShift"));
        Assert.Equal("//   NrPageflags = 20 (kconfig small.config:1 (6.12 enum pageflags: 19 + mlocked))", HeaderLine(source, "NrPageflags"));
    }

    [Fact]
    public void PhysMem_Kconfig_configures_a_model_that_names_no_file()
    {
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel] public partial class K { }", new[] { File612 }, new Dictionary<string, string> { ["PhysMem_Kconfig"] = "kernel/linux.config" });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("public const int NrPageflags = 24;", run.SingleSource);
    }

    [Fact]
    public void PhysMem_Arch_and_settings_configure_a_model_without_a_config()
    {
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel] public partial class K { }", properties: new Dictionary<string, string>
        {
            ["PhysMem_Arch"] = "arm64_64k",
            ["PhysMem_Zones"] = "Dma | Normal | Movable",
            ["PhysMem_Vmemmap"] = "false",
        });
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Equal("//   Arch = Arm64_64K (msbuild PhysMem_Arch)", HeaderLine(source, "Arch"));
        Assert.Equal("//   Zones = Dma, Normal, Movable (msbuild PhysMem_Zones)", HeaderLine(source, "Zones"));
        Assert.Equal("//   SectionSizeBits = 29 (preset Arm64_64K)", HeaderLine(source, "SectionSizeBits"));
        Assert.Contains("public const int PageShift = 16;", source);
        Assert.Contains("public const int SectionsWidth = 19;", source);
    }

    [Fact]
    public void A_config_without_its_file_in_AdditionalFiles_emits_nothing()
    {
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel(Kconfig = \"linux.config\")] public partial class K { }", new[] { new InMemoryAdditionalText("/p/other.config", "CONFIG_X86_64=y\n") });
        Assert.Equal("PMEM0011", Assert.Single(run.GeneratorDiagnostics).Id);
        DiagnosticAssert.Refused(run);
    }

    [Fact]
    public void Editing_the_config_regenerates_only_the_model_that_uses_it()
    {
        const string Source = "using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"linux.config\")] public partial class FromConfig { }\n[MemoryModel(Arch.X86_64)] public partial class FromPreset { }";
        var original = File612;
        KconfigHarness.RunWithDriver(Source, new[] { original }, null, out var driver, out var compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        string edited = RealConfig("debian-6.12-amd64").Replace("CONFIG_NODES_SHIFT=10", "CONFIG_NODES_SHIFT=6");
        driver = driver.ReplaceAdditionalText(original, new InMemoryAdditionalText(ConfigPath, edited)).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        Assert.NotEqual(before["N.FromConfig.g.cs"], after["N.FromConfig.g.cs"]);
        Assert.Contains("public const int NodesShift = 6;", after["N.FromConfig.g.cs"]);
        Assert.Equal(before["N.FromPreset.g.cs"], after["N.FromPreset.g.cs"]);

        // The model that names no file: every step after the file's own is cached or unchanged.
        GeneratorHarness.AssertOnlyModelRegenerated(result, "FromConfig", "PhysMem.Resolved", "PhysMem.Results", "PhysMem.Sources");

        // And an unrelated edit after that leaves everything cached.
        GeneratorHarness.AssertCachedAfterUnrelatedEdit(driver, compilation);
    }

    [Fact]
    public void Editing_an_unrelated_additional_file_changes_nothing()
    {
        const string Source = "using PhysMem;\n[MemoryModel(Kconfig = \"linux.config\")] public partial class K { }";
        var notes = new InMemoryAdditionalText("/src/app/notes.txt", "one");
        KconfigHarness.RunWithDriver(Source, new AdditionalText[] { File612, notes }, null, out var driver, out var compilation);
        driver = driver.ReplaceAdditionalText(notes, new InMemoryAdditionalText("/src/app/notes.txt", "two")).RunGenerators(compilation);
        GeneratorHarness.AssertStepsCached(driver.GetRunResult().Results.Single(), "PhysMem.KconfigFiles", "PhysMem.Resolved", "PhysMem.Sources");
    }

    [Fact]
    public void The_package_props_make_every_property_the_generator_reads_visible()
    {
        var props = System.Xml.Linq.XDocument.Load(Repo.Path("runtime", "PhysMem", "buildTransitive", "PhysMem.props"));
        var visible = props.Descendants("CompilerVisibleProperty").Select(e => (string)e.Attribute("Include")!).ToList();
        var read = new[] { "PhysMem_Kconfig", "PhysMem_VmcoreInfo", "PhysMem_Arch" }.Concat(InputTable.All.Where(i => i.MsBuildProperty is not null).Select(i => i.MsBuildProperty!)).ToList();
        Assert.Equal(read, visible);
        // Under net8.0 (which net10.0 takes too), so that other frameworks get NuGet's NU1202.
        Assert.Contains("PackagePath=\"buildTransitive\\net8.0\\PhysMem.props\"", File.ReadAllText(Repo.Path("runtime", "PhysMem", "PhysMem.csproj")));
    }

    /// <summary>The compiled model's own <c>Layout.ToMminitLines()</c>.</summary>
    internal static string MminitOf(GeneratorRun run, string typeName)
    {
        object layout = CompiledModel.From(run).Type(typeName).GetProperty("Layout")!.GetValue(null)!;
        return (string)layout.GetType().GetMethod("ToMminitLines")!.Invoke(layout, null)!;
    }
}
