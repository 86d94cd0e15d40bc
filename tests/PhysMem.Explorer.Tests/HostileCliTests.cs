using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// The command line as a hostile user drives it: files that are devices, directories, missing,
/// endless or in another encoding, outputs that cannot be written, names that are keywords. Every
/// failure is exit code 2 and one line on stderr naming the file or option and what is wrong;
/// never a stack trace.
/// </summary>
public sealed class HostileCliTests : IDisposable
{
    private const string TooLarge = "it is larger than 16 MiB, which no kernel configuration or memory map is (is it the right file?)";

    private readonly string _scratch = Directory.CreateTempSubdirectory("physmem-hostile-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void An_endless_device_as_the_config_is_refused_after_16_MiB()
    {
        Assert.True(File.Exists("/dev/zero"), "the tests run where /dev/zero exists (Linux, macOS)");
        Assert.Equal("error PMEM0012: The kernel configuration '/dev/zero' cannot be read: " + TooLarge, OneLineFailure("layout", "--kconfig", "/dev/zero"));
    }

    [Fact]
    public void A_config_over_16_MiB_is_refused_and_one_at_the_limit_is_read()
    {
        string over = Path.Combine(_scratch, "over.config");
        using (var f = File.Create(over))
        {
            f.SetLength((16 * 1024 * 1024) + 1);
        }

        Assert.Equal($"error PMEM0012: The kernel configuration '{over}' cannot be read: " + TooLarge, OneLineFailure("layout", "--kconfig", over));

        // 16 MiB exactly is read: it fails as text (NULs), not for its size.
        string at = Path.Combine(_scratch, "at.config");
        using (var f = File.Create(at))
        {
            f.SetLength(16 * 1024 * 1024);
        }

        Assert.Equal("error PMEM0013: at.config:1: not a kernel configuration: the file is binary (gzip-compressed, like /proc/config.gz?): decompress it first (zcat /proc/config.gz > linux.config)", OneLineFailure("layout", "--kconfig", at));
    }

    [Fact]
    public void An_endless_memory_map_is_refused_after_16_MiB() =>
        Assert.Equal("error: --iomem /dev/zero: " + TooLarge, OneLineFailure("map", "--iomem", "/dev/zero"));

    [Fact]
    public void Directories_and_missing_files_are_named()
    {
        string missing = Path.Combine(_scratch, "absent");
        Assert.Equal($"error PMEM0012: The kernel configuration '{_scratch}' cannot be read: it is a directory, not a file", OneLineFailure("layout", "--kconfig", _scratch));
        Assert.Equal($"error PMEM0012: The kernel configuration '{missing}' cannot be read: the file does not exist", OneLineFailure("layout", "--kconfig", missing));
        Assert.Equal($"error: --iomem {_scratch}: it is a directory, not a file", OneLineFailure("map", "--iomem", _scratch));
        Assert.Equal($"error: --iomem {missing}: the file does not exist", OneLineFailure("map", "--iomem", missing));
        Assert.Equal("error PMEM0013: null:0: not a kernel configuration: it holds no CONFIG_ lines and no '# Linux/ARCH VERSION Kernel Configuration' header", OneLineFailure("layout", "--kconfig", "/dev/null"));
    }

    [Fact]
    public void An_svg_that_cannot_be_written_is_one_line()
    {
        string noFolder = Path.Combine(_scratch, "no", "such", "folder", "x.svg");
        Assert.Equal($"error: --svg {noFolder}: the directory {Path.GetDirectoryName(noFolder)} does not exist", OneLineFailure("layout", "--svg", noFolder));
        Assert.Equal($"error: --svg {_scratch}: it is a directory; name a file to write", OneLineFailure("layout", "--svg", _scratch));
        Assert.Equal("error: --svg /dev/full: it cannot be written: No space left on device : '/dev/full'", OneLineFailure("layout", "--svg", "/dev/full"));
    }

    [Fact]
    public void A_file_name_with_a_line_break_stays_on_one_line()
    {
        string folder = Path.Combine(_scratch, "two\nlines");
        string svg = Path.Combine(folder, "x.svg");
        Assert.Equal($"error: --svg {svg.Replace("\n", "\\x0a", StringComparison.Ordinal)}: the directory {folder.Replace("\n", "\\x0a", StringComparison.Ordinal)} does not exist", OneLineFailure("layout", "--svg", svg));
    }

    [Fact]
    public void Output_that_cannot_be_written_is_one_line_not_a_trace()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        int code = ExplorerApp.Run(new[] { "presets" }, new FullDevice(), stderr);
        Assert.Equal(2, code);
        Assert.Equal("error: cannot write the output: No space left on device\n", stderr.ToString());
    }

