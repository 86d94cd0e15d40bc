using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>--defines, --mminit and --json print the shared layout's own forms, and nothing else on stdout.</summary>
public sealed class OutputFormatTests
{
    [Fact]
    public void Mminit_lines_match_a_real_arm64_boot()
    {
        // Reference section 4 (mminit_verify_pageflags_layout) and section 9: an arm64 4K kernel
        // without NUMA, 4 zones, 25 page flags, 48-bit physical addresses.
        var result = Cli.Ok("layout", "--arch", "Arm64_4K", "--nodes-shift", "0", "--mminit");
        Assert.Equal(
            new[]
            {
                "mminit::pageflags_layout_widths Section 0 Node 0 Zone 2 Lastcpupid 0 Kasantag 0 Gen 0 Tier 0 Flags 25",
                "mminit::pageflags_layout_shifts Section 21 Node 0 Zone 2 Lastcpupid 0 Kasantag 0",
                "mminit::pageflags_layout_pgshifts Section 0 Node 0 Zone 62 Lastcpupid 0 Kasantag 0",
                "mminit::pageflags_layout_nodezoneid Node/Zone ID: 64 -> 62",
                "mminit::pageflags_layout_usage location: 64 -> 62 layout 62 -> 25 unused 25 -> 0 page-flags",
            },
            result.OutLines);
        Assert.Equal(string.Empty, result.Err);
    }

    [Theory]
    [InlineData("--defines")]
    [InlineData("--mminit")]
    [InlineData("--json")]
    public void Machine_formats_print_exactly_the_shared_layouts_text(string format)
    {
        var options = new LayoutOptions { NodesShift = 10, NrCpus = 256, NumaBalancing = true, LruGen = true, ZoneDevice = true };
        Assert.True(ArchPresets.TryApply(Arch.X86_64, options, out _));
        var problems = new List<LayoutDiagnostic>();
        var layout = MemoryLayout.Create(options.Resolve(problems));
        Assert.Empty(problems);
        string expected = format switch
        {
            "--defines" => layout.ToKernelDefines(),
            "--mminit" => layout.ToMminitLines(),
            _ => layout.ToJson(),
        };

        var result = Cli.Ok("layout", "--arch", "X86_64", "--nodes-shift", "10", "--nr-cpus", "256", "--numa-balancing", "--lru-gen", "--zone-device", format);
        Assert.Equal(expected, result.Out);
    }

    [Fact]
    public void Json_parses_and_holds_the_values()
    {
        var result = Cli.Ok("layout", "--arch", "X86_64", "--nodes-shift", "10", "--nr-cpus", "256", "--numa-balancing", "--lru-gen", "--nr-pageflags", "25", "--zone-device", "--json");
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("SPARSEMEM_VMEMMAP (EXTREME)", root.GetProperty("model").GetString());
        var values = root.GetProperty("values");
        Assert.Equal(27, values.GetProperty("SECTION_SIZE_BITS").GetInt32());
        Assert.Equal(46, values.GetProperty("MAX_PHYSMEM_BITS").GetInt32());
        Assert.Equal(524288, values.GetProperty("NR_MEM_SECTIONS").GetInt64());
        Assert.Equal(54, values.GetProperty("NODES_PGSHIFT").GetInt32());
        Assert.Equal(51, values.GetProperty("ZONES_PGSHIFT").GetInt32());
        Assert.Equal(32, values.GetProperty("LRU_GEN_PGOFF").GetInt32());
        Assert.Equal(5, values.GetProperty("NR_UNUSED_PAGEFLAG_BITS").GetInt32());
        Assert.Equal(0x7_0000_0000L, values.GetProperty("LRU_GEN_MASK").GetInt64());
        Assert.False(values.GetProperty("NODE_NOT_IN_PAGE_FLAGS").GetBoolean());
        Assert.Equal(0, root.GetProperty("diagnostics").GetArrayLength());
    }

    [Fact]
    public void Json_carries_the_notes()
    {
        // Classic SPARSEMEM, 40 page flags: AVAIL = 24 < zones 2 + sections 19 + nodes 10 = 31, so the
        // node moves to section_to_node_table (NODE_NOT_IN_PAGE_FLAGS).
        var result = Cli.Ok("layout", "--nodes-shift", "10", "--nr-pageflags", "40", "--json");
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("SPARSEMEM (STATIC)", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("values").GetProperty("NODE_NOT_IN_PAGE_FLAGS").GetBoolean());
        Assert.Equal(0, root.GetProperty("values").GetProperty("NODES_WIDTH").GetInt32());
        var notes = root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToArray();
        Assert.Equal(new[] { "PMEM0111" }, notes);
    }

    [Fact]
    public void Notes_go_to_stderr_with_defines_and_into_the_report()
    {
        var defines = Cli.Ok("layout", "--nodes-shift", "10", "--nr-pageflags", "40", "--defines");
        defines.HasDefine("NODE_NOT_IN_PAGE_FLAGS", 1);
        Assert.All(defines.OutLines, l => Assert.StartsWith("#define ", l));
        Assert.StartsWith("info PMEM0111: NODES_SHIFT = 10 does not fit", defines.Err);

        var report = Cli.Ok("layout", "--nodes-shift", "10", "--nr-pageflags", "40");
        Assert.Contains(report.OutLines, l => l.Trim().StartsWith("PMEM0111: NODES_SHIFT = 10 does not fit"));
        Assert.DoesNotContain(Cli.DiagramRows(report.Out), r => r.Name == "node");
    }

    [Fact]
    public void Report_shows_model_inputs_and_their_sources()
    {
        var lines = Cli.Ok("layout", "--arch", "Arm64_64K", "--nodes-shift", "2").OutLines;
        Assert.StartsWith("SPARSEMEM_VMEMMAP (EXTREME): 64-bit, 64 KiB pages, preset Arm64_64K", lines[0]);
        Assert.Contains(lines, l => Words(l).SequenceEqual(new[] { "PageShift", "16", "preset", "Arm64_64K" }));
        Assert.Contains(lines, l => Words(l).SequenceEqual(new[] { "NodesShift", "2", "--nodes-shift" }));
        Assert.Contains(lines, l => Words(l).SequenceEqual(new[] { "KasanTagWidth", "0", "default" }));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("section size") && l.Contains("512 MiB"));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("memmap per section") && l.Contains("(512 KiB)"));
    }

    private static string[] Words(string line) => line.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
}
