using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using static PhysMem.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The diagnostics of kernel configurations and MSBuild properties: ID, exact message, and where:
/// on the attribute argument to blame, or on the line of the .config (an external location, which
/// the build prints as <c>linux.config(5,1): error PMEM0114</c>).
/// </summary>
public class KconfigDiagnosticTests
{
    private const string Path = "/p/kernel/linux.config";

    /// <summary>
    /// The diagnostics marked in <paramref name="attribute"/> and in <paramref name="config"/> (the
    /// project's linux.config, when given), with the MSBuild <paramref name="properties"/>; the marked
    /// diagnostic has <paramref name="message"/> (see <see cref="DiagnosticAssert.Expect"/>).
    /// </summary>
    private static Task<GeneratorRun> Expect(string attribute, string? config, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error, IReadOnlyDictionary<string, string>? properties = null) =>
        DiagnosticAssert.Expect("[" + attribute + "] public partial class M { }", message, severity,
            files: config is null ? null : new[] { (Path, config) }, properties: properties);

    /// <summary>A run with <paramref name="config"/> as linux.config (null: a file the compiler cannot read).</summary>
    private static GeneratorRun Run(string attribute, string? config) =>
        KconfigHarness.Run("using PhysMem;\nnamespace N;\n[" + attribute + "] public partial class M { }", new[] { new InMemoryAdditionalText(Path, config) });

    [Fact]
    public Task PMEM0011_Config_not_in_AdditionalFiles() => Expect(
        "MemoryModel({|PMEM0011:Kconfig = \"linux.config\"|})", null,
        "The kernel configuration 'linux.config' named by Kconfig is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"linux.config\" /> to the project file");

    [Fact]
    public Task PMEM0011_Config_named_by_MSBuild_not_in_AdditionalFiles() => Expect(
        "{|PMEM0011:MemoryModel|}", null,
        "The kernel configuration 'boot/config-6.1' named by the MSBuild property PhysMem_Kconfig is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"boot/config-6.1\" /> to the project file",
        properties: new Dictionary<string, string> { ["PhysMem_Kconfig"] = "boot/config-6.1" });

    [Fact]
    public void PMEM0012_Config_unreadable()
    {
        var run = Run("MemoryModel(Kconfig = \"linux.config\")", null);
        InSource(Single(run, "PMEM0012", "The kernel configuration '/p/kernel/linux.config' cannot be read: the compiler returned no text for it (does it exist, and is it readable?)"),
            "Kconfig = \"linux.config\"");
    }

