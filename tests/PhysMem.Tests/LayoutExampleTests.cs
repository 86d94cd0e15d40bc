using System.Linq;
using Xunit;

namespace PhysMem.Tests;

// The worked examples of the reference (sections 2 and 4): every number in their tables, computed
// by hand from the kernel's formulas, must come out of MemoryLayout exactly.
public class LayoutExampleTests
{
    [Theory]
    [InlineData(46, false, 19, 524_288UL, 256UL, 2048UL)]
    [InlineData(46, true, 19, 524_288UL, 128UL, 4096UL)]
    [InlineData(52, false, 25, 33_554_432UL, 256UL, 131_072UL)]
    [InlineData(52, true, 25, 33_554_432UL, 128UL, 262_144UL)]
    public void ExampleA_X86_64(int mpb, bool pageExtension, int sectionsShift, ulong nrMemSections, ulong sectionsPerRoot, ulong nrSectionRoots)
    {
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true, mpb) with { PageExtension = pageExtension });

        Assert.Equal(15, layout.PfnSectionShift);
        Assert.Equal(32_768UL, layout.PagesPerSection);
        Assert.Equal(0xFFFF_FFFF_FFFF_8000UL, layout.PageSectionMask);
        Assert.Equal(sectionsShift, layout.SectionsShift);
        Assert.Equal(nrMemSections, layout.NrMemSections);
        Assert.Equal(sectionsPerRoot, layout.SectionsPerRoot);
        Assert.Equal(sectionsPerRoot - 1, layout.SectionRootMask);
        Assert.Equal(nrSectionRoots, layout.NrSectionRoots);
        Assert.Equal(9, layout.PfnSubsectionShift);
        Assert.Equal(512UL, layout.PagesPerSubsection);
        Assert.Equal(64UL, layout.SubsectionsPerSection);
        Assert.Equal(1, layout.SubsectionMapLongs);
        Assert.Equal(2UL << 20, layout.PagesPerSection * (ulong)layout.StructPageSize);
    }

    [Theory]
    [InlineData(46, 16UL << 10, 8UL << 20)]
    [InlineData(52, 1UL << 20, 512UL << 20)]
    public void ExampleA_TableSizes(int mpb, ulong rootArrayBytes, ulong staticTableBytes)
    {
        var extreme = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true, mpb));
        var flat = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: false, mpb));

        Assert.Equal(rootArrayBytes, extreme.NrSectionRoots * 8);
        Assert.Equal(staticTableBytes, flat.NrSectionRoots * flat.SectionsPerRoot * (ulong)flat.MemSectionSize);
        Assert.Equal(1UL, flat.SectionsPerRoot);
    }

    [Theory]
    [InlineData(true, 8, 512UL, 64UL, 88UL)]
    [InlineData(false, 4, 256UL, 32UL, 56UL)]
    public void ExampleA_Usage(bool isolation, int nrPageblockBits, ulong blockflagsBits, ulong usemapSize, ulong usageSize)
    {
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true) with { MemoryIsolation = isolation });

        Assert.Equal(9, layout.PageblockOrder);
        Assert.Equal(nrPageblockBits, layout.NrPageblockBits);
        Assert.Equal(blockflagsBits, layout.SectionBlockflagsBits);
        Assert.Equal(usemapSize, layout.UsemapSize);
        Assert.Equal(usageSize, layout.MemSectionUsageSize);
    }

    [Theory]
    [InlineData(12, 18, 262_144UL, 0xFFFF_FFFF_FFFC_0000UL, 256UL, 1024UL, 9, 512UL, 16UL << 20)]
    [InlineData(16, 14, 16_384UL, 0xFFFF_FFFF_FFFF_C000UL, 4096UL, 64UL, 5, 32UL, 1UL << 20)]
    public void ExampleB_Ssb30_Mpb48(int pageShift, int pfnSectionShift, ulong pagesPerSection, ulong pageSectionMask, ulong sectionsPerRoot, ulong nrSectionRoots,
        int pfnSubsectionShift, ulong pagesPerSubsection, ulong memmapPerSection)
    {
        var layout = MemoryLayout.Create(new LayoutSpec
        {
            Model = Model.Sparse, PageShift = pageShift, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true, Extreme = true,
        });

        Assert.Equal(pfnSectionShift, layout.PfnSectionShift);
        Assert.Equal(pagesPerSection, layout.PagesPerSection);
        Assert.Equal(pageSectionMask, layout.PageSectionMask);
        Assert.Equal(18, layout.SectionsShift);
        Assert.Equal(262_144UL, layout.NrMemSections);
        Assert.Equal(sectionsPerRoot, layout.SectionsPerRoot);
        Assert.Equal(nrSectionRoots, layout.NrSectionRoots);
        Assert.Equal(512UL, layout.SubsectionsPerSection);
        Assert.Equal(8, layout.SubsectionMapLongs);
        Assert.Equal(pfnSubsectionShift, layout.PfnSubsectionShift);
        Assert.Equal(pagesPerSubsection, layout.PagesPerSubsection);
        Assert.Equal(memmapPerSection, layout.PagesPerSection * 64);
    }

    private static LayoutSpec ExampleCSpec(bool zoneDevice, int nrCpusBits = 8, int kasan = 0) => new()
    {
        Model = Model.Sparse,
        Vmemmap = true,
        Extreme = true,
        NodesShift = 10,
        NrCpusBits = nrCpusBits,
        NumaBalancing = true,
        LruGen = true,
        KasanTagWidth = kasan,
        NrPageflags = 25,
        Zones = LayoutDefaults.Zones64 | (zoneDevice ? Zones.Device : Zones.None),
    };

    [Fact]
    public void ExampleC_FiveZones()
    {
        var l = MemoryLayout.Create(ExampleCSpec(zoneDevice: true));

        Assert.Equal(5, l.MaxNrZones);
        Assert.Equal(3, l.ZonesWidth);
        Assert.Equal(10, l.NodesWidth);
        Assert.Equal(16, l.LastCpupidShift);
        Assert.Equal(16, l.LastCpupidWidth);
        Assert.Equal(2, l.LruRefsWidth);
        Assert.Equal(3, l.LruGenWidth);
        Assert.Equal(64, l.SectionsPgoff);
        Assert.Equal(0, l.SectionsPgshift);
        Assert.Equal(54, l.NodesPgoff);
        Assert.Equal(54, l.NodesPgshift);
        Assert.Equal(51, l.ZonesPgoff);
        Assert.Equal(51, l.ZonesPgshift);
        Assert.Equal(35, l.LastCpupidPgoff);
        Assert.Equal(35, l.LastCpupidPgshift);
        Assert.Equal(35, l.KasanTagPgoff);
        Assert.Equal(0, l.KasanTagPgshift);
        Assert.Equal(32, l.LruGenPgoff);
        Assert.Equal(0x7_0000_0000UL, l.LruGenMask);
        Assert.Equal(30, l.LruRefsPgoff);
        Assert.Equal(0xC000_0000UL, l.LruRefsMask);
        Assert.Equal(13, l.ZoneidShift);
        Assert.Equal(51, l.ZoneidPgshift);
        Assert.Equal(0x1FFFUL, l.ZoneidMask);
        Assert.Equal(0x3FFUL, l.NodesMask);
        Assert.Equal(0x7UL, l.ZonesMask);
        Assert.Equal(0xFFFFUL, l.LastCpupidMask);
        Assert.Equal(34, l.NrNonPageflagBits);
        Assert.Equal(5, l.NrUnusedPageflagBits);
    }

    [Fact]
    public void ExampleC_FourZones()
    {
        var l = MemoryLayout.Create(ExampleCSpec(zoneDevice: false));

        Assert.Equal(4, l.MaxNrZones);
        Assert.Equal(2, l.ZonesWidth);
        Assert.Equal(10, l.NodesWidth);
        Assert.Equal(16, l.LastCpupidWidth);
        Assert.Equal(2, l.LruRefsWidth);
        Assert.Equal(54, l.NodesPgshift);
        Assert.Equal(52, l.ZonesPgshift);
        Assert.Equal(36, l.LastCpupidPgshift);
        Assert.Equal(36, l.KasanTagPgoff);
        Assert.Equal(33, l.LruGenPgoff);
        Assert.Equal(0xE_0000_0000UL, l.LruGenMask);
        Assert.Equal(31, l.LruRefsPgoff);
        Assert.Equal(0x1_8000_0000UL, l.LruRefsMask);
        Assert.Equal(12, l.ZoneidShift);
        Assert.Equal(52, l.ZoneidPgshift);
        Assert.Equal(0xFFFUL, l.ZoneidMask);
        Assert.Equal(0x3UL, l.ZonesMask);
        Assert.Equal(33, l.NrNonPageflagBits);
        Assert.Equal(6, l.NrUnusedPageflagBits);
    }

    [Fact]
    public void ExampleC_Maxsmp_StillFits()
    {
        var l = MemoryLayout.Create(ExampleCSpec(zoneDevice: true, nrCpusBits: 13));

        Assert.Equal(21, l.LastCpupidWidth);
        Assert.False(l.LastCpupidNotInPageFlags);
    }

    [Fact]
    public void ExampleD_ClassicPae()
    {
        var l = MemoryLayout.Create(new LayoutSpec
        {
            Model = Model.Sparse,
            BitsPerLong = 32,
            SectionSizeBits = 29,
            MaxPhysmemBits = 36,
            Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable,
            NrPageflags = 22,
        });

        Assert.Equal(7, l.SectionsWidth);
        Assert.Equal(2, l.ZonesWidth);
        Assert.Equal(0, l.NodesWidth);
        Assert.Equal(25, l.SectionsPgoff);
        Assert.Equal(25, l.SectionsPgshift);
        Assert.Equal(25, l.NodesPgoff);
        Assert.Equal(0, l.NodesPgshift);
        Assert.Equal(23, l.ZonesPgoff);
        Assert.Equal(23, l.ZonesPgshift);
        Assert.Equal(2, l.ZoneidShift);
        Assert.Equal(23, l.ZoneidPgoff);
        Assert.Equal(1, l.NrUnusedPageflagBits);
        Assert.True(l.SectionInPageFlags);
        Assert.Equal(0xFFFF_FFF0UL, l.SectionMapMask);
    }

    [Theory]
    [InlineData("PMEM0103")]
    [InlineData("PMEM0104")]
    [InlineData("PMEM0106")]
    [InlineData("PMEM0107")]
    [InlineData("PMEM0109")]
    public void ErrorConfigurations_GiveTheirId(string id)
    {
        LayoutSpec spec = id switch
        {
            // SUBSECTION_SHIFT 21 > SECTION_SIZE_BITS 20.
            "PMEM0103" => Specs.X86_64(true, true) with { SectionSizeBits = 20 },
            // MAX_PAGE_ORDER 10 + PAGE_SHIFT 16 = 26 > SECTION_SIZE_BITS 24.
            "PMEM0104" => Specs.X86_64(true, true) with { PageShift = 16, SectionSizeBits = 24, MaxPageOrder = 10, PageblockOrder = 9 },
            // 9 zones need ZONES_SHIFT 4.
            "PMEM0106" => Specs.X86_64(true, true) with { MaxNrZones = 9 },
            // 2 zone bits + 10 node bits > 64 - 60 available, and vmemmap cannot drop the node.
            "PMEM0107" => Specs.X86_64(true, true) with { NodesShift = 10, NrPageflags = 60 },
            // 5 zones on 32 bits: 16 * 3 = 48 > 32.
            _ => new LayoutSpec { Model = Model.Flat, BitsPerLong = 32, MaxNrZones = 5, Zones = LayoutDefaults.Zones32, NrPageflags = 22 },
        };

        var result = MemoryLayout.Compute(spec);

        Assert.Null(result.Layout);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Descriptor.Severity == LayoutSeverity.Error);
        Assert.Throws<LayoutException>(() => MemoryLayout.Create(spec));
    }

    [Fact]
    public void NodeMovedOut_ReportsPmem0111()
    {
        // Classic sparse, 52-bit: 25 section bits + 2 zone bits + 3 LRU bits + 10 node bits = 40 > 39.
        var spec = Specs.X86_64(vmemmap: false, extreme: true, maxPhysmemBits: 52) with { NodesShift = 10, LruGen = true };
        var layout = MemoryLayout.Create(spec);

        Assert.True(layout.NodeNotInPageFlags);
        Assert.Equal(0, layout.NodesWidth);
        Assert.Contains(layout.Diagnostics, d => d.Id == "PMEM0111" && d.Descriptor.Severity == LayoutSeverity.Info);
        Assert.DoesNotContain(layout.Diagnostics, d => d.Id == "PMEM0112");
    }

    [Fact]
    public void LastCpupidMovedOut_ReportsPmem0112()
    {
        // Example C with MAXSMP (21 cpupid bits) and software KASAN tags (8): 3+3+10+8+21 = 45 > 39.
        var layout = MemoryLayout.Create(ExampleCSpec(zoneDevice: true, nrCpusBits: 13, kasan: 8));

        Assert.True(layout.LastCpupidNotInPageFlags);
        Assert.Equal(0, layout.LastCpupidWidth);
        Assert.Equal(0x1F_FFFFUL, layout.LastCpupidMask);
        Assert.Contains(layout.Diagnostics, d => d.Id == "PMEM0112");
        Assert.Equal(new[] { "PMEM0112" }, layout.Diagnostics.Select(d => d.Id).ToArray());
    }
}
