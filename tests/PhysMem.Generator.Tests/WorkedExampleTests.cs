using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The worked examples of the reference, through the generator: the emitted constants compile
/// without warnings and equal the numbers in the reference's tables (typed in here by hand).
/// </summary>
public class WorkedExampleTests
{
    private static CompiledModel Build(string attribute) =>
        CompiledModel.From(GeneratorHarness.Run($$"""
            using PhysMem;
            namespace Examples;
            [MemoryModel({{attribute}})]
            public partial class M { }
            """));

    [Theory]
    [InlineData(46, 19, 524_288UL, 2048UL)]
    [InlineData(52, 25, 33_554_432UL, 131_072UL)]
    public void Example_A_X86_64(int mpb, int sectionsShift, ulong nrMemSections, ulong nrSectionRoots)
    {
        var m = Build($"Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = {mpb}, Vmemmap = true, Extreme = true");
        Assert.Equal(15, m.Constant("Examples.M", "PfnSectionShift"));
        Assert.Equal(32_768UL, m.Constant("Examples.M", "PagesPerSection"));
        Assert.Equal(0xFFFF_FFFF_FFFF_8000UL, m.Constant("Examples.M", "PageSectionMask"));
        Assert.Equal(sectionsShift, m.Constant("Examples.M", "SectionsShift"));
        Assert.Equal(nrMemSections, m.Constant("Examples.M", "NrMemSections"));
        Assert.Equal(256UL, m.Constant("Examples.M", "SectionsPerRoot"));
        Assert.Equal(255UL, m.Constant("Examples.M", "SectionRootMask"));
        Assert.Equal(nrSectionRoots, m.Constant("Examples.M", "NrSectionRoots"));
        Assert.Equal(9, m.Constant("Examples.M", "PfnSubsectionShift"));
        Assert.Equal(512UL, m.Constant("Examples.M", "PagesPerSubsection"));
        Assert.Equal(64UL, m.Constant("Examples.M", "SubsectionsPerSection"));
        Assert.Equal(512UL, m.Constant("Examples.M", "SectionBlockflagsBits"));
    }

    [Fact]
    public void Example_A_page_extension_halves_sections_per_root()
    {
        var m = Build("Model.Sparse, Vmemmap = true, Extreme = true, PageExtension = true");
        Assert.Equal(128UL, m.Constant("Examples.M", "SectionsPerRoot"));
        Assert.Equal(127UL, m.Constant("Examples.M", "SectionRootMask"));
        Assert.Equal(4096UL, m.Constant("Examples.M", "NrSectionRoots"));
    }

    [Theory]
    [InlineData(12, 18, 262_144UL, 0xFFFF_FFFF_FFFC_0000UL, 256UL, 1024UL, 9, 512UL)]
    [InlineData(16, 14, 16_384UL, 0xFFFF_FFFF_FFFF_C000UL, 4096UL, 64UL, 5, 32UL)]
    public void Example_B_SSB_30_MPB_48(int pageShift, int pfnSectionShift, ulong pagesPerSection, ulong pageSectionMask, ulong sectionsPerRoot, ulong roots, int pfnSubsectionShift, ulong pagesPerSubsection)
    {
        // 64 KiB pages allow MAX_PAGE_ORDER 13 on arm64; 10 keeps the order check satisfied for both.
        var m = Build($"Model.Sparse, PageShift = {pageShift}, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true, Extreme = true");
        Assert.Equal(pfnSectionShift, m.Constant("Examples.M", "PfnSectionShift"));
        Assert.Equal(pagesPerSection, m.Constant("Examples.M", "PagesPerSection"));
        Assert.Equal(pageSectionMask, m.Constant("Examples.M", "PageSectionMask"));
        Assert.Equal(18, m.Constant("Examples.M", "SectionsShift"));
        Assert.Equal(262_144UL, m.Constant("Examples.M", "NrMemSections"));
        Assert.Equal(sectionsPerRoot, m.Constant("Examples.M", "SectionsPerRoot"));
        Assert.Equal(roots, m.Constant("Examples.M", "NrSectionRoots"));
        Assert.Equal(512UL, m.Constant("Examples.M", "SubsectionsPerSection"));
        Assert.Equal(pfnSubsectionShift, m.Constant("Examples.M", "PfnSubsectionShift"));
        Assert.Equal(pagesPerSubsection, m.Constant("Examples.M", "PagesPerSubsection"));
    }

