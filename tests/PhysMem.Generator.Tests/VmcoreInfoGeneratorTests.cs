using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Models of one known kernel from its <c>VMCOREINFO</c> note (an AdditionalFile) and its .config:
/// the three real dumps' notes give the layout their kernels booted with, each input the note settles
/// names the note's line, and the note sits above the .config and below MSBuild and the attribute.
/// </summary>
public class VmcoreInfoGeneratorTests
{
    /// <summary>The text of a dump fixture's file (<c>vmcoreinfo.txt</c>, <c>config</c>).</summary>
    internal static string Fixture(string dump, string file) =>
        File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "vmcore", dump, file)).Replace("\r\n", "\n");

    /// <summary>The 1-based line of the note that starts with <paramref name="key"/>=, read from the note's text.</summary>
    internal static int LineOf(string note, string key) =>
        Array.FindIndex(note.Split('\n'), l => l.StartsWith(key + "=", StringComparison.Ordinal)) + 1;

    private static string HeaderLine(string source, string name) =>
        source.Split('\n').Single(l => l.StartsWith("//   " + name + " = ", StringComparison.Ordinal));

    private static GeneratorRun Run(string dump, string attribute = "VmcoreInfo = \"vmcoreinfo.txt\", Kconfig = \"config\"", string? note = null, string? config = null, IReadOnlyDictionary<string, string>? properties = null) =>
        KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(" + attribute + ")] public partial class K { }", new[]
        {
            new InMemoryAdditionalText("/dumps/" + dump + "/vmcoreinfo.txt", note ?? Fixture(dump, "vmcoreinfo.txt")),
            new InMemoryAdditionalText("/dumps/" + dump + "/config", config ?? Fixture(dump, "config")),
        }, properties);

    // The values are the note's own lines (tests/PhysMem.Tests/Fixtures/vmcore/*/vmcoreinfo.txt):
    // NUMBER(SECTION_SIZE_BITS)=27 in all three, NUMBER(MAX_PHYSMEM_BITS)=46 with LENGTH(mem_section)=4096
    // for the 4-level boots and 52 with 262144 for the 5-level one, SIZE(mem_section)=32, and
    // SYMBOL(vmemmap) only in 6.12's; 6.1's VMEMMAP comes from its .config (CONFIG_SPARSEMEM_VMEMMAP=y).
    [Theory]
    [InlineData("6.1-4level", 46, 19, false)]
    [InlineData("6.1-5level", 52, 25, false)]
    [InlineData("6.12-4level", 46, 19, true)]
    public void A_real_note_and_its_config_give_the_model_the_kernel_booted_with(string dump, int maxPhysmemBits, int sectionsShift, bool vmemmapInNote)
    {
        string note = Fixture(dump, "vmcoreinfo.txt");
        var run = Run(dump);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        string source = run.SingleSource;

        Assert.Contains("public const int SectionSizeBits = 27;", source);
        Assert.Contains("public const int MaxPhysmemBits = " + maxPhysmemBits + ";", source);
        Assert.Contains("public const int SectionsShift = " + sectionsShift + ";", source);
        Assert.Contains("public const int PageShift = 12;", source);
        Assert.Equal("//   SectionSizeBits = 27 (vmcoreinfo vmcoreinfo.txt:" + LineOf(note, "NUMBER(SECTION_SIZE_BITS)") + " (NUMBER(SECTION_SIZE_BITS)=27))", HeaderLine(source, "SectionSizeBits"));
        Assert.Equal("//   MaxPhysmemBits = " + maxPhysmemBits + " (vmcoreinfo vmcoreinfo.txt:" + LineOf(note, "NUMBER(MAX_PHYSMEM_BITS)") + " (NUMBER(MAX_PHYSMEM_BITS)=" + maxPhysmemBits + "))", HeaderLine(source, "MaxPhysmemBits"));
        string roots = maxPhysmemBits == 52 ? "262144" : "4096";
        Assert.Equal("//   Extreme = true (vmcoreinfo vmcoreinfo.txt:" + LineOf(note, "LENGTH(mem_section)") + " (LENGTH(mem_section)=" + roots + ", SIZE(mem_section)=32))", HeaderLine(source, "Extreme"));
        Assert.Equal("//   PageShift = 12 (vmcoreinfo vmcoreinfo.txt:3 (PAGESIZE=4096))", HeaderLine(source, "PageShift"));
        if (vmemmapInNote)
        {
            Assert.StartsWith("//   Vmemmap = true (vmcoreinfo vmcoreinfo.txt:" + LineOf(note, "SYMBOL(vmemmap)") + " (SYMBOL(vmemmap)=fffffc1780000000))", HeaderLine(source, "Vmemmap"), StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("//   Vmemmap = true (kconfig config:1060 (", HeaderLine(source, "Vmemmap"), StringComparison.Ordinal);
        }

        // What the note does not say (nodes, zones, the page-flags fields) is the .config's.
        Assert.StartsWith("//   NodesShift = 10 (kconfig config:", HeaderLine(source, "NodesShift"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6.1-4level")]
    [InlineData("6.1-5level")]
    [InlineData("6.12-4level")]
    public void The_generated_layout_is_the_one_the_dump_reader_builds(string dump)
    {
        // The dump reader's model of the same note and .config (6.1's sections decode to one vmemmap base).
        var expected = VmcoreModel.Build(VmcoreInfo.Parse(Fixture(dump, "vmcoreinfo.txt"), "note"), KconfigReader.Read(Fixture(dump, "config"), "config"), vmemmap: true);
        var run = Run(dump);
        Assert.Equal(expected.Layout.ToMminitLines(), KconfigGeneratorTests.MminitOf(run, "N.K"));
    }

    [Fact]
    public void A_4_level_note_overrides_the_configs_52_bits()
    {
        // Debian's .config has CONFIG_X86_5LEVEL=y (line 437), so alone it gives 52 bits; the kernel
        // booted 4-level (la57=off) and wrote NUMBER(MAX_PHYSMEM_BITS)=46.
        var alone = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"config\")] public partial class K { }", new[] { new InMemoryAdditionalText("/dumps/6.1-4level/config", Fixture("6.1-4level", "config")) });
        Assert.Contains("public const int MaxPhysmemBits = 52;", alone.SingleSource);

        string source = Run("6.1-4level").SingleSource;
        Assert.Contains("public const int MaxPhysmemBits = 46;", source);
        Assert.Equal("//   MaxPhysmemBits = 46 (vmcoreinfo vmcoreinfo.txt:15 (NUMBER(MAX_PHYSMEM_BITS)=46))", HeaderLine(source, "MaxPhysmemBits"));
    }

    [Fact]
    public void A_5_level_note_overrides_a_config_that_says_46_bits()
    {
        string config = Fixture("6.1-5level", "config").Replace("CONFIG_X86_5LEVEL=y", "# CONFIG_X86_5LEVEL is not set", StringComparison.Ordinal);
        var alone = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(Kconfig = \"config\")] public partial class K { }", new[] { new InMemoryAdditionalText("/dumps/6.1-5level/config", config) });
        Assert.Contains("public const int MaxPhysmemBits = 46;", alone.SingleSource);

        string source = Run("6.1-5level", config: config).SingleSource;
        Assert.Contains("public const int MaxPhysmemBits = 52;", source);
        Assert.Contains("public const int SectionsShift = 25;", source);
        Assert.Equal("//   MaxPhysmemBits = 52 (vmcoreinfo vmcoreinfo.txt:15 (NUMBER(MAX_PHYSMEM_BITS)=52))", HeaderLine(source, "MaxPhysmemBits"));
    }

    [Fact]
    public void Attribute_beats_msbuild_beats_the_note_beats_the_config()
    {
        var properties = new Dictionary<string, string> { ["PhysMem_NrPageflags"] = "26", ["PhysMem_SectionSizeBits"] = "27" };
        var run = Run("6.12-4level", "VmcoreInfo = \"vmcoreinfo.txt\", Kconfig = \"config\", NodesShift = 6, MaxPhysmemBits = 46", properties: properties);
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Equal("//   NodesShift = 6 (attribute)", HeaderLine(source, "NodesShift"));
        Assert.Equal("//   MaxPhysmemBits = 46 (attribute)", HeaderLine(source, "MaxPhysmemBits"));
        Assert.Equal("//   NrPageflags = 26 (msbuild PhysMem_NrPageflags)", HeaderLine(source, "NrPageflags"));
        Assert.Equal("//   SectionSizeBits = 27 (msbuild PhysMem_SectionSizeBits)", HeaderLine(source, "SectionSizeBits"));
        Assert.StartsWith("//   Extreme = true (vmcoreinfo vmcoreinfo.txt:", HeaderLine(source, "Extreme"), StringComparison.Ordinal);
        Assert.StartsWith("//   LruGen = true (kconfig config:", HeaderLine(source, "LruGen"), StringComparison.Ordinal);
    }

    [Fact]
    public void PhysMem_VmcoreInfo_names_the_note_for_a_model_that_names_none()
    {
        var run = Run("6.1-5level", "Kconfig = \"config\"", properties: new Dictionary<string, string> { ["PhysMem_VmcoreInfo"] = "6.1-5level/vmcoreinfo.txt" });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("public const int MaxPhysmemBits = 52;", run.SingleSource);
    }

    [Fact]
    public void A_note_alone_gives_a_model_with_the_defaults_for_the_rest()
    {
        var run = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[MemoryModel(VmcoreInfo = \"vmcoreinfo.txt\")] public partial class K { }", new[] { new InMemoryAdditionalText("/d/vmcoreinfo.txt", Fixture("6.12-4level", "vmcoreinfo.txt")) });
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Contains("public const int SectionsShift = 19;", source);
        Assert.Equal("//   NodesShift = 0 (default)", HeaderLine(source, "NodesShift"));
    }

    [Fact]
    public void Snapshot_of_the_6_12_model_from_its_note_and_config()
    {
        var run = Run("6.12-4level");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        foreach (var (hint, text) in run.Sources)
        {
            Snapshot.Verify("VmcoreInfo612." + hint.Replace(".g.cs", string.Empty), text);
        }
    }
}
