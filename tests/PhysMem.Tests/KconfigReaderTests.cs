using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// The .config reader on its own: versions and their formulas, architectures, Kconfig rules,
/// layering, and that no text makes it throw (the generator must never throw).
/// </summary>
public sealed class KconfigReaderTests
{
    private static KconfigResult Read(string version, params string[] lines) =>
        KconfigReader.Read("# Linux/x86 " + version + " Kernel Configuration\n" + string.Join("\n", lines) + "\n", "t.config");

    private static string Value(KconfigResult r, string name) => r.Settings.Single(s => s.Name == name).Value;

    [Theory]
    [InlineData("6.1.83", 256, "8")]     // ilog2
    [InlineData("6.1.84", 256, "9")]     // bits_per, backported
    [InlineData("6.1.90", 256, "8")]     // order_base_2, backported
    [InlineData("6.6.23", 24, "4")]      // ilog2 rounds down
    [InlineData("6.6.24", 24, "5")]
    [InlineData("6.6.30", 24, "5")]
    [InlineData("6.8.0", 256, "8")]
    [InlineData("6.9.0-rc3", 256, "9")]
    [InlineData("6.9.0-rc7", 256, "8")]
    [InlineData("6.12.117", 8192, "13")]
    [InlineData("6.12.117", 2, "1")]     // the smallest NR_CPUS with SMP
    public void NrCpusBits_follows_the_bounds_c_of_the_version(string version, int cpus, string bits)
    {
        var r = Read(version, "CONFIG_X86_64=y", "CONFIG_64BIT=y", "CONFIG_SMP=y", "CONFIG_NR_CPUS=" + cpus);
        Assert.Equal(bits, Value(r, "NrCpusBits"));
    }

    [Theory]
    [InlineData("CONFIG_ARM64=y", "48", 2, "CONFIG_ARM64 without CONFIG_ARM64_PA_BITS: 48")]
    [InlineData("CONFIG_S390=y", "46", 2, "CONFIG_S390 without CONFIG_MAX_PHYSMEM_BITS: its default, 46")]
    public void A_physical_address_width_the_file_does_not_set_is_not_said_to_come_from_it(string arch, string bits, int line, string why)
    {
        var r = KconfigReader.Read("# Linux/any 6.12.0 Kernel Configuration\n" + arch + "\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\n", "t.config");
        var setting = r.Settings.Single(s => s.Name == "MaxPhysmemBits");
        Assert.Equal((bits, line, why), (setting.Value, setting.Line, setting.Why));
    }

    // CONFIG_SPARSEMEM_VMEMMAP_PREINIT came with 6.15; CONFIG_PAGE_BLOCK_ORDER with 6.16, renamed
    // CONFIG_PAGE_BLOCK_MAX_ORDER in 6.17. An older kernel's file leaves both inputs unset.
    [Theory]
    [InlineData("6.14.0", null, null)]
    [InlineData("6.15.0", "true", null)]
    [InlineData("6.16.0", "true", "6")]
    [InlineData("6.17.0", "true", "7")]
    public void The_new_symbols_are_read_only_for_the_versions_that_have_them(string version, string? preinit, string? limit)
    {
        var r = Read(version, "CONFIG_X86_64=y", "CONFIG_64BIT=y", "CONFIG_SPARSEMEM=y", "CONFIG_SPARSEMEM_VMEMMAP=y",
            "CONFIG_SPARSEMEM_VMEMMAP_PREINIT=y", "CONFIG_PAGE_BLOCK_ORDER=6", "CONFIG_PAGE_BLOCK_MAX_ORDER=7");
        Assert.False(r.HasErrors);
        Assert.Equal(preinit, r.Settings.SingleOrDefault(s => s.Name == "VmemmapPreinit")?.Value);
        Assert.Equal(limit, r.Settings.SingleOrDefault(s => s.Name == "PageBlockMaxOrder")?.Value);
    }