    [Theory]
    [InlineData("Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable | Zones.Device", 3, 51, 35, 32, 0x7_0000_0000UL, 30, 0xC000_0000UL, 13, 0x1FFFUL, 0x7UL, 34, 5)]
    [InlineData("Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable", 2, 52, 36, 33, 0xE_0000_0000UL, 31, 0x1_8000_0000UL, 12, 0xFFFUL, 0x3UL, 33, 6)]
    public void Example_C_X86_64_defconfig(string zones, int zonesWidth, int zonesPgoff, int lastCpupidPgoff, int lruGenPgoff, ulong lruGenMask,
        int lruRefsPgoff, ulong lruRefsMask, int zoneidShift, ulong zoneidMask, ulong zonesMask, int nonPageflagBits, int unused)
    {
        var m = Build($"Model.Sparse, Vmemmap = true, Extreme = true, NodesShift = 10, NrCpus = 256, NumaBalancing = true, LruGen = true, NrPageflags = 25, Zones = {zones}");
        const string t = "Examples.M";
        Assert.Equal(zonesWidth, m.Constant(t, "ZonesWidth"));
        Assert.Equal(10, m.Constant(t, "NodesWidth"));
        Assert.Equal(16, m.Constant(t, "LastCpupidWidth"));
        Assert.Equal(2, m.Constant(t, "LruRefsWidth"));
        Assert.Equal(64, m.Constant(t, "SectionsPgoff"));
        Assert.Equal(0, m.Constant(t, "SectionsPgshift"));
        Assert.Equal(54, m.Constant(t, "NodesPgoff"));
        Assert.Equal(54, m.Constant(t, "NodesPgshift"));
        Assert.Equal(zonesPgoff, m.Constant(t, "ZonesPgoff"));
        Assert.Equal(zonesPgoff, m.Constant(t, "ZonesPgshift"));
        Assert.Equal(lastCpupidPgoff, m.Constant(t, "LastCpupidPgoff"));
        Assert.Equal(lastCpupidPgoff, m.Constant(t, "LastCpupidPgshift"));
        Assert.Equal(lastCpupidPgoff, m.Constant(t, "KasanTagPgoff"));
        Assert.Equal(0, m.Constant(t, "KasanTagPgshift"));
        Assert.Equal(lruGenPgoff, m.Constant(t, "LruGenPgoff"));
        Assert.Equal(lruGenMask, m.Constant(t, "LruGenMask"));
        Assert.Equal(lruRefsPgoff, m.Constant(t, "LruRefsPgoff"));
        Assert.Equal(lruRefsMask, m.Constant(t, "LruRefsMask"));
        Assert.Equal(zoneidShift, m.Constant(t, "ZoneidShift"));
        Assert.Equal(zonesPgoff, m.Constant(t, "ZoneidPgshift"));
        Assert.Equal(zoneidMask, m.Constant(t, "ZoneidMask"));
        Assert.Equal(0x3FFUL, m.Constant(t, "NodesMask"));
        Assert.Equal(zonesMask, m.Constant(t, "ZonesMask"));
        Assert.Equal(0xFFFFUL, m.Constant(t, "LastCpupidMask"));
        Assert.Equal(nonPageflagBits, m.Constant(t, "NrNonPageflagBits"));
        Assert.Equal(unused, m.Constant(t, "NrUnusedPageflagBits"));
        Assert.Equal(false, m.Constant(t, "NodeNotInPageFlags"));
    }

