using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The input table is the one list of inputs: every reader of inputs has every row (the attribute's
/// properties, the options and the spec, the MSBuild properties, the generated header, the Layout
/// literal), and the table's ranges are the kernel's at the edges.
/// </summary>
public class InputTableTests
{
    // The attribute's properties that are not layout inputs: files and the frame type, read on their own.
    private static readonly string[] NotInputs = { "Arch", "Kconfig", "VmcoreInfo", "PageType", "MemoryMapFile", "TypeId" };

    [Fact]
    public void Every_row_on_the_attribute_is_a_property_of_its_name_and_type_and_every_property_is_a_row()
    {
        var properties = typeof(MemoryModelAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name);
        foreach (var input in InputTable.All.Where(i => i.OnAttribute))
        {
            Assert.True(properties.TryGetValue(input.Name, out var property), input.Name + " has no property on [MemoryModel]");
            Assert.Equal(input.ClrType, property!.PropertyType);
        }

        var rows = InputTable.All.Where(i => i.OnAttribute).Select(i => i.Name).ToHashSet();
        Assert.Empty(properties.Keys.Except(NotInputs).Where(name => !rows.Contains(name)).Order());
    }

    [Fact]
    public void Every_row_is_a_property_of_the_options_and_of_the_spec_where_the_table_says()
    {
        foreach (var input in InputTable.All)
        {
            var option = typeof(LayoutOptions).GetProperty(input.Name);
            var spec = typeof(LayoutSpec).GetProperty(input.Name);
            Assert.Equal(input.OnOptions, option is not null);
            Assert.Equal(input.OnOptions ? typeof(Nullable<>).MakeGenericType(input.ClrType) : null, option?.PropertyType);
            if (input.OnSpec)
            {
                Assert.Equal(input.ClrType, spec!.PropertyType);
                Assert.True(spec.SetMethod is not null, input.Name + " is not an init property of LayoutSpec");
            }
        }

        var options = typeof(LayoutOptions).GetProperties().Select(p => p.Name);
        Assert.Empty(options.Where(name => InputTable.Find(name) is null).Order());
    }

    [Fact]
    public void The_msbuild_reader_reads_the_property_of_every_row()
    {
        foreach (var input in InputTable.All.Where(i => i.MsBuildProperty is not null))
        {
            string value = input.ClrType == typeof(bool) ? "false" : input.OnSpec ? input.Text(new LayoutSpec()) : "8";
            var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel] public partial class K { }", properties: new Dictionary<string, string> { [input.MsBuildProperty!] = value });
            Assert.Contains("//   " + input.Name + " = " + value + " (msbuild " + input.MsBuildProperty + ")", run.SingleSource, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Sparse")]
    [InlineData("Flat")]
    [InlineData("Discontig")]
    public void The_header_lists_every_row_the_model_uses_and_the_literal_no_other(string model)
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model." + model + ")] public partial class K { }");
        string source = run.SingleSource;
        var spec = new LayoutSpec { Model = Enum.Parse<Model>(model) };
        foreach (var input in InputTable.All.Where(i => i.OnSpec))
        {
            bool listed = input.OnAttribute && input.Applies(spec);
            Assert.Equal(listed, source.Contains("//   " + input.Name + " = " + input.Text(spec) + " (", StringComparison.Ordinal));
            Assert.Equal(input.AppliesTo(spec.Model) && input.Since is null, InLiteral(source, input.Name + " = " + input.CSharp(spec) + ","));
        }

        // The literal's value is the spec's: what it leaves out has its default.
        object layout = CompiledModel.From(run).Type("K").GetProperty("Layout")!.GetValue(null)!;
        Assert.Equal(spec, layout.GetType().GetProperty("Spec")!.GetValue(layout));
    }

    [Fact]
    public void An_input_set_on_a_model_that_ignores_it_is_still_in_the_literal()
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model.Flat, SectionSizeBits = 30)] public partial class K { }");
        Assert.True(InLiteral(run.SingleSource, "SectionSizeBits = 30,"));
        Assert.False(InLiteral(run.SingleSource, "MaxPhysmemBits = "));
    }

    [Fact]
    public void The_config_reader_settles_every_row_with_kconfig_symbols_and_no_other()
    {
        // A distribution configuration, with the allocator order an architecture may force.
        // Relabelled 6.17, so that the symbols of 6.15 and 6.17 (SPARSEMEM_VMEMMAP_PREINIT,
        // PAGE_BLOCK_MAX_ORDER) are read as well.
        string text = KconfigGeneratorTests.RealConfig("debian-6.12-amd64").Replace("# Linux/x86 6.12.117 Kernel Configuration", "# Linux/x86 6.17.0 Kernel Configuration")
            + "\nCONFIG_ARCH_FORCE_MAX_ORDER=10\nCONFIG_SPARSEMEM_VMEMMAP_PREINIT=y\nCONFIG_PAGE_BLOCK_MAX_ORDER=10\n";
        var result = KconfigReader.Read(text, "linux.config");
        Assert.False(result.HasErrors);
        var settled = result.Settings.Select(s => s.Name).ToList();
        var expected = InputTable.All.Where(i => i.KconfigSymbols.Count > 0).Select(i => i.Name).ToList();
        Assert.Equal(expected, settled);
    }

    // Hand-written from the kernel, not from the table: PAGE_SHIFT 12 (4 KiB) to 18 (256 KiB, hexagon
    // and powerpc 44x); CONFIG_NODES_SHIFT "range 1 10" (arch/x86/Kconfig), 0 without NUMA;
    // KASAN_TAG_WIDTH 0, 4 (arm64 MTE, 6.16 on) or 8 (software tags); BITS_PER_LONG 32 or 64;
    // NR_PAGEFLAGS at most the bits of page->flags; CONFIG_PAGE_BLOCK_MAX_ORDER "range 1 10" (mm/Kconfig,
    // 6.16+: above MAX_PAGE_ORDER is PMEM0117, not a range), 0 meaning "not set".
    [Theory]
    [InlineData("PageShift", 12, true)]
    [InlineData("PageShift", 18, true)]
    [InlineData("PageShift", 11, false)]
    [InlineData("PageShift", 19, false)]
    [InlineData("NodesShift", 0, true)]
    [InlineData("NodesShift", 10, true)]
    [InlineData("NodesShift", 11, false)]
    [InlineData("KasanTagWidth", 4, true)]
    [InlineData("KasanTagWidth", 8, true)]
    [InlineData("KasanTagWidth", 2, false)]
    [InlineData("KasanTagWidth", 16, false)]
    [InlineData("BitsPerLong", 32, true)]
    [InlineData("BitsPerLong", 48, false)]
    [InlineData("NrPageflags", 64, true)]
    [InlineData("NrPageflags", 65, false)]
    [InlineData("PageBlockMaxOrder", 0, true)]
    [InlineData("PageBlockMaxOrder", 1, true)]
    [InlineData("PageBlockMaxOrder", 10, true)]
    [InlineData("PageBlockMaxOrder", -1, false)]
    public void The_validator_accepts_the_kernel_values_at_the_edges_of_each_range(string name, int value, bool accepted)
    {
        var options = new LayoutOptions();
        Assert.True(KconfigValues.TrySet(options, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
        var problems = new List<LayoutDiagnostic>();
        var result = MemoryLayout.Compute(options.Resolve(problems));
        bool refused = result.Diagnostics.Any(d => d.Id == DiagnosticCatalog.OutOfRange.Id && d.Blame.Contains(name));
        Assert.Equal(!accepted, refused);
        Assert.Equal(accepted, InputRanges.Get(name, 64)!.Contains(value));
    }

    // A line of the LayoutSpec initializer (the header's lines start with a comment instead).
    private static bool InLiteral(string source, string line) =>
        System.Text.RegularExpressions.Regex.IsMatch(source, @"\n[ ]+" + System.Text.RegularExpressions.Regex.Escape(line));
}
