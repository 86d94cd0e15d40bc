using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// The <c>--json</c> output of <c>presets</c>, <c>compare</c> and <c>emit</c>, parsed with
/// System.Text.Json and checked against the schema in docs/cli-json.md and values known
/// independently of the program (the reference's table of architectures, section 7).
/// </summary>
public sealed class JsonTests
{
    [Fact]
    public void Presets_json_carries_each_presets_reference_values()
    {
        using var doc = JsonDocument.Parse(Cli.Ok("presets", "--json").Out);
        var presets = doc.RootElement.GetProperty("presets").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(PresetTests.Presets.Count(), presets.Count);
        foreach (var row in PresetTests.Presets)
        {
            var preset = presets[(string)row[0]];
            var values = preset.GetProperty("values");
            Assert.Equal((int)row[1], values.GetProperty("PAGE_SHIFT").GetInt32());
            Assert.Equal((int)row[2], values.GetProperty("SECTION_SIZE_BITS").GetInt32());
            Assert.Equal((int)row[3], values.GetProperty("MAX_PHYSMEM_BITS").GetInt32());
            Assert.Equal(!(bool)row[4], preset.GetProperty("verified").GetBoolean());
            Assert.StartsWith("SPARSEMEM", preset.GetProperty("model").GetString());
            Assert.Equal(0, preset.GetProperty("refused").GetArrayLength());
        }

        // x86-64: NODES_SHIFT 6 (CONFIG_NODES_SHIFT's default with MAXSMP off), MAX_PAGE_ORDER 10.
        Assert.Equal(6, presets["X86_64"].GetProperty("values").GetProperty("NODES_SHIFT").GetInt32());
        Assert.Equal(10, presets["X86_64"].GetProperty("values").GetProperty("MAX_PAGE_ORDER").GetInt32());
    }

    [Fact]
    public void Compare_json_gives_both_sides_and_what_differs()
    {
        using var doc = JsonDocument.Parse(Cli.Ok("compare", "--arch Arm64_4K_Pre512", "--arch Arm64_4K", "--json").Out);
        var root = doc.RootElement;
        Assert.Equal("--arch Arm64_4K_Pre512", root.GetProperty("a").GetProperty("options").GetString());
        Assert.Equal("SPARSEMEM_VMEMMAP (EXTREME)", root.GetProperty("b").GetProperty("model").GetString());
        var values = root.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);

        // Before 5.12 arm64 4K sections were 1 GiB (SSB 30); since, 128 MiB (SSB 27): 2^(48-30) and 2^(48-27) sections.
        Assert.Equal(30, values["SECTION_SIZE_BITS"].GetProperty("a").GetInt32());
        Assert.Equal(27, values["SECTION_SIZE_BITS"].GetProperty("b").GetInt32());
        Assert.Equal(1UL << 18, values["NR_MEM_SECTIONS"].GetProperty("a").GetUInt64());
        Assert.Equal(1UL << 21, values["NR_MEM_SECTIONS"].GetProperty("b").GetUInt64());
        Assert.All(values.Values, v => Assert.True(v.GetProperty("differs").GetBoolean()));
        Assert.False(values.ContainsKey("PAGE_SHIFT"));
        Assert.Equal(values.Count, root.GetProperty("differing").GetInt32());
        Assert.True(root.GetProperty("compared").GetInt32() > values.Count);
    }

    [Fact]
    public void Compare_json_with_all_gives_every_value_and_null_for_a_name_one_side_lacks()
    {
        using var doc = JsonDocument.Parse(Cli.Ok("compare", "--arch X86_64", "--flat --arch X86_32", "--all", "--json").Out);
        var root = doc.RootElement;
        var values = root.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(root.GetProperty("compared").GetInt32(), values.Count);
        Assert.Equal(12, values["PAGE_SHIFT"].GetProperty("a").GetInt32());
        Assert.False(values["PAGE_SHIFT"].GetProperty("differs").GetBoolean());

        // FLATMEM has no sections: SECTION_SIZE_BITS is null on that side.
        Assert.Equal(JsonValueKind.Null, values["SECTION_SIZE_BITS"].GetProperty("b").ValueKind);
        Assert.Equal("FLATMEM", root.GetProperty("b").GetProperty("model").GetString());
    }

    [Fact]
    public void Emit_json_names_the_type_the_inputs_and_the_file()
    {
        var result = Cli.Ok("emit", "--arch", "Arm64_4K", "--type-name", "Arm64", "--json");
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("Generated.Arm64", root.GetProperty("type").GetString());
        Assert.StartsWith("[MemoryModel(Model.Sparse, PageShift = 12", root.GetProperty("attribute").GetString());
        Assert.Equal("SPARSEMEM_VMEMMAP (EXTREME)", root.GetProperty("model").GetString());

        // Reference section 7: arm64 4K has PAGE_SHIFT 12, SECTION_SIZE_BITS 27, 48-bit physical addresses.
        var inputs = root.GetProperty("inputs");
        Assert.Equal("Sparse", inputs.GetProperty("Model").GetString());
        Assert.Equal(12, inputs.GetProperty("PageShift").GetInt32());
        Assert.Equal(27, inputs.GetProperty("SectionSizeBits").GetInt32());
        Assert.Equal(48, inputs.GetProperty("MaxPhysmemBits").GetInt32());
        Assert.True(inputs.GetProperty("Vmemmap").GetBoolean());

        // The generator's file name is Namespace.Type.g.cs; its line count is that of the code 'emit' prints.
        var file = Assert.Single(root.GetProperty("files").EnumerateArray().ToArray());
        Assert.Equal("Generated.Arm64.g.cs", file.GetProperty("name").GetString());
        var code = Cli.Ok("emit", "--arch", "Arm64_4K", "--type-name", "Arm64").Out;
        int printed = code.Split('\n').Length - 1 - 3; // less the two comment lines and the blank line before the code
        Assert.Equal(printed, file.GetProperty("lines").GetInt32());
    }

    [Fact]
    public void A_refused_configuration_prints_no_json()
    {
        var result = Cli.Run("emit", "--section-size-bits", "20", "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith("error PMEM0103", result.Err);
    }
}