    [Fact]
    public void Example_D_classic_sparse_32_bit_PAE()
    {
        var m = Build("Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, NrPageflags = 22");
        const string t = "Examples.M";
        Assert.Equal(7, m.Constant(t, "SectionsWidth"));
        Assert.Equal(2, m.Constant(t, "ZonesWidth"));
        Assert.Equal(25, m.Constant(t, "SectionsPgoff"));
        Assert.Equal(25, m.Constant(t, "SectionsPgshift"));
        Assert.Equal(25, m.Constant(t, "NodesPgoff"));
        Assert.Equal(0, m.Constant(t, "NodesPgshift"));
        Assert.Equal(23, m.Constant(t, "ZonesPgoff"));
        Assert.Equal(23, m.Constant(t, "ZonesPgshift"));
        Assert.Equal(2, m.Constant(t, "ZoneidShift"));
        Assert.Equal(23, m.Constant(t, "ZoneidPgoff"));
        Assert.Equal(1, m.Constant(t, "NrUnusedPageflagBits"));
        Assert.Equal(0xFFFE_0000UL, m.Constant(t, "PageSectionMask"));
        Assert.True(m.HasMember(t, "PageToSection"), "classic SPARSEMEM keeps the section in page->flags");
    }

    // include/linux/mmzone.h (6.15): PRESENT, HAS_MEM_MAP, IS_ONLINE, IS_EARLY, [TAINT_ZONE_DEVICE],
    // [IS_VMEMMAP_PREINIT], SECTION_MAP_LAST_BIT; SECTION_MAP_MASK = ~(BIT(SECTION_MAP_LAST_BIT) - 1),
    // SECTION_NID_SHIFT = SECTION_MAP_LAST_BIT. Written out by hand for each set of bits.
    [Theory]
    [InlineData("", 0UL, 0UL, 4, 0xFFFF_FFFF_FFFF_FFF0UL)]
    [InlineData(", VmemmapPreinit = true", 0UL, 0x10UL, 5, 0xFFFF_FFFF_FFFF_FFE0UL)]
    [InlineData(", ZoneDevice = true", 0x10UL, 0UL, 5, 0xFFFF_FFFF_FFFF_FFE0UL)]
    [InlineData(", ZoneDevice = true, VmemmapPreinit = true", 0x10UL, 0x20UL, 6, 0xFFFF_FFFF_FFFF_FFC0UL)]
    public void Vmemmap_preinit_takes_the_next_section_flag_bit_and_moves_the_map_mask(string extra, ulong taint, ulong preinit, int lastBit, ulong mask)
    {
        var m = Build("Model.Sparse, Vmemmap = true" + extra);
        Assert.Equal(taint != 0, m.HasMember("Examples.M", "SectionTaintZoneDevice"));
        Assert.Equal(preinit != 0, m.HasMember("Examples.M", "SectionIsVmemmapPreinit"));
        if (preinit != 0)
        {
            Assert.Equal(preinit, m.Constant("Examples.M", "SectionIsVmemmapPreinit"));
        }

        Assert.Equal(lastBit, m.Constant("Examples.M", "SectionMapLastBit"));
        Assert.Equal(lastBit, m.Constant("Examples.M", "SectionNidShift"));
        Assert.Equal(mask, m.Constant("Examples.M", "SectionMapMask"));
    }

    // include/linux/pageblock-flags.h (6.16+), THP with 4 KiB pages: pageblock_order =
    // MIN_T(unsigned int, HPAGE_PMD_ORDER, PAGE_BLOCK_MAX_ORDER), HPAGE_PMD_ORDER = 21 - 12 = 9;
    // mm/sparse.c: SECTION_BLOCKFLAGS_BITS = (1 << (PFN_SECTION_SHIFT - pageblock_order)) * NR_PAGEBLOCK_BITS
    // with PFN_SECTION_SHIFT = 27 - 12 = 15 and NR_PAGEBLOCK_BITS = 8 (with MEMORY_ISOLATION).
    [Theory]
    [InlineData(10, 9, 512UL)]
    [InlineData(9, 9, 512UL)]
    [InlineData(7, 7, 2048UL)]
    [InlineData(1, 1, 131_072UL)]
    public void Page_block_max_order_caps_the_pageblock_order(int limit, int pageblockOrder, ulong blockflagsBits)
    {
        var m = Build($"Model.Sparse, Vmemmap = true, PageBlockMaxOrder = {limit}");
        Assert.Equal(limit, m.Constant("Examples.M", "PageBlockMaxOrder"));
        Assert.Equal(pageblockOrder, m.Constant("Examples.M", "PageblockOrder"));
        Assert.Equal(blockflagsBits, m.Constant("Examples.M", "SectionBlockflagsBits"));
    }

