using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>Configurations the kernel refuses, and command lines that are wrong, exit with code 2 and say why.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Vmemmap_without_room_for_the_node_is_PMEM0107()
    {
        // x86-64: 4 zones (width 2), VMEMMAP (no section bits), NODES_SHIFT 10; AVAIL = 64 - 60 = 4.
        var result = Refused("layout", "--arch", "X86_64", "--nodes-shift", "10", "--nr-pageflags", "60");
        Assert.Equal(
            "error PMEM0107: Vmemmap: no space for nodes field in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = 2 + 0 + 0 + 10 = 12 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 60 = 4",
            result.ErrLines.Single());
    }

    [Fact]
    public void Section_smaller_than_a_subsection_is_PMEM0103()
    {
        var result = Refused("layout", "--section-size-bits", "20");
        Assert.Equal("error PMEM0103: Subsection size exceeds section size: SUBSECTION_SHIFT = 21 > SECTION_SIZE_BITS = 20; SECTION_SIZE_BITS may run from 22 to 46 here (at least SUBSECTION_SHIFT = 21, PAGE_SHIFT + SECTION_MAP_LAST_BIT = 16 and MAX_PAGE_ORDER + PAGE_SHIFT = 10 + 12 = 22; at most MAX_PHYSMEM_BITS = 46)", result.ErrLines.Single());
    }

    [Fact]
    public void Nine_zones_is_PMEM0106()
    {
        var result = Refused("layout", "--zones", "9");
        Assert.Equal("error PMEM0106: MAX_NR_ZONES = 9 is too many zones: ZONES_SHIFT can describe at most 8", result.ErrLines.Single());
    }

    [Theory]
    // Classic SPARSEMEM keeps 46 - 27 = 19 section bits; with 4 zones (2 bits) that is 21 > 64 - 60.
    [InlineData("21 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 60 = 4", "layout", "--nr-pageflags", "60")]
    // Example D with 25 page flags: 7 section bits + 2 zone bits = 9 > 32 - 25 = 7.
    [InlineData("9 > BITS_PER_LONG - NR_PAGEFLAGS = 32 - 25 = 7", "layout", "--arch", "X86_32_Pae", "--nr-pageflags", "25")]
    public void Fields_that_do_not_fit_are_PMEM0108(string tail, params string[] args)
    {
        var line = Refused(args).ErrLines.Single();
        Assert.StartsWith("error PMEM0108: Not enough bits in page flags: ", line);
        Assert.EndsWith(tail, line);
    }

    [Theory]
    [InlineData("PMEM0101", "layout", "--section-size-bits", "50")]
    [InlineData("PMEM0104", "layout", "--section-size-bits", "21")]
    [InlineData("PMEM0109", "layout", "--bits-per-long", "32", "--max-physmem-bits", "36", "--zones", "5")]
    [InlineData("PMEM0003", "layout", "--bits-per-long", "48")]
    [InlineData("PMEM0004", "layout", "--numa-balancing")]
    [InlineData("PMEM0007", "layout", "--nr-cpus", "4", "--nr-cpus-bits", "2")]
    public void Other_refusals_carry_their_ids(string id, params string[] args)
    {
        Assert.StartsWith($"error {id}: ", Refused(args).ErrLines[0]);
    }

    [Theory]
    [InlineData("--arch", "X86_64", "--nodes-shift", "10", "--nr-pageflags", "60")]
    [InlineData("--section-size-bits", "20")]
    [InlineData("--zones", "9")]
    [InlineData("--nr-pageflags", "60")]
    public void Errors_are_those_of_the_shared_layout_code(params string[] args)
    {
        // The generator reports LayoutDiagnostic.Id and .Message; the command line must print the same.
        var options = new LayoutOptions();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--arch")
            {
                continue;
            }

            int n = int.Parse(args[i + 1]);
            switch (args[i])
            {
                case "--nodes-shift": options.NodesShift = n; break;
                case "--nr-pageflags": options.NrPageflags = n; break;
                case "--section-size-bits": options.SectionSizeBits = n; break;
                case "--zones": options.MaxNrZones = n; break;
            }
        }

        if (args[0] == "--arch")
        {
            ArchPresets.TryApply(Arch.X86_64, options, out _);
        }

        var result = MemoryLayout.Compute(options.Resolve(new List<LayoutDiagnostic>()));
        Assert.Null(result.Layout);
        var expected = result.Diagnostics.Select(d => $"error {d.Id}: {d.Message}");
        Assert.Equal(expected, Refused(new[] { "layout" }.Concat(args).ToArray()).ErrLines);
    }

    [Theory]
    [InlineData(new[] { "layout", "--bogus" }, "--bogus")]
    [InlineData(new[] { "layout", "--page-shift", "abc" }, "--page-shift expects a whole number")]
    [InlineData(new[] { "layout", "--nodes-shift", "-3" }, "-3")]
    [InlineData(new[] { "layout", "--arch", "vax" }, "'vax' is not an architecture preset. Known presets: X86_64, ")]
    [InlineData(new[] { "layout", "--arch" }, "--arch")]
    [InlineData(new[] { "layout", "--sparse", "--flat" }, "--sparse and --flat exclude each other")]
    [InlineData(new[] { "layout", "--json", "--mminit" }, "exclude each other")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void Bad_command_lines_exit_2_with_a_helpful_message(string[] args, string expected)
    {
        var result = Cli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith("error: ", result.Err);
        Assert.Contains(expected, result.Err);
        Assert.Contains("--help", result.ErrLines.Last());
    }

    [Fact]
    public void Bare_physmem_prints_the_help_and_exits_0()
    {
        var bare = Cli.Run();
        Assert.Equal(0, bare.ExitCode);
        Assert.Equal(string.Empty, bare.Err);
        Assert.Equal(Cli.Ok("--help").Out, bare.Out);
        Assert.Contains("Commands:", bare.Out);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("layout", "--help")]
    [InlineData("presets", "--help")]
    [InlineData("layout", "-h")]
    public void Help_works_on_every_command(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("physmem", result.Out);
    }

    [Fact]
    public void Layout_help_lists_every_option()
    {
        string help = Cli.Ok("layout", "--help").Out;
        string[] options =
        {
            "--arch", "--sparse", "--flat", "--vmemmap", "--extreme", "--page-shift", "--section-size-bits", "--max-physmem-bits",
            "--nodes-shift", "--zones", "--nr-pageflags", "--numa-balancing", "--nr-cpus-bits", "--nr-cpus", "--kasan-tag-width",
            "--lru-gen", "--zone-device", "--page-extension", "--bits-per-long", "--max-page-order", "--arch-pfn-offset",
            "--defines", "--mminit", "--json",
        };
        Assert.All(options, o => Assert.Contains(o + " ", help));
    }

    [Fact]
    public void Layout_has_an_option_for_every_input_the_table_spells_for_the_command_line()
    {
        string help = Cli.Ok("layout", "--help").Out;
        Assert.All(InputTable.All.Where(i => i.Cli is not null), i => Assert.Contains(i.Cli!.Option + " ", help));

        // The inputs the command line does not take one by one: the model is --sparse or --flat.
        string[] without = { "Model", "HolesInMemmap", "Zones", "PageblockOrder", "MemoryIsolation", "StructPageSize" };
        Assert.Equal(without, InputTable.All.Where(i => i.Cli is null).Select(i => i.Name));
    }

    private static CliResult Refused(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        return result;
    }
}