    [Theory]
    [InlineData("CONFIG_PAGE_BLOCK_MAX_ORDER=11")]            // range 1 10 without ARCH_FORCE_MAX_ORDER
    [InlineData("CONFIG_PAGE_BLOCK_MAX_ORDER=0")]
    [InlineData("CONFIG_ARCH_FORCE_MAX_ORDER=8", "CONFIG_PAGE_BLOCK_MAX_ORDER=9")] // range 1 ARCH_FORCE_MAX_ORDER
    public void A_page_block_max_order_outside_its_Kconfig_range_is_refused(params string[] lines)
    {
        var r = Read("6.17.0", new[] { "CONFIG_X86_64=y", "CONFIG_64BIT=y" }.Concat(lines).ToArray());
        Assert.Contains(r.Problems, p => p.Diagnostic.Id == "PMEM0033");
        Assert.DoesNotContain(r.Settings, s => s.Name == "PageBlockMaxOrder");
    }

    [Fact]
    public void Vmemmap_preinit_without_vmemmap_breaks_a_Kconfig_rule()
    {
        var r = Read("6.17.0", "CONFIG_X86_64=y", "CONFIG_64BIT=y", "CONFIG_SPARSEMEM=y", "CONFIG_SPARSEMEM_VMEMMAP_PREINIT=y");
        var problem = Assert.Single(r.Problems);
        Assert.Equal(("PMEM0114", 5), (problem.Diagnostic.Id, problem.Line));
    }

    [Fact]
    public void One_cpu_with_SMP_is_out_of_NR_CPUS_range()
    {
        // arch/x86/Kconfig: NR_CPUS_RANGE_BEGIN is 2 with SMP; Kconfig would reset NR_CPUS=1.
        var r = Read("6.12.117", "CONFIG_X86_64=y", "CONFIG_64BIT=y", "CONFIG_SMP=y", "CONFIG_NR_CPUS=1");
        var problem = Assert.Single(r.Problems);
        Assert.Equal(("PMEM0033", 5, 16, 1), (problem.Diagnostic.Id, problem.Line, problem.Column, problem.Length));
        Assert.True(r.HasErrors);
        Assert.DoesNotContain(r.Settings, s => s.Name == "NrCpusBits");
    }