    [Fact]
    public Task PMEM0013_Not_a_kernel_config() => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", "CONFIG_X86_64=y\n{|PMEM0013:hello world|}\nCONFIG_64BIT=y\n",
        "linux.config:2: not a kernel configuration: 'hello world' is neither a CONFIG_NAME=value line nor a comment");

    [Fact]
    public void PMEM0013_Compressed_config()
    {
        const string Config = "\u001f\u008b\b\0\0\0\0\0\u0002\u0003";
        var run = Run("MemoryModel(Kconfig = \"linux.config\")", Config);
        Single(run, "PMEM0013", "linux.config:1: not a kernel configuration: the file is binary (gzip-compressed, like /proc/config.gz?): decompress it first (zcat /proc/config.gz > linux.config)");
    }

    [Fact]
    public Task PMEM0014_Unknown_architecture() => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", "#\n# Automatically generated file; DO NOT EDIT.\n{|PMEM0014:# Linux/mips 6.12.0 Kernel Configuration|}\n#\nCONFIG_MIPS=y\nCONFIG_SPARSEMEM=y\n",
        "linux.config:3: the architecture 'mips' is not one PhysMem knows: PhysMem reads x86 (CONFIG_X86_64, CONFIG_X86_32), arm64, riscv, powerpc64, s390, loongarch, sparc64 and 32-bit arm configurations");

    [Fact]
    public async Task PMEM0015_Unknown_version_uses_the_nearest()
    {
        const string Config = "# Linux/x86 {|PMEM0015:6.8.12|} Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_MMU=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_EXTREME=y\nCONFIG_SPARSEMEM_VMEMMAP=y\n";
        var run = await Expect("MemoryModel(Kconfig = \"linux.config\")", Config,
            "linux.config:1:13: PhysMem knows the page flags of kernels 6.1, 6.6, 6.12, 6.17, not of 6.8.12; it uses those of 6.6, the nearest", DiagnosticSeverity.Warning);
        Assert.Contains("public const int NrPageflags = 22;", run.SingleSource);
    }

    [Theory]
    [InlineData("x.y.z", "'x.y.z', which is not a kernel version (MAJOR.MINOR[.SUBLEVEL])")]
    [InlineData("99999999999999999999.1.0", "'99999999999999999999.1.0', which is not a kernel version (MAJOR.MINOR[.SUBLEVEL])")]
    [InlineData("6.1.99999999999", "'6.1.99999999999', which is not a kernel version (MAJOR.MINOR[.SUBLEVEL])")]
    public Task PMEM0015_A_header_version_that_is_not_one_is_quoted_at_its_column(string version, string named) => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", "# Linux/x86 {|PMEM0015:" + version + "|} Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\n",
        "linux.config:1:13: PhysMem knows the page flags of kernels 6.1, 6.6, 6.12, 6.17, not of " + named + "; it uses those of 6.17, the newest", DiagnosticSeverity.Warning);

    private const string Header = "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SMP=y\nCONFIG_NUMA=y\n";

    private const string NotAnInt = " is an int symbol, and an int is an optional '-' and the digits 0-9, without a leading zero (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default";

    private const string CpusRange = "with CONFIG_SMP it has the range 2 to 8192 at most (arch/x86/Kconfig: NR_CPUS_RANGE_BEGIN to NR_CPUS_RANGE_END; no architecture allows more); Kconfig would reset it to the symbol's default";

    [Theory]
    [InlineData("-1", "-1", CpusRange)]
    [InlineData("0", "0", CpusRange)]
    [InlineData("1", "1", CpusRange)]
    [InlineData("8193", "8193", CpusRange)]
    [InlineData("99999999999999999999999", "99999999999999999999999", CpusRange)]
    [InlineData("\uFF18", "\uFF18", "CONFIG_NR_CPUS" + NotAnInt)]
    [InlineData("8\0", "8\\x00", "CONFIG_NR_CPUS" + NotAnInt)]
    [InlineData("064", "064", "CONFIG_NR_CPUS" + NotAnInt)]
    [InlineData("+64", "+64", "CONFIG_NR_CPUS" + NotAnInt)]
    [InlineData("64 # cpus", "64 # cpus", "CONFIG_NR_CPUS" + NotAnInt)]
    [InlineData("\"10\"", "\"10\"", "CONFIG_NR_CPUS is an int symbol, and an int is written without quotes (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default")]
    [InlineData("0x40", "0x40", "CONFIG_NR_CPUS is an int symbol, and an int is written in decimal (0x is for hex symbols) (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default")]
    [InlineData("", "", "CONFIG_NR_CPUS is an int symbol, and the value is empty (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default")]
    public Task PMEM0033_Malformed_NrCpus_is_refused_at_its_value(string value, string shown, string why) => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", Header + "CONFIG_NR_CPUS={|PMEM0033:" + value + "|}\n",
        "linux.config:8:16: the value '" + shown + "' of CONFIG_NR_CPUS is not valid: " + why);

    [Theory]
    [InlineData("0", "it has the range 1 to 10 with CONFIG_NUMA (arch/x86/Kconfig, arch/arm64/Kconfig: \"range 1 10\"); Kconfig would reset it to the symbol's default")]
    [InlineData("11", "it has the range 1 to 10 with CONFIG_NUMA (arch/x86/Kconfig, arch/arm64/Kconfig: \"range 1 10\"); Kconfig would reset it to the symbol's default")]
    [InlineData("six", "CONFIG_NODES_SHIFT" + NotAnInt)]
    public async Task PMEM0033_Malformed_NodesShift_is_its_own_error_not_a_dependency_of_another(string value, string why)
    {
        // Before, a NODES_SHIFT that did not read was taken as 0, and NUMA_BALANCING (line 9) was blamed for it.
        var run = await Expect("MemoryModel(Kconfig = \"linux.config\")", Header + "CONFIG_NODES_SHIFT={|PMEM0033:" + value + "|}\nCONFIG_NUMA_BALANCING=y\nCONFIG_NR_CPUS=64\n",
            "linux.config:8:20: the value '" + value + "' of CONFIG_NODES_SHIFT is not valid: " + why);
        Assert.DoesNotContain(run.GeneratorDiagnostics, x => x.Id == "PMEM0004");
    }

    [Fact]
    public Task PMEM0033_A_malformed_int_is_refused_even_where_the_configuration_does_not_use_it() => Expect(
        // Without SMP the value is not used, but Kconfig refuses the line all the same.
        "MemoryModel(Kconfig = \"linux.config\")", "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\n# CONFIG_SMP is not set\n  CONFIG_NR_CPUS={|PMEM0033:\"8\"|}\n",
        "linux.config:5:18: the value '\"8\"' of CONFIG_NR_CPUS is not valid: CONFIG_NR_CPUS is an int symbol, and an int is written without quotes (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default");

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public Task PMEM0033_Is_on_the_same_line_whatever_the_line_ends(string end) => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", Header.Replace("\n", end) + "CONFIG_NR_CPUS={|PMEM0033:0|}" + end,
        "linux.config:8:16: the value '0' of CONFIG_NR_CPUS is not valid: " + CpusRange);

    [Fact]
    public void A_config_with_only_CR_line_ends_generates_as_with_LF()
    {
        string lf = Header + "CONFIG_NR_CPUS=64\nCONFIG_NODES_SHIFT=6\n";
        string cr = Run("MemoryModel(Kconfig = \"linux.config\")", lf.Replace("\n", "\r")).SingleSource;
        Assert.Equal(Run("MemoryModel(Kconfig = \"linux.config\")", lf).SingleSource, cr);
        Assert.Contains("NrCpusBits = 6 (kconfig linux.config:8 (CONFIG_NR_CPUS=64", cr, System.StringComparison.Ordinal);
    }

    [Fact]
    public void SMP_without_NR_CPUS_is_not_said_to_be_off()
    {
        // The header used to say "NrCpusBits = 0 (kconfig linux.config:6 (CONFIG_SMP is not set))" of a line that sets it.
        string source = Run("MemoryModel(Kconfig = \"linux.config\")", Header + "CONFIG_NODES_SHIFT=6\n").SingleSource;
        string line = Assert.Single(source.Split('\n'), l => l.Contains("//   NrCpusBits = ", System.StringComparison.Ordinal));
        Assert.DoesNotContain("CONFIG_SMP is not set", line, System.StringComparison.Ordinal);
        Assert.DoesNotContain("kconfig", line, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONFIG_SMP", "1", "")]
    [InlineData("CONFIG_SMP", "", "")]
    [InlineData("CONFIG_NUMA", "Y", "")]
    [InlineData("CONFIG_SPARSEMEM_VMEMMAP", "m", " (m is for tristate symbols)")]
    [InlineData("CONFIG_X86_64", "true", "")]
    public Task PMEM0033_A_bool_that_is_neither_y_nor_n_is_refused_at_its_value(string symbol, string value, string more) => Expect(
        // Line 8 overrides line 2, 4, 6 or 7 (the last assignment wins, as in Kconfig); for CONFIG_X86_64 the refusal is the only error, not an unknown architecture as well.
        "MemoryModel(Kconfig = \"linux.config\")", Header + symbol + "={|PMEM0033:" + value + "|}\n",
        "linux.config:8:" + (symbol.Length + 2) + ": the value '" + value + "' of " + symbol + " is not valid: " + symbol
            + " is a bool symbol, which Kconfig reads by its first letter, y or n" + more + " (scripts/kconfig/confdata.c); Kconfig would ignore the line and use the symbol's default");

    [Fact]
    public void A_bool_is_read_by_its_first_letter_as_Kconfig_reads_it()
    {
        string yes = Run("MemoryModel(Kconfig = \"linux.config\")", Header + "CONFIG_NR_CPUS=64\nCONFIG_LRU_GEN=yes\n").SingleSource;
        string y = Run("MemoryModel(Kconfig = \"linux.config\")", Header + "CONFIG_NR_CPUS=64\nCONFIG_LRU_GEN=y\n").SingleSource;
        Assert.Equal(y, yes.Replace("CONFIG_LRU_GEN=yes", "CONFIG_LRU_GEN=y", System.StringComparison.Ordinal));
        Assert.Contains("LruGen = true", yes, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONFIG_ARM64_4K_PAGES=y\nCONFIG_ARM64_64K_PAGES={|PMEM0114:y|}", "linux.config:5:24: CONFIG_ARM64_64K_PAGES=y breaks a Kconfig rule: the page size is one choice (arch/arm64/Kconfig), but CONFIG_ARM64_4K_PAGES is also set, at line 4")]
    [InlineData("CONFIG_ARM64_64K_PAGES=y\nCONFIG_ARM64_16K_PAGES={|PMEM0114:y|}", "linux.config:5:24: CONFIG_ARM64_16K_PAGES=y breaks a Kconfig rule: the page size is one choice (arch/arm64/Kconfig), but CONFIG_ARM64_64K_PAGES is also set, at line 4")]
    [InlineData("CONFIG_ARM64_4K_PAGES=y\nCONFIG_PAGE_SHIFT={|PMEM0114:16|}", "linux.config:5:19: CONFIG_PAGE_SHIFT=16 breaks a Kconfig rule: PAGE_SHIFT is computed from the page size choice (arch/Kconfig), and CONFIG_ARM64_4K_PAGES at line 4 makes it 12")]
    public Task PMEM0114_Two_page_sizes_of_one_choice(string lines, string message) => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", "# Linux/arm64 6.12.0 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\n" + lines + "\nCONFIG_SPARSEMEM=y\n", message);

    [Theory]
    [InlineData("PhysMem_SectionSizeBits", "big", "expected a whole number (decimal, or hexadecimal with 0x)")]
    [InlineData("PhysMem_Vmemmap", "yes", "expected true or false")]
    [InlineData("PhysMem_Model", "Discontiguous", "expected Flat, Discontig or Sparse")]
    [InlineData("PhysMem_Zones", "Dma, Huge", "expected zone names separated by ',' or '|' (Dma, Dma32, Normal, HighMem, Movable, Device), or the set's bits as a number")]
    [InlineData("PhysMem_Arch", "Vax", "expected an architecture preset: X86_64, X86_64_5Level, X86_32, X86_32_Pae, Arm64_4K, Arm64_16K, Arm64_64K, Arm64_4K_Pre512, Riscv64, Ppc64, S390, LoongArch64, Sparc64, Arm")]
    public Task PMEM0016_Bad_MSBuild_property(string property, string value, string why) => Expect(
        "{|PMEM0016:MemoryModel(Model.Sparse)|}", null, $"The MSBuild property {property} = '{value}' is not valid: {why}",
        properties: new Dictionary<string, string> { [property] = value });

    [Theory]
    [InlineData("CONFIG_FLATMEM=y\nCONFIG_SPARSEMEM_VMEMMAP={|PMEM0114:y|}", "linux.config:5:26: CONFIG_SPARSEMEM_VMEMMAP=y breaks a Kconfig rule: SPARSEMEM_VMEMMAP depends on SPARSEMEM && SPARSEMEM_VMEMMAP_ENABLE (mm/Kconfig), and CONFIG_SPARSEMEM is not set")]
    [InlineData("CONFIG_SPARSEMEM=y\nCONFIG_FLATMEM={|PMEM0114:y|}", "linux.config:5:16: CONFIG_FLATMEM=y breaks a Kconfig rule: the memory model is one choice: FLATMEM is def_bool !SPARSEMEM || FLATMEM_MANUAL and SPARSEMEM excludes FLATMEM_MANUAL (mm/Kconfig), but CONFIG_SPARSEMEM is also set, at line 4")]
    [InlineData("CONFIG_SPARSEMEM=y\nCONFIG_ZONE_DEVICE={|PMEM0114:y|}", "linux.config:5:20: CONFIG_ZONE_DEVICE=y breaks a Kconfig rule: ZONE_DEVICE depends on MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP (mm/Kconfig), and CONFIG_SPARSEMEM_VMEMMAP is not set")]
    [InlineData("CONFIG_SPARSEMEM=y\nCONFIG_NUMA_BALANCING={|PMEM0114:y|}", "linux.config:5:23: CONFIG_NUMA_BALANCING=y breaks a Kconfig rule: NUMA_BALANCING depends on SMP && NUMA && MIGRATION (init/Kconfig), and CONFIG_NUMA is not set")]
    [InlineData("CONFIG_SPARSEMEM=y\nCONFIG_HIGHMEM={|PMEM0114:y|}", "linux.config:5:16: CONFIG_HIGHMEM=y breaks a Kconfig rule: HIGHMEM is offered by 32-bit architectures only, and CONFIG_64BIT is set at line 3")]
    public Task PMEM0114_Kconfig_rule_broken(string lines, string message) => Expect(
        "MemoryModel(Kconfig = \"linux.config\")", "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\n" + lines + "\n", message);

    [Fact]
    public Task PMEM0007_Preset_of_another_architecture() => Expect(
        "MemoryModel(Arch.Arm64_4K, {|PMEM0007:Kconfig = \"linux.config\"|})", "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\n",
        "Arch = Arm64_4K (attribute) and linux.config:2 (x86_64) contradict each other: the kernel configuration is for x86_64; drop the preset, or name a configuration of that architecture");

    [Fact]
    public Task PMEM0008_Empty_Kconfig() => Expect(
        "MemoryModel({|PMEM0008:Kconfig = \"\"|})", null,
        "The value given for Kconfig is not valid: it must name a kernel configuration among the project's AdditionalFiles (\"linux.config\")");

    [Fact]
    public Task A_layout_error_caused_by_the_config_points_at_its_line() => Expect(
        // 6 + 10 node bits do not fit beside 60 page flags: the blamed input NodesShift came from line 6.
        "MemoryModel(Kconfig = \"linux.config\", NrPageflags = 60)",
        "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\n{|PMEM0107:CONFIG_NODES_SHIFT=10|}\nCONFIG_NUMA=y\n",
        "Vmemmap: no space for nodes field in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = 1 + 0 + 0 + 10 = 11 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 60 = 4");

    [Fact]
    public void Config_diagnostics_are_reported_once_per_model_and_silence_nothing_else()
    {
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel(Kconfig = \"linux.config\")] public partial class A { }\n[MemoryModel(Model.Flat)] public partial class B { }",
            new[] { new InMemoryAdditionalText(Path, "nonsense\n") });
        Assert.Single(run.GeneratorDiagnostics, d => d.Id == "PMEM0013");
        Assert.Equal(new[] { "A.g.cs", "B.g.cs" }, run.Sources.Keys.Order());
        Assert.Contains("which PhysMem refused:", run.Sources["A.g.cs"], System.StringComparison.Ordinal);
        Assert.DoesNotContain("which PhysMem refused:", run.Sources["B.g.cs"], System.StringComparison.Ordinal);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
