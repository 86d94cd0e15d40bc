using System;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// Shell completion: the <c>[suggest:POSITION]</c> directive that dotnet-suggest's shell scripts
/// send lists what can follow the command line up to POSITION, one item a line.
/// </summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("[suggest:3]", "lay")]
    [InlineData("[suggest]", "lay")]
    [InlineData("[suggest:11]", "physmem lay")] // as the shell gives it, the command's name first
    public void A_partial_command_completes_to_the_command(string directive, string line)
    {
        var result = Cli.Ok(directive, line);
        Assert.Equal(new[] { "layout" }, result.OutLines);
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public void Nothing_typed_lists_every_command()
    {
        var lines = Cli.Ok("[suggest:0]", string.Empty).OutLines;
        Assert.All(new[] { "layout", "presets", "map", "emit", "compare", "--help", "--version" }, c => Assert.Contains(c, lines));
    }

    [Fact]
    public void Arch_completes_to_the_presets()
    {
        const string line = "layout --arch Arm64";
        var result = Cli.Ok("[suggest:" + line.Length + "]", line);
        Assert.Equal(new[] { "Arm64_16K", "Arm64_4K", "Arm64_4K_Pre512", "Arm64_64K" }, result.OutLines);
    }

    [Fact]
    public void An_option_completes_by_its_prefix()
    {
        const string line = "layout --section-s";
        Assert.Equal(new[] { "--section-size-bits" }, Cli.Ok("[suggest:" + line.Length + "]", line).OutLines);
    }

    [Fact]
    public void Help_still_names_the_command_physmem()
    {
        // Completion runs under a RootCommand, named after the executable; help must not.
        Assert.Contains("physmem [command] [options]", Cli.Ok("--help").Out, StringComparison.Ordinal);
    }
}