    [Theory]
    [InlineData("6.1.0", 21 + 1 + 1 + 1)]        // mlocked, uncached, arch_2 (every 64-bit 6.1)
    [InlineData("6.6.0", 21 + 1 + 1)]            // mlocked, uncached
    [InlineData("6.12.0", 19 + 1 + 1)]           // mlocked, arch_2 (ARCH_USES_PG_ARCH_2)
    [InlineData("6.17.0", 20 + 1 + 1)]           // dropbehind is unconditional
    public void NrPageflags_counts_the_enum_pageflags_of_the_version(string version, int count)
    {
        var r = Read(version, "CONFIG_X86_64=y", "CONFIG_64BIT=y", "CONFIG_MMU=y", "CONFIG_ARCH_USES_PG_UNCACHED=y", "CONFIG_ARCH_USES_PG_ARCH_2=y");
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(r, "NrPageflags"));
        Assert.DoesNotContain(r.Problems, p => p.Diagnostic.Id == "PMEM0015");
    }

    [Theory]
    [InlineData("6.15.0", "6.17")]
    [InlineData("6.9.0", "6.6")]
    [InlineData("5.15.0", "6.1")]
    [InlineData("7.0.0", "6.17")]
    public void Another_version_uses_the_nearest_and_says_so(string version, string series)
    {
        var r = Read(version, "CONFIG_X86_64=y", "CONFIG_64BIT=y");
        Assert.Equal(series, r.Rules!.Series);
        var note = Assert.Single(r.Problems);
        Assert.Equal("PMEM0015", note.Diagnostic.Id);
        Assert.Equal(1, note.Line);
    }

    [Fact]
    public void A_config_without_a_header_uses_mainline_rules_and_says_so_on_its_first_line()
    {
        var r = KconfigReader.Read("CONFIG_X86_64=y\nCONFIG_64BIT=y\n", "bare.config");
        Assert.Equal("6.17", r.Rules!.Series);
        var note = Assert.Single(r.Problems);
        Assert.Equal(1, note.Line);
        Assert.Equal("bare.config:1: PhysMem knows the page flags of kernels 6.1, 6.6, 6.12, 6.17, not of a kernel whose version the header does not name; it uses those of 6.17, the nearest", note.Diagnostic.Message);
    }

    [Theory]
    [InlineData("6.15.0", "8")]
    [InlineData("6.16.0", "4")]
    public void Hardware_KASAN_tags_take_4_bits_from_6_16(string version, string width)
    {
        var r = KconfigReader.Read("# Linux/arm64 " + version + " Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_KASAN=y\nCONFIG_KASAN_HW_TAGS=y\n", "t.config");
        Assert.Equal(width, Value(r, "KasanTagWidth"));
    }

    [Theory]
    [InlineData("6.1.0", "CONFIG_ARCH_FORCE_MAX_ORDER=11", "10")]
    [InlineData("6.12.0", "CONFIG_ARCH_FORCE_MAX_ORDER=10", "10")]
    [InlineData("6.12.0", "CONFIG_ARM64_64K_PAGES=y\nCONFIG_ARCH_FORCE_MAX_ORDER=13", "13")]
    public void ArchForceMaxOrder_changed_meaning_in_6_4(string version, string line, string order)
    {
        var r = KconfigReader.Read("# Linux/arm64 " + version + " Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\n" + line + "\n", "t.config");
        Assert.Equal(order, Value(r, "MaxPageOrder"));
    }

    [Theory]
    [InlineData("CONFIG_X86_64=y\nCONFIG_64BIT=y", "X86_64", "46")]
    [InlineData("CONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_X86_5LEVEL=y", "X86_64_5Level", "52")]
    [InlineData("CONFIG_X86_32=y\nCONFIG_X86_PAE=y\nCONFIG_SPARSEMEM=y", "X86_32_Pae", "36")]
    [InlineData("CONFIG_X86_32=y\nCONFIG_SPARSEMEM=y", "X86_32", "32")]
    [InlineData("CONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_ARM64_PA_BITS=52\nCONFIG_ARM64_64K_PAGES=y", "Arm64_64K", "52")]
    [InlineData("CONFIG_RISCV=y\nCONFIG_64BIT=y", "Riscv64", "56")]
    [InlineData("CONFIG_S390=y\nCONFIG_64BIT=y\nCONFIG_MAX_PHYSMEM_BITS=48", "S390", "48")]
    public void The_architecture_gives_the_preset_and_MAX_PHYSMEM_BITS(string lines, string preset, string mpb)
    {
        var r = KconfigReader.Read("# Linux/any 6.12.0 Kernel Configuration\n" + lines + "\n", "t.config");
        Assert.Equal(preset, r.Preset.ToString());
        Assert.Equal(mpb, Value(r, "MaxPhysmemBits"));
    }

    [Fact]
    public void X86_64_always_has_5_level_paging_from_6_16()
    {
        var r = Read("6.16.0", "CONFIG_X86_64=y", "CONFIG_64BIT=y");
        Assert.Equal(Arch.X86_64_5Level, r.Preset);
        Assert.Equal("52", Value(r, "MaxPhysmemBits"));
    }

    [Fact]
    public void Nodes_count_only_with_NUMA()
    {
        Assert.Equal("0", Value(Read("6.12.0", "CONFIG_X86_64=y", "CONFIG_NODES_SHIFT=6"), "NodesShift"));
        Assert.Equal("6", Value(Read("6.12.0", "CONFIG_X86_64=y", "CONFIG_NUMA=y", "CONFIG_NODES_SHIFT=6"), "NodesShift"));
    }

    [Fact]
    public void Layers_take_each_input_from_the_highest_layer_that_sets_it()
    {
        var attribute = new[] { new LayeredInput("NrCpus", "64", "attribute"), new LayeredInput("ZoneDevice", "false", "attribute") };
        var msbuild = new[] { new LayeredInput("NodesShift", "4", "msbuild PhysMem_NodesShift") };
        var kconfig = new[]
        {
            new LayeredInput("NodesShift", "10", "kconfig"), new LayeredInput("NrCpusBits", "13", "kconfig"),
            new LayeredInput("Zones", "Dma, Dma32, Normal, Movable, Device", "kconfig"), new LayeredInput("Model", "Flat", "kconfig"),
        };
        var preset = KconfigLayers.PresetLayer(Arch.X86_64);
        var chosen = new List<LayeredInput>();
        var rejected = new List<RejectedInput>();
        var options = KconfigLayers.Merge(new IReadOnlyList<LayeredInput>[] { attribute, msbuild, kconfig, preset }, chosen, rejected);
        Assert.Empty(rejected);
        Assert.Equal(64, options.NrCpus);
        Assert.Null(options.NrCpusBits);                  // one thing, taken from the attribute
        Assert.Equal(4, options.NodesShift);
        Assert.Equal(Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable, options.Zones);   // ZoneDevice = false edits the lower list
        Assert.Null(options.ZoneDevice);
        Assert.Equal(Model.Flat, options.Model);
        Assert.Null(options.Vmemmap);                     // the preset's SPARSEMEM variants do not apply to FLATMEM
        Assert.Equal("kconfig + attribute", chosen.Single(c => c.Name == "Zones").Source);
        Assert.Equal(27, options.SectionSizeBits);
        var problems = new List<LayoutDiagnostic>();
        var spec = options.Resolve(problems);
        Assert.Empty(problems);
        Assert.NotNull(MemoryLayout.Compute(spec).Layout);
    }

    [Fact]
    public void No_text_makes_the_reader_throw()
    {
        string real = File.ReadAllText(Path.Combine(KconfigFixtureTests.FixtureRoot, "debian-6.1-arm64", "config"));
        var lines = real.Split('\n');
        var pieces = Gen.Elements(lines.Concat(new[] { "CONFIG_NR_CPUS=99999999999999999999", "CONFIG_NODES_SHIFT=-3", "# Linux/x86 6.9.0-rc99999999999 Kernel Configuration", "CONFIG_=", "=y", "\u001f", "CONFIG_ARM64=", "\r" }).ToArray());
        Prop.ForAll(Arb.From(Gen.ListOf(pieces)), chosen =>
        {
            var result = KconfigReader.Read(string.Join("\n", chosen), "fuzz.config");
            if (result.HasErrors)
            {
                return true;
            }

            var layers = new List<IReadOnlyList<LayeredInput>> { KconfigLayers.KconfigLayer(result) };
            if (result.Preset is Arch arch)
            {
                layers.Add(KconfigLayers.PresetLayer(arch));
            }

            var options = KconfigLayers.Merge(layers, new List<LayeredInput>(), new List<RejectedInput>());
            var spec = options.Resolve(new List<LayoutDiagnostic>());
            MemoryLayout.Compute(spec);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Parsing_keeps_the_header_and_the_not_set_lines()
    {
        var file = KconfigFile.Parse("#\n# Automatically generated file; DO NOT EDIT.\n# Linux/arm64 6.1.176 Kernel Configuration\n#\n# CONFIG_NUMA is not set\nCONFIG_NR_CPUS=256\r\n", out var error, out _);
        Assert.Null(error);
        Assert.Equal("arm64", file!.HeaderArch);
        Assert.Equal("6.1.176", file.HeaderVersion);
        Assert.Equal(3, file.HeaderLine);
        Assert.Equal(new KconfigSymbol("NUMA", "n", 5), file.Get("NUMA"));
        Assert.Equal(256, file.Number("NR_CPUS"));
    }
}
