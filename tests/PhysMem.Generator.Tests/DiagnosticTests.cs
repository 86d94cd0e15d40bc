using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>Every diagnostic: its ID, its exact message with the values involved, and the text of its span.</summary>
public class DiagnosticTests
{
    /// <summary>Runs the generator on <paramref name="source"/> (in namespace N) and checks the one diagnostic with that ID.</summary>
    internal static void Expect(string source, string id, string message, string spanText, DiagnosticSeverity severity = DiagnosticSeverity.Error, bool allowUnsafe = true)
    {
        var run = GeneratorHarness.Run("using PhysMem;\nnamespace N;\n" + source, allowUnsafe);
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == id);
        Assert.Equal(message, d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(severity, d.Severity);
        Assert.True(d.Location.IsInSource, "the diagnostic has no source location");
        Assert.Equal(spanText, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Equal("docs/diagnostics/" + id + ".md", d.Descriptor.HelpLinkUri);
        if (severity == DiagnosticSeverity.Error)
        {
            DiagnosticAssert.Refused(run);
        }
    }

    [Fact]
    public void PMEM0001_TypeNotPartial() => Expect(
        "[MemoryModel(Model.Sparse)] public class M { }",
        "PMEM0001", "The type 'N.M' carries [MemoryModel] but 'M' is not declared partial; add the 'partial' modifier so the generated half can be added", "M");

    [Fact]
    public void PMEM0001_ContainingTypeNotPartial() => Expect(
        "public class Outer { [MemoryModel(Model.Flat)] public partial class M { } }",
        "PMEM0001", "The type 'N.Outer.M' carries [MemoryModel] but 'Outer' is not declared partial; add the 'partial' modifier so the generated half can be added", "Outer");

    [Theory]
    [InlineData("public partial record M;")]
    [InlineData("public partial record struct M;")]
    public void PMEM0009_Record(string declaration) => Expect(
        "[MemoryModel(Model.Flat)] " + declaration,
        "PMEM0009", "The type 'N.M' is a record; a memory model owns unmanaged storage and raw page pointers, which records cannot hold or compare by value: declare it as a partial class", "M");

    [Fact]
    public void PMEM0002_GenericType() => Expect(
        "[MemoryModel(Model.Flat)] public partial class M<T> { }",
        "PMEM0002", "The type 'N.M<T>' is generic; a memory model's constants and storage belong to one non-generic type", "M");

    [Theory]
    [InlineData("PageShift = 11", "PageShift = 11 is out of range: the kernel's page sizes run from 4 KiB (12) to 256 KiB (18)")]
    [InlineData("BitsPerLong = 48", "BitsPerLong = 48 is out of range: BITS_PER_LONG is 32 or 64")]
    [InlineData("KasanTagWidth = 5", "KasanTagWidth = 5 is out of range: KASAN_TAG_WIDTH is 0 (no tags), 4 (hardware tags) or 8 (software tags)")]
    [InlineData("NodesShift = 11", "NodesShift = 11 is out of range: CONFIG_NODES_SHIFT ranges from 1 to 10 (0 means no NUMA)")]
    [InlineData("NrPageflags = -1", "NrPageflags = -1 is out of range: NR_PAGEFLAGS counts bits of a 64-bit page->flags")]
    [InlineData("Zones = Zones.Dma | Zones.Normal", "Zones = Dma, Normal is out of range: every kernel has ZONE_NORMAL and ZONE_MOVABLE, so Zones must include Normal and Movable")]
    public void PMEM0003_OutOfRange(string argument, string message) => Expect(
        $"[MemoryModel(Model.Sparse, Vmemmap = true, {argument})] public partial class M {{ }}", "PMEM0003", message, argument);

    [Theory]
    [InlineData("Model.Flat, Vmemmap = true", "Vmemmap = true", "Vmemmap needs Model.Sparse, but the model is Flat (SPARSEMEM_VMEMMAP depends on SPARSEMEM)")]
    [InlineData("Model.Flat, Extreme = true", "Extreme = true", "Extreme needs Model.Sparse, but the model is Flat (SPARSEMEM_EXTREME depends on SPARSEMEM)")]
    [InlineData("Model.Sparse, ArchPfnOffset = 16", "ArchPfnOffset = 16", "ArchPfnOffset needs Model.Flat, but the model is Sparse (ARCH_PFN_OFFSET is where FLATMEM's mem_map starts; other models index by absolute pfn)")]
    [InlineData("Model.Sparse, Vmemmap = true, NumaBalancing = true", "NumaBalancing = true", "NumaBalancing needs NUMA (NodesShift > 0), but NodesShift is 0 (NUMA_BALANCING depends on NUMA)")]
    [InlineData("Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, LruGen = true", "LruGen = true", "LruGen needs a 64-bit kernel, a non-sparse model or Vmemmap, but the model is 32-bit classic SPARSEMEM (LRU_GEN depends on 64BIT || !SPARSEMEM || SPARSEMEM_VMEMMAP, for space in page->flags)")]
    [InlineData("Model.Sparse, ZoneDevice = true", "ZoneDevice = true", "ZoneDevice needs Model.Sparse with Vmemmap on a 64-bit kernel, but Vmemmap is false (ZONE_DEVICE depends on MEMORY_HOTPLUG (64BIT), MEMORY_HOTREMOVE and SPARSEMEM_VMEMMAP)")]
    [InlineData("Model.Sparse, Zones = Zones.Normal | Zones.Movable | Zones.HighMem", "Zones = Zones.Normal | Zones.Movable | Zones.HighMem", "Zones.HighMem needs a 32-bit kernel, but BitsPerLong is 64 (CONFIG_HIGHMEM is offered on 32-bit architectures only)")]
    public void PMEM0004_KconfigDependency(string arguments, string span, string message) => Expect(
        $"[MemoryModel({arguments})] public partial class M {{ }}", "PMEM0004", message, span);

    [Fact]
    public void PMEM0005_UnsafeRequired() => Expect(
        "[MemoryModel(Model.Flat)] public partial class M { }",
        "PMEM0005", "The memory model 'N.M' works on raw pages and needs unsafe code: set <AllowUnsafeBlocks>true</AllowUnsafeBlocks> in the project file",
        "MemoryModel(Model.Flat)", allowUnsafe: false);

    [Theory]
    [InlineData("[MemoryBank(0x1000, 0)]", "[MemoryBank(0x1000, 0x0, Node = 0)] is empty")]
    [InlineData("[MemoryBank(0x1000, 0x800)]", "[MemoryBank(0x1000, 0x800, Node = 0)] holds no whole page of 4096 bytes")]
    [InlineData("[MemoryBank(0x100000, 0x100000, Node = 2)]", "[MemoryBank(0x100000, 0x100000, Node = 2)] is on node 2, but MAX_NUMNODES = 2 (NodesShift = 1): nodes run from 0 to 1")]
    [InlineData("[MemoryBank(0x0, 0x200000)][MemoryBank(0x100000, 0x200000)]", "[MemoryBank(0x100000, 0x200000, Node = 0)] overlaps [MemoryBank(0x0, 0x200000)]")]
    [InlineData("[MemoryBank(0x0, 0x100000, Node = 0)][MemoryBank(0x200000, 0x100000, Node = 1)][MemoryBank(0x400000, 0x100000, Node = 0)]", "[MemoryBank(0x200000, 0x100000, Node = 1)] lies inside the span of node 0 (0x0-0x4FFFFF); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave")]
    public void PMEM0010_InvalidBank(string banks, string message)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\nnamespace N;\n[MemoryModel(Model.Discontig, NodesShift = 1)]{banks} public partial class M {{ }}");
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "PMEM0010");
        Assert.Equal(message, d.GetMessage(CultureInfo.InvariantCulture));
        Assert.StartsWith("MemoryBank(", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), System.StringComparison.Ordinal);
        DiagnosticAssert.Refused(run);
    }

    [Fact]
    public void PMEM0007_Conflict() => Expect(
        "[MemoryModel(Model.Sparse, Vmemmap = true, NrCpus = 64, NrCpusBits = 3)] public partial class M { }",
        "PMEM0007", "NrCpus = 64 and NrCpusBits = 3 contradict each other: give one of them", "NrCpusBits = 3");

    [Fact]
    public void PMEM0008_NotAModel() => Expect(
        "[MemoryModel((Model)7)] public partial class M { }",
        "PMEM0008", "The value given for Model is not valid: '7' is not one of Flat, Discontig or Sparse", "(Model)7");

    // The one range of SECTION_SIZE_BITS for the default x86-64 inputs (4 KiB pages, MAX_PAGE_ORDER 10,
    // 46-bit addresses), which every message about the section size states.
    private const string SectionRange = "SECTION_SIZE_BITS may run from 22 to 46 here (at least SUBSECTION_SHIFT = 21, PAGE_SHIFT + SECTION_MAP_LAST_BIT = 16 and MAX_PAGE_ORDER + PAGE_SHIFT = 10 + 12 = 22; at most MAX_PHYSMEM_BITS = 46)";

    [Theory]
    [InlineData("SectionSizeBits = 10", "PMEM0101", "SECTION_SIZE_BITS = 10 is out of range: " + SectionRange, "SectionSizeBits = 10")]
    [InlineData("SectionSizeBits = 50", "PMEM0101", "SECTION_SIZE_BITS = 50 is out of range: " + SectionRange, "SectionSizeBits = 50")]
    [InlineData("MaxPhysmemBits = 65", "PMEM0102", "MAX_PHYSMEM_BITS = 65 is too large: physical addresses (phys_addr_t) are at most 64 bits", "MaxPhysmemBits = 65")]
    [InlineData("SectionSizeBits = 20", "PMEM0103", "Subsection size exceeds section size: SUBSECTION_SHIFT = 21 > SECTION_SIZE_BITS = 20; " + SectionRange, "SectionSizeBits = 20")]
    [InlineData("SectionSizeBits = 21", "PMEM0104", "Allocator MAX_PAGE_ORDER exceeds SECTION_SIZE: MAX_PAGE_ORDER + PAGE_SHIFT = 10 + 12 = 22 > SECTION_SIZE_BITS = 21; " + SectionRange, "SectionSizeBits = 21")]
    [InlineData("PageShift = 18, SectionSizeBits = 21, MaxPageOrder = 3", "PMEM0105", "SECTION_MAP_LAST_BIT = 4 > PFN_SECTION_SHIFT = 3: the flag bits of section_mem_map would overlap the encoded memmap pointer", "SectionSizeBits = 21")]
    [InlineData("MaxNrZones = 9", "PMEM0106", "MAX_NR_ZONES = 9 is too many zones: ZONES_SHIFT can describe at most 8", "MaxNrZones = 9")]
    [InlineData("NodesShift = 10, NrPageflags = 60", "PMEM0107", "Vmemmap: no space for nodes field in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = 2 + 0 + 0 + 10 = 12 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 60 = 4", "NodesShift = 10")]
    [InlineData("PageblockOrder = 11", "PMEM0110", "pageblock_order = 11 > MAX_PAGE_ORDER = 10: a pageblock cannot be larger than the largest buddy allocation", "PageblockOrder = 11")]
    public void PMEM01xx_KernelBuildErrors_Vmemmap(string arguments, string id, string message, string span) => Expect(
        $"[MemoryModel(Model.Sparse, Vmemmap = true, {arguments})] public partial class M {{ }}", id, message, span);

    [Fact]
    public void PMEM0108_NotEnoughBits() => Expect(
        "[MemoryModel(Model.Sparse, MaxPhysmemBits = 52, NrPageflags = 40)] public partial class M { }",
        "PMEM0108", "Not enough bits in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_WIDTH + KASAN_TAG_WIDTH + LAST_CPUPID_WIDTH = 27 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 40 = 24",
        "NrPageflags = 40");

    [Fact]
    public void PMEM0109_GfpZonesShift() => Expect(
        "[MemoryModel(Model.Sparse, BitsPerLong = 32, SectionSizeBits = 26, MaxPhysmemBits = 32, MaxNrZones = 5)] public partial class M { }",
        "PMEM0109", "GFP_ZONES_SHIFT too large to create GFP_ZONE_TABLE integer: 16 * GFP_ZONES_SHIFT = 16 * 3 = 48 > BITS_PER_LONG = 32 (MAX_NR_ZONES = 5)",
        "MaxNrZones = 5");

    [Fact]
    public void PMEM0111_NodeMovesOutOfPageFlags()
    {
        Expect(
            "[MemoryModel(Model.Sparse, NodesShift = 10, NrPageflags = 35)] public partial class M { }",
            "PMEM0111", "NODES_SHIFT = 10 does not fit in page->flags beside the other fields (31 > 29 bits available), so NODE_NOT_IN_PAGE_FLAGS: a page's node is read from section_to_node_table, indexed by its section",
            "NodesShift = 10", DiagnosticSeverity.Info);
    }

    [Fact]
    public void PMEM0112_LastCpupidMovesOutOfPageFlags() => Expect(
        "[MemoryModel(Model.Sparse, Vmemmap = true, NodesShift = 6, NumaBalancing = true, NrCpusBits = 13, NrPageflags = 40)] public partial class M { }",
        "PMEM0112", "LAST_CPUPID_SHIFT = 21 does not fit in page->flags beside the other fields (29 > 24 bits available), so LAST_CPUPID_NOT_IN_PAGE_FLAGS: last_cpupid lives in the page's _last_cpupid field",
        "NrCpusBits = 13", DiagnosticSeverity.Info);

    [Fact]
    public void PMEM0113_FlatNodeHasNowhereToGo() => Expect(
        "[MemoryModel(Model.Flat, NodesShift = 10, NrPageflags = 60)] public partial class M { }",
        "PMEM0113", "NODES_SHIFT = 10 does not fit in page->flags (12 > 4 bits available) and FLATMEM has no section_to_node_table to hold it (page_to_nid is only provided by mm/sparse.c)",
        "NodesShift = 10");

    [Fact]
    public void InfoDiagnosticsStillEmitTheModel()
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model.Sparse, NodesShift = 10, NrPageflags = 35)] public partial class M { }");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "PMEM0111");
        Assert.Contains("public int PageToNid(", run.SingleSource);
        Assert.Contains("Note PMEM0111", run.SingleSource);
    }

    [Fact]
    public void ReleaseTrackingListsEveryCatalogId()
    {
        var unshipped = System.IO.File.ReadAllText(Repo.Path("generator", "PhysMem.Generator", "AnalyzerReleases.Unshipped.md"));
        var listed = unshipped.Split('\n').Where(l => l.StartsWith("PMEM", System.StringComparison.Ordinal)).Select(l => l.Split('|')[0].Trim()).ToList();
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id).OrderBy(x => x), listed.OrderBy(x => x));
        foreach (var d in DiagnosticCatalog.All)
        {
            Assert.Contains($"{d.Id} | PhysMem.{d.Category} | {d.Severity} | {d.Title}", unshipped);
        }
    }
}
