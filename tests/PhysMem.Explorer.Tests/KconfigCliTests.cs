using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// <c>physmem layout --kconfig</c>: a real kernel's .config (or its /proc/config.gz) gives the layout
/// that kernel printed at boot; options given win over the file; bad files are PMEMnnnn errors.
/// </summary>
public sealed class KconfigCliTests : IDisposable
{
    internal static readonly string FixtureRoot = Path.Combine(RepositoryRoot(), "tests", "PhysMem.Tests", "Fixtures", "kconfig");
    private readonly string _scratch = Directory.CreateTempSubdirectory("physmem-kconfig-").FullName;

    public static TheoryData<string> Fixtures => new(Directory.GetDirectories(FixtureRoot).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)!);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_mminit_lines_of_a_config_are_those_the_kernel_printed(string fixture)
    {
        var result = Cli.Ok("layout", "--kconfig", Config(fixture), "--mminit");
        Assert.Equal(File.ReadAllText(Path.Combine(FixtureRoot, fixture, "mminit.txt")).Replace("\r\n", "\n"), result.Out);
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public void A_compressed_proc_config_gz_is_read_as_it_is()
    {
        string gz = Path.Combine(_scratch, "config.gz");
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            output.Write(File.ReadAllBytes(Config("debian-6.12-amd64")));
        }

        var result = Cli.Ok("layout", "--kconfig", gz, "--max-physmem-bits", "46", "--mminit");
        Assert.Equal(File.ReadAllText(Path.Combine(FixtureRoot, "debian-6.12-amd64", "mminit-4level.txt")).Replace("\r\n", "\n"), result.Out);
    }

    [Fact]
    public void Options_given_win_over_the_config_and_the_report_says_where_each_value_came_from()
    {
        var result = Cli.Ok("layout", "--kconfig", Config("debian-6.1-amd64"), "--nodes-shift", "6");
        Assert.Contains(result.OutLines, l => l.StartsWith("  NodesShift ", StringComparison.Ordinal) && l.EndsWith("--nodes-shift", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("  NrPageflags ", StringComparison.Ordinal) && l.Contains("kconfig config:3 (6.1 enum pageflags: 21 + mlocked + uncached + hwpoison + arch_2)", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("  MaxPageOrder ", StringComparison.Ordinal) && l.EndsWith("preset X86_64_5Level", StringComparison.Ordinal));
        Assert.StartsWith("SPARSEMEM_VMEMMAP (EXTREME): 64-bit, 4 KiB pages, preset X86_64_5Level", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Defines_of_the_config()
    {
        Cli.Ok("layout", "--kconfig", Config("debian-6.1-686-pae"), "--defines")
            .HasDefine("BITS_PER_LONG", 32)
            .HasDefine("NR_PAGEFLAGS", 24)
            .HasDefine("MAX_NR_ZONES", 4)
            .HasDefine("LRU_GEN_WIDTH", 3);
    }

    [Fact]
    public void A_file_that_is_not_a_config_is_refused_with_its_line()
    {
        string path = Path.Combine(_scratch, "notes.txt");
        File.WriteAllText(path, "# notes\nCONFIG_X86_64=y\nthis is not Kconfig\n");
        var result = Cli.Run("layout", "--kconfig", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error PMEM0013: notes.txt:3: not a kernel configuration: 'this is not Kconfig' is neither a CONFIG_NAME=value line nor a comment\n", result.Err);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        string path = Path.Combine(_scratch, "absent.config");
        var result = Cli.Run("layout", "--kconfig", path);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error PMEM0012: The kernel configuration '" + path + "' cannot be read: ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_Kconfig_rule_is_refused()
    {
        string path = Path.Combine(_scratch, "edited.config");
        File.WriteAllText(path, "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_FLATMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\n");
        var result = Cli.Run("layout", "--kconfig", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error PMEM0114: edited.config:5:26: CONFIG_SPARSEMEM_VMEMMAP=y breaks a Kconfig rule: SPARSEMEM_VMEMMAP depends on SPARSEMEM && SPARSEMEM_VMEMMAP_ENABLE (mm/Kconfig), and CONFIG_SPARSEMEM is not set\n", result.Err);
    }

    [Fact]
    public void A_preset_of_another_architecture_is_refused()
    {
        var result = Cli.Run("layout", "--kconfig", Config("debian-6.1-arm64"), "--arch", "X86_64");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error PMEM0007: --arch X86_64 and config:", result.Err, StringComparison.Ordinal);
        Assert.EndsWith(" (arm64) contradict each other: the kernel configuration is for arm64; drop --arch, or give a configuration of that architecture\n", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_version_is_noted_and_the_layout_printed()
    {
        string path = Path.Combine(_scratch, "future.config");
        File.WriteAllText(path, File.ReadAllText(Config("debian-6.12-amd64")).Replace("# Linux/x86 6.12.117 Kernel Configuration", "# Linux/x86 6.14.2 Kernel Configuration"));
        var result = Cli.Ok("layout", "--kconfig", path, "--mminit");
        Assert.Equal("warning PMEM0015: future.config:3:13: PhysMem knows the page flags of kernels 6.1, 6.6, 6.12, 6.17, not of 6.14.2; it uses those of 6.12, the nearest\n", result.Err);
        Assert.StartsWith("mminit::pageflags_layout_widths", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_option()
    {
        var result = Cli.Ok("layout", "--help");
        Assert.Contains("--kconfig <FILE>", result.Out, StringComparison.Ordinal);
    }

    internal static string Config(string fixture) => Path.Combine(FixtureRoot, fixture, "config");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder of Generators.sln) is not above " + AppContext.BaseDirectory);
    }
}
