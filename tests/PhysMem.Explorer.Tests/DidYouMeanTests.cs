using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// A mistyped command, option or preset is a usage error (exit code 2, one line) that names what
/// it was probably meant to be.
/// </summary>
public sealed class DidYouMeanTests
{
    [Theory]
    [InlineData("'lyout' is not a command of 'physmem'. Did you mean 'layout'?", "lyout", "--arch", "X86_64")]
    [InlineData("'presest' is not a command of 'physmem'. Did you mean 'presets'?", "presest")]
    [InlineData("'Compare' is not a command of 'physmem'. Did you mean 'compare'?", "Compare", "--arch X86_64", "--arch Arm64_4K")]
    [InlineData("'--sectoin-size-bits' is not an option of 'physmem layout'. Did you mean '--section-size-bits'?", "layout", "--sectoin-size-bits", "20")]
    [InlineData("'--defins' is not an option of 'physmem layout'. Did you mean '--defines'?", "layout", "--defins")]
    [InlineData("'--al' is not an option of 'physmem compare'. Did you mean '--all'?", "compare", "--arch X86_64", "--arch Arm64_4K", "--al")]
    [InlineData("--arch: 'arm64' is not an architecture preset. Did you mean 'Arm64_4K', 'Arm64_16K', 'Arm64_64K' or 'Arm64_4K_Pre512'?", "layout", "--arch", "arm64")]
    [InlineData("--arch: 'x86-64' is not an architecture preset. Did you mean 'X86_64'?", "layout", "--arch", "x86-64")]
    [InlineData("--arch: 'ppc' is not an architecture preset. Did you mean 'Ppc64'?", "emit", "--arch", "ppc")]
    [InlineData("--arch: 'X86_46' is not an architecture preset. Did you mean 'X86_64' or 'X86_32'?", "compare", "--arch X86_46", "--arch X86_64")]
    [InlineData("'--sparce' is not an option of 'physmem layout'. Did you mean '--sparse'?", "compare", "--sparce", "--arch X86_64")]
    public void A_near_miss_names_its_candidates(string expected, params string[] args)
    {
        var result = Cli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        string line = Assert.Single(result.ErrLines);
        Assert.Equal("error: " + expected, line[..("error: " + expected).Length]);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("layout", "--bogus")]
    public void Nothing_close_suggests_nothing(params string[] args)
    {
        var line = Assert.Single(Cli.Run(args).ErrLines);
        Assert.DoesNotContain("Did you mean", line);
    }

    [Fact]
    public void The_first_unknown_word_is_named_and_other_errors_kept()
    {
        var line = Assert.Single(Cli.Run("layout", "--page-shif", "x", "--nodes-shift", "y").ErrLines);
        Assert.StartsWith("error: '--page-shif' is not an option of 'physmem layout'. Did you mean '--page-shift'? --nodes-shift expects a whole number", line, System.StringComparison.Ordinal);
        Assert.DoesNotContain("'x'", line, System.StringComparison.Ordinal);
    }
}