    [Fact]
    public void Without_the_new_inputs_no_new_constants_are_emitted()
    {
        var m = Build("Model.Sparse, Vmemmap = true");
        Assert.False(m.HasMember("Examples.M", "PageBlockMaxOrder"));
        Assert.False(m.HasMember("Examples.M", "SectionIsVmemmapPreinit"));
        Assert.Equal(9, m.Constant("Examples.M", "PageblockOrder"));
    }

    [Fact]
    public void Only_the_models_names_are_emitted()
    {
        var flat = Build("Model.Flat, ArchPfnOffset = 0x80000");
        Assert.Equal(0x80000UL, flat.Constant("Examples.M", "ArchPfnOffset"));
        Assert.False(flat.HasMember("Examples.M", "PfnSectionShift"));
        Assert.False(flat.HasMember("Examples.M", "NrMemSections"));
        Assert.False(flat.HasMember("Examples.M", "PfnToSectionNr"));
        Assert.Equal(0, flat.Constant("Examples.M", "SectionsShift"));

        var vmemmap = Build("Model.Sparse, Vmemmap = true");
        Assert.False(vmemmap.HasMember("Examples.M", "ArchPfnOffset"));
        Assert.False(vmemmap.HasMember("Examples.M", "PageToSection"));
        Assert.False(vmemmap.HasMember("Examples.M", "SectionTaintZoneDevice"));
        Assert.Equal(0, vmemmap.Constant("Examples.M", "SectionsWidth"));
    }
}

/// <summary>Architecture presets through the generator, against the reference's table and real boot logs.</summary>
public class PresetTests
{
    [Theory]
    [InlineData("Arch.X86_64", 12, 27, 46)]
    [InlineData("Arch.X86_64_5Level", 12, 27, 52)]
    [InlineData("Arch.X86_32_Pae", 12, 29, 36)]
    [InlineData("Arch.Arm64_4K", 12, 27, 48)]
    [InlineData("Arch.Arm64_16K", 14, 27, 48)]
    [InlineData("Arch.Arm64_64K", 16, 29, 48)]
    [InlineData("Arch.Arm64_4K_Pre512", 12, 30, 48)] // arch/arm64/include/asm/sparsemem.h before 5.12
    [InlineData("Arch.Riscv64", 12, 27, 56)]         // arch/riscv/include/asm/sparsemem.h
    [InlineData("Arch.Ppc64", 16, 24, 51)]
    [InlineData("Arch.S390", 12, 28, 46)]
    [InlineData("Arch.LoongArch64", 14, 29, 48)]     // arch/loongarch/include/asm/sparsemem.h
    [InlineData("Arch.Sparc64", 13, 30, 53)]         // arch/sparc/include/asm/sparsemem.h, page_64.h
    public void Presets_carry_the_architectures_values(string arch, int pageShift, int ssb, int mpb)
    {
        var (run, m) = RunPreset(arch);
        Assert.Equal(pageShift, m.Constant("M", "PageShift"));
        Assert.Equal(ssb, m.Constant("M", "SectionSizeBits"));
        Assert.Equal(mpb, m.Constant("M", "MaxPhysmemBits"));
        Assert.Contains($"SectionSizeBits = {ssb} (preset {arch.Substring(5)})", run.SingleSource);
    }

    /// <summary>
    /// The values the Kconfig of riscv, loongarch and sparc gives their 64-bit kernels (torvalds/linux
    /// arch/riscv/Kconfig, arch/loongarch/Kconfig, arch/sparc/Kconfig), written by hand: NODES_SHIFT's
    /// default with NUMA, the zones they select (ZONE_DMA32 alone on riscv64 and loongarch64, neither on
    /// sparc64), and ARCH_FORCE_MAX_ORDER's default (none on riscv, so mmzone.h's 10).
    /// </summary>
    [Theory]
    [InlineData("Arch.Riscv64", 2, 3, 10)]      // NODES_SHIFT "2"; select ZONE_DMA32 if 64BIT
    [InlineData("Arch.LoongArch64", 6, 3, 11)]  // NODES_SHIFT "6"; select ZONE_DMA32; "11" if PAGE_SIZE_16KB
    [InlineData("Arch.Sparc64", 5, 2, 12)]      // NODES_SHIFT "5"; ZONE_DMA only for SPARC32; "12"
    public void Presets_carry_the_architectures_Kconfig_defaults(string arch, int nodesShift, int maxNrZones, int maxPageOrder)
    {
        var (_, m) = RunPreset(arch);
        Assert.Equal(nodesShift, m.Constant("M", "NodesShift"));
        Assert.Equal(maxNrZones, m.Constant("M", "MaxNrZones"));
        Assert.Equal(maxPageOrder, m.Constant("M", "MaxPageOrder"));
    }