    [Fact]
    public void An_internal_error_is_exit_1_and_one_line_and_its_trace_only_with_verbose()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        Assert.Equal(1, ExplorerApp.Run(new[] { "presets" }, new BrokenWriter(), stderr));
        Assert.Equal("error: internal error: InvalidOperationException: the writer is broken (run again with --verbose for the stack trace)\n", stderr.ToString());

        var verbose = new StringWriter { NewLine = "\n" };
        Assert.Equal(1, ExplorerApp.Run(new[] { "presets", "--verbose" }, new BrokenWriter(), verbose));
        Assert.StartsWith("error: internal error: InvalidOperationException: the writer is broken\nSystem.InvalidOperationException: the writer is broken", verbose.ToString(), StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("class", "error: --type-name 'class' is a C# keyword, which cannot name a class; choose another name (or 'Class').")]
    [InlineData("int", "error: --type-name 'int' is a C# keyword, which cannot name a class; choose another name (or 'Int').")]
    [InlineData("Model", "error: the class Model carrying the attribute does not compile: CS0117: 'Model' does not contain a definition for 'Sparse'")]
    [InlineData("", "error: --type-name '' is not a C# identifier.")]
    [InlineData("2fast", "error: --type-name '2fast' is not a C# identifier.")]
    public void Emit_refuses_a_type_name_with_a_message(string name, string message) =>
        Assert.Equal(message, OneLineFailure("emit", "--type-name", name));

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-8 with BOM")]
    [InlineData("CR line ends")]
    [InlineData("CRLF line ends")]
    public void A_config_in_another_encoding_or_with_other_line_ends_reads_as_the_original(string form)
    {
        string original = File.ReadAllText(KconfigCliTests.Config("debian-6.12-amd64"));
        string text = form switch
        {
            "CR line ends" => original.Replace("\n", "\r", StringComparison.Ordinal),
            "CRLF line ends" => original.Replace("\n", "\r\n", StringComparison.Ordinal),
            _ => original,
        };
        Encoding encoding = form switch
        {
            "utf-16LE" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            "utf-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "utf-8 with BOM" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            _ => new UTF8Encoding(false),
        };
        string path = Path.Combine(_scratch, "config");
        File.WriteAllText(path, text, encoding);

        var result = Cli.Ok("layout", "--kconfig", path, "--mminit");
        Assert.Equal(File.ReadAllText(Path.Combine(KconfigCliTests.FixtureRoot, "debian-6.12-amd64", "mminit.txt")).Replace("\r\n", "\n", StringComparison.Ordinal), result.Out);
        Assert.Equal(string.Empty, result.Err);
    }

