using System.Linq;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// Every architecture preset, checked against the reference's table of architectures (section 7
/// of the kernel memory-model reference): PAGE_SHIFT, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS, and
/// whether the table marks any of the preset's values unverified.
/// </summary>
public sealed class PresetTests
{
    // name, PAGE_SHIFT, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS, partly unverified
    public static readonly TheoryData<string, int, int, int, bool> Presets = new()
    {
        { "X86_64", 12, 27, 46, false },          // x86-64 4-level
        { "X86_64_5Level", 12, 27, 52, false },   // x86-64 5-level
        { "X86_32", 12, 26, 32, false },          // x86-32 non-PAE
        { "X86_32_Pae", 12, 29, 36, false },      // x86-32 PAE
        { "Arm64_4K", 12, 27, 48, false },        // arm64 4K, PA_BITS 48
        { "Arm64_16K", 14, 27, 48, false },
        { "Arm64_64K", 16, 29, 48, false },
        { "Arm64_4K_Pre512", 12, 30, 48, true },  // arch/arm64/include/asm/sparsemem.h before f0b13ee23241 (5.12): SECTION_SIZE_BITS 30
        { "Riscv64", 12, 27, 56, true },          // arch/riscv/include/asm/sparsemem.h: 27, MAX_PHYSMEM_BITS 56 (CONFIG_PA_BITS default 56)
        { "Ppc64", 16, 24, 51, false },           // 51 with VMEMMAP && EXTREME; Debian 6.1's ppc64el kernel (Fixtures/kconfig)
        { "S390", 12, 28, 46, false },            // Debian 6.1's s390x kernel (Fixtures/kconfig)
        { "LoongArch64", 14, 29, 48, true },      // arch/loongarch/include/asm/sparsemem.h; 16KB_3LEVEL is the Kconfig default
        { "Sparc64", 13, 30, 53, true },          // arch/sparc/include/asm/sparsemem.h and page_64.h (MAX_PHYS_ADDRESS_BITS 53)
        { "Arm", 12, 28, 36, true },              // the generic 32-bit arm defaults
    };

    [Fact]
    public void Every_preset_is_covered_by_the_table()
    {
        var names = Presets.Select(row => (string)row[0]).ToArray();
        Assert.Equal(ArchPresets.All.Select(a => a.ToString()).OrderBy(n => n), names.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Layout_defines_of_each_preset_carry_its_reference_values(string arch, int pageShift, int sectionSizeBits, int maxPhysmemBits, bool partlyUnverified)
    {
        _ = partlyUnverified;
        var result = Cli.Ok("layout", "--arch", arch, "--defines");
        result.HasDefine("PAGE_SHIFT", pageShift)
            .HasDefine("SECTION_SIZE_BITS", sectionSizeBits)
            .HasDefine("MAX_PHYSMEM_BITS", maxPhysmemBits)
            .HasDefine("SECTIONS_SHIFT", maxPhysmemBits - sectionSizeBits)
            .HasDefine("PFN_SECTION_SHIFT", sectionSizeBits - pageShift);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Arch_names_are_matched_without_case(string arch, int pageShift, int sectionSizeBits, int maxPhysmemBits, bool partlyUnverified)
    {
        _ = (sectionSizeBits, maxPhysmemBits, partlyUnverified);
        Cli.Ok("layout", "--arch", arch.ToLowerInvariant(), "--defines").HasDefine("PAGE_SHIFT", pageShift);
    }

    [Fact]
    public void Presets_command_lists_every_preset_with_its_values()
    {
        var result = Cli.Ok("presets");
        foreach (var row in Presets)
        {
            string name = (string)row[0];
            var cells = result.OutLines.Select(l => l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
                .Single(c => c.Length > 0 && c[0] == name);
            Assert.Equal(row[1].ToString(), cells[1]);
            Assert.Equal(row[2].ToString(), cells[2]);
            Assert.Equal(row[3].ToString(), cells[3]);
            Assert.Contains("SPARSEMEM", string.Join(' ', cells));
            Assert.Equal((bool)row[4], string.Join(' ', cells).Contains("UNVERIFIED"));
        }
    }

    // name, NODES_SHIFT, MAX_NR_ZONES, MAX_PAGE_ORDER: the values read from each architecture's
    // Kconfig (torvalds/linux), written by hand.
    public static readonly TheoryData<string, int, int, int> KconfigValues = new()
    {
        // arch/riscv/Kconfig: NODES_SHIFT default "2"; "select ZONE_DMA32 if 64BIT" and no ZONE_DMA
        // (DMA32, Normal, Movable); no ARCH_FORCE_MAX_ORDER, so include/linux/mmzone.h's 10.
        { "Riscv64", 2, 3, 10 },
        // arch/loongarch/Kconfig: NODES_SHIFT default "6"; selects ZONE_DMA32 only;
        // ARCH_FORCE_MAX_ORDER default "11" if PAGE_SIZE_16KB.
        { "LoongArch64", 6, 3, 11 },
        // arch/sparc/Kconfig: NODES_SHIFT default "5"; ZONE_DMA only for SPARC32, no ZONE_DMA32
        // (Normal, Movable); ARCH_FORCE_MAX_ORDER default "12" (6.4 on; FORCE_MAX_ZONEORDER "13" before).
        { "Sparc64", 5, 2, 12 },
        // arch/arm64/Kconfig of 5.10-5.11: NODES_SHIFT default "4" (commit 2a13c13b39a8); mm/Kconfig
        // ZONE_DMA and ZONE_DMA32 default y if ARM64; FORCE_MAX_ZONEORDER default "11", so 10.
        { "Arm64_4K_Pre512", 4, 4, 10 },
    };

    [Theory]
    [MemberData(nameof(KconfigValues))]
    public void Presets_carry_their_architectures_Kconfig_defaults(string arch, int nodesShift, int maxNrZones, int maxPageOrder)
    {
        Cli.Ok("layout", "--arch", arch, "--defines")
            .HasDefine("NODES_SHIFT", nodesShift)
            .HasDefine("MAX_NR_ZONES", maxNrZones)
            .HasDefine("MAX_PAGE_ORDER", maxPageOrder);
    }

    [Fact]
    public void Explicit_options_win_over_the_preset()
    {
        Cli.Ok("layout", "--arch", "X86_64", "--section-size-bits", "30", "--defines")
            .HasDefine("SECTION_SIZE_BITS", 30)
            .HasDefine("MAX_PHYSMEM_BITS", 46)
            .HasDefine("SECTIONS_SHIFT", 16);

        // Turning VMEMMAP off puts the section number back into page->flags: 46 - 27 = 19 bits.
        Cli.Ok("layout", "--arch", "X86_64", "--vmemmap", "false", "--defines")
            .HasDefine("SECTIONS_WIDTH", 19);

        // An explicit zone count replaces the preset's four zones.
        Cli.Ok("layout", "--arch", "X86_64", "--zones", "5", "--defines")
            .HasDefine("MAX_NR_ZONES", 5)
            .HasDefine("ZONES_WIDTH", 3);
    }

    [Fact]
    public void Flat_overrides_a_presets_sparse_model()
    {
        var result = Cli.Ok("layout", "--arch", "X86_32", "--flat", "--arch-pfn-offset", "0x100", "--defines");
        result.HasDefine("ARCH_PFN_OFFSET", 0x100).HasDefine("SECTIONS_SHIFT", 0);
        Assert.DoesNotContain(result.OutLines, l => l.StartsWith("#define SECTION_SIZE_BITS", System.StringComparison.Ordinal));
    }
}