    /// <summary>Generates and compiles a model of the bare preset, with no generator error.</summary>
    private static (GeneratorRun Run, CompiledModel Model) RunPreset(string arch)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel({arch})] public partial class M {{ }}");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        return (run, CompiledModel.From(run));
    }

    [Fact]
    public void Named_properties_override_the_preset()
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Arch.X86_64, MaxPhysmemBits = 52, NodesShift = 10)] public partial class M { }");
        var m = CompiledModel.From(run);
        Assert.Equal(52, m.Constant("M", "MaxPhysmemBits"));
        Assert.Equal(25, m.Constant("M", "SectionsShift"));
        Assert.Equal(10, m.Constant("M", "NodesShift"));
        Assert.Contains("MaxPhysmemBits = 52 (attribute)", run.SingleSource);
        Assert.Contains("SectionSizeBits = 27 (preset X86_64)", run.SingleSource);
    }

    /// <summary>
    /// The five mminit lines a real arm64 kernel (4 KiB pages, no NUMA, 25 page flags) printed at
    /// boot with mminit_loglevel, as published in a kernel debugging note.
    /// </summary>
    [Fact]
    public void Mminit_lines_match_a_real_Arm64_boot()
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Arch.Arm64_4K, NodesShift = 0)] public partial class M { }");
        var m = CompiledModel.From(run);
        var layout = (MemoryLayout)m.Type("M").GetProperty("Layout")!.GetValue(null)!;
        Assert.Equal(
            "mminit::pageflags_layout_widths Section 0 Node 0 Zone 2 Lastcpupid 0 Kasantag 0 Gen 0 Tier 0 Flags 25\n" +
            "mminit::pageflags_layout_shifts Section 21 Node 0 Zone 2 Lastcpupid 0 Kasantag 0\n" +
            "mminit::pageflags_layout_pgshifts Section 0 Node 0 Zone 62 Lastcpupid 0 Kasantag 0\n" +
            "mminit::pageflags_layout_nodezoneid Node/Zone ID: 64 -> 62\n" +
            "mminit::pageflags_layout_usage location: 64 -> 62 layout 62 -> 25 unused 25 -> 0 page-flags\n",
            layout.ToMminitLines());
    }

    /// <summary>
    /// A NUMA boot log of an older kernel with classic SPARSEMEM (Section 20 Node 6 Zone 1, 22 flags):
    /// its pgshifts, node/zone id and usage numbers.
    /// </summary>
    [Fact]
    public void Mminit_numbers_match_a_classic_sparse_NUMA_boot()
    {
        var layout = MemoryLayout.Create(new LayoutSpec
        {
            Model = Model.Sparse, SectionSizeBits = 28, MaxPhysmemBits = 48, NodesShift = 6,
            Zones = Zones.Normal | Zones.Movable, NrPageflags = 22,
        });
        var lines = layout.ToMminitLines().Split('\n');
        Assert.StartsWith("mminit::pageflags_layout_widths Section 20 Node 6 Zone 1 Lastcpupid 0", lines[0], System.StringComparison.Ordinal);
        Assert.StartsWith("mminit::pageflags_layout_pgshifts Section 44 Node 38 Zone 37 Lastcpupid 0", lines[2], System.StringComparison.Ordinal);
        Assert.Equal("mminit::pageflags_layout_nodezoneid Node/Zone ID: 44 -> 37", lines[3]);
        Assert.Equal("mminit::pageflags_layout_usage location: 64 -> 37 layout 37 -> 22 unused 22 -> 0 page-flags", lines[4]);
    }
}