    [Theory]
    [InlineData("CONFIG_NR_CPUS=-1", "5:16: the value '-1' of CONFIG_NR_CPUS is not valid: with CONFIG_SMP it has the range 2 to 8192 at most")]
    [InlineData("CONFIG_NR_CPUS=0", "5:16: the value '0' of CONFIG_NR_CPUS is not valid: with CONFIG_SMP it has the range 2 to 8192 at most")]
    [InlineData("CONFIG_NR_CPUS=99999999999999999999999", "5:16: the value '99999999999999999999999' of CONFIG_NR_CPUS is not valid: with CONFIG_SMP")]
    [InlineData("CONFIG_NR_CPUS=\uFF16\uFF14", "5:16: the value '\uFF16\uFF14' of CONFIG_NR_CPUS is not valid: CONFIG_NR_CPUS is an int symbol")]
    [InlineData("CONFIG_NR_CPUS=6\u00004", "5:16: the value '6\\x004' of CONFIG_NR_CPUS is not valid: CONFIG_NR_CPUS is an int symbol")]
    [InlineData("CONFIG_NR_CPUS=\"10\"", "5:16: the value '\"10\"' of CONFIG_NR_CPUS is not valid: CONFIG_NR_CPUS is an int symbol, and an int is written without quotes")]
    [InlineData("CONFIG_NR_CPUS=", "5:16: the value '' of CONFIG_NR_CPUS is not valid: CONFIG_NR_CPUS is an int symbol, and the value is empty")]
    [InlineData("CONFIG_NUMA=y\nCONFIG_NODES_SHIFT=x", "6:20: the value 'x' of CONFIG_NODES_SHIFT is not valid: CONFIG_NODES_SHIFT is an int symbol")]
    public void A_malformed_value_in_a_config_is_refused_on_one_line_with_its_file_line_and_column(string lines, string where)
    {
        string path = Path.Combine(_scratch, "bad.config");
        File.WriteAllText(path, "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SMP=y\n" + lines + "\n");
        Assert.StartsWith("error PMEM0033: bad.config:" + where, OneLineFailure("layout", "--kconfig", path), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_page_sizes_of_one_choice_are_refused()
    {
        string path = Path.Combine(_scratch, "arm.config");
        File.WriteAllText(path, "# Linux/arm64 6.12.0 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_ARM64_4K_PAGES=y\nCONFIG_ARM64_64K_PAGES=y\n");
        Assert.Equal("error PMEM0114: arm.config:5:24: CONFIG_ARM64_64K_PAGES=y breaks a Kconfig rule: the page size is one choice (arch/arm64/Kconfig), but CONFIG_ARM64_4K_PAGES is also set, at line 4", OneLineFailure("layout", "--kconfig", path));
    }

    [Fact]
    public void A_header_version_that_is_not_one_is_noted_at_its_column()
    {
        string path = Path.Combine(_scratch, "odd.config");
        File.WriteAllText(path, File.ReadAllText(KconfigCliTests.Config("debian-6.12-amd64")).Replace("# Linux/x86 6.12.117 Kernel Configuration", "# Linux/x86 x.y.z Kernel Configuration", StringComparison.Ordinal));
        var result = Cli.Ok("layout", "--kconfig", path, "--defines");
        Assert.Equal("warning PMEM0015: odd.config:3:13: PhysMem knows the page flags of kernels 6.1, 6.6, 6.12, 6.17, not of 'x.y.z', which is not a kernel version (MAJOR.MINOR[.SUBLEVEL]); it uses those of 6.17, the newest\n", result.Err);
    }

    [Fact]
    public void Several_parse_errors_are_one_line()
    {
        var result = Cli.Run("layout", "--bogus", "--page-shift", "x");
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.ErrLines);
        Assert.Contains("--bogus", line, StringComparison.Ordinal);
        Assert.Contains("--page-shift expects a whole number", line, StringComparison.Ordinal);
        Assert.EndsWith("Run 'physmem layout --help' to see the commands and options.", line, StringComparison.Ordinal);
    }

    /// <summary>Command lines a hostile user might try, with the exit code each must give; a failure is one line without a trace.</summary>
    public static TheoryData<int, string[]> HostileLines => new()
    {
        { 2, new[] { "layout", "--kconfig", "/" } },
        { 2, new[] { "layout", "--kconfig", "/proc/self/mem" } },
        { 2, new[] { "layout", "--kconfig", "/dev/urandom" } },
        { 2, new[] { "layout", "--kconfig", string.Empty } },
        { 2, new[] { "layout", "--svg", string.Empty } },
        { 2, new[] { "layout", "--svg", "/" } },
        { 2, new[] { "layout", "--page-shift", "99999999999" } },
        { 2, new[] { "layout", "--page-shift", "-1" } },
        { 2, new[] { "layout", "--page-shift", "2147483647" } },
        { 2, new[] { "layout", "--max-physmem-bits", "2147483647" } },
        { 2, new[] { "layout", "--section-size-bits", "2147483647" } },
        { 2, new[] { "layout", "--bits-per-long", "0" } },
        { 2, new[] { "layout", "--nr-pageflags", "2147483647" } },
        { 2, new[] { "layout", "--nr-cpus", "0" } },
        { 2, new[] { "layout", "--nr-cpus", "2147483647" } },
        { 2, new[] { "layout", "--nr-cpus-bits", "2147483647" } },
        { 2, new[] { "layout", "--zones", "2147483647" } },
        { 2, new[] { "layout", "--kasan-tag-width", "2147483647" } },
        { 2, new[] { "layout", "--max-page-order", "2147483647" } },
        { 2, new[] { "layout", "--nodes-shift", "2147483647" } },
        { 2, new[] { "layout", "--arch-pfn-offset", "0xffffffffffffffff", "--flat" } },
        { 2, new[] { "layout", "--arch-pfn-offset", "0x10000000000000000" } },
        { 2, new[] { "layout", "--arch", string.Empty } },
        { 2, new[] { "layout", "--arch", "X86_64", "--arch", "Arm64_4K" } },
        { 2, new[] { "layout", "--vmemmap", "maybe" } },
        { 2, new[] { "layout", "--flat", "--vmemmap" } },
        { 2, new[] { "layout", "--bits-per-long", "32", "--max-physmem-bits", "64" } },
        { 2, new[] { "layout", "--page-shift", "12", "--section-size-bits", "12" } },
        { 2, new[] { "layout", "--max-physmem-bits", "64" } },
        { 0, new[] { "layout", "--zones", "0" } },
        { 2, new[] { "layout", "--flat", "--arch-pfn-offset", "18446744073709551615", "--json" } },
        { 0, new[] { "layout", "--flat", "--arch-pfn-offset", "0xfffffffffffff", "--json" } },
        { 2, new[] { "emit", "--type-name", "@class" } },
        { 2, new[] { "emit", "--type-name", "void" } },
        { 2, new[] { "emit", "--kconfig", "/dev/zero" } },
        { 2, new[] { "emit", "--page-shift", "99" } },
        { 2, new[] { "emit", "--bogus" } },
        { 0, new[] { "emit", "--type-name", "MemoryModel" } },
        { 2, new[] { "compare", "--kconfig /dev/zero", "--arch X86_64" } },
        { 2, new[] { "compare", "--arch", "--arch X86_64" } },
        { 2, new[] { "compare", "a" } },
        { 2, new[] { "compare", "--page-shift 1 --bogus", "--kconfig /dev/zero" } },
        { 2, new[] { "emit", "--page-shift", "x", "--also-bogus" } },
        { 0, new[] { "compare", string.Empty, string.Empty } },
        { 2, new[] { "map", "--iomem", string.Empty } },
        { 2, new[] { "map", "--iomem", "/" } },
        { 0, new[] { "map", "--iomem", "/dev/null" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--numa", string.Empty } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--numa", "-1:0x0-0xfff" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--numa", "0:0x0-0xffffffffffffffff" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--block-size", "0" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--block-size", "3" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--sysfs-memory", "/" } },
        { 2, new[] { "map", "--iomem", "/dev/null", "--sysfs-memory", "/no/such/folder" } },
        { 2, new[] { "presets", "extra" } },
        { 2, new[] { "frobnicate", "--verbose" } },
        { 2, new[] { "--verbose" } },
        { 0, new[] { "presets", "--verbose" } },
    };

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void A_hostile_command_line_exits_with_its_code_and_at_most_one_line_without_a_trace(int code, string[] args)
    {
        var result = Cli.Run(args);
        Assert.True(code == result.ExitCode, $"physmem {string.Join(' ', args)} exited {result.ExitCode}, not {code}:\n{result.Err}");
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        if (code != 0)
        {
            string line = Assert.Single(result.ErrLines);
            Assert.StartsWith("error", line, StringComparison.Ordinal);
        }
    }

    private static string OneLineFailure(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"physmem {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Err}");
        Assert.Equal(string.Empty, result.Out);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        return Assert.Single(result.ErrLines);
    }

    /// <summary>A writer whose failure is a bug, not the world's.</summary>
    private sealed class BrokenWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw new InvalidOperationException("the writer is broken");
    }

    /// <summary>A writer that fails as /dev/full does.</summary>
    private sealed class FullDevice : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");
    }
}
