using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using static PhysMem.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace PhysMem.Generator.Tests;

/// <summary>Every diagnostic: its ID, its exact message with the values involved, and (marked <c>{|PMEMnnnn:...|}</c>) the text it points at.</summary>
public class DiagnosticTests
{
    [Fact]
    public Task PMEM0001_Type_not_partial() => Expect(
        "[MemoryModel(Model.Sparse)] public class {|PMEM0001:M|} { }",
        "The type 'N.M' carries [MemoryModel] but 'M' is not declared partial; add the 'partial' modifier so the generated half can be added");

    [Fact]
    public Task PMEM0001_Containing_type_not_partial() => Expect(
        "public class {|PMEM0001:Outer|} { [MemoryModel(Model.Flat)] public partial class M { } }",
        "The type 'N.Outer.M' carries [MemoryModel] but 'Outer' is not declared partial; add the 'partial' modifier so the generated half can be added");

    [Theory]
    [InlineData("public partial record {|PMEM0009:M|};")]
    [InlineData("public partial record struct {|PMEM0009:M|};")]
    public Task PMEM0009_Record(string declaration) => Expect(
        "[MemoryModel(Model.Flat)] " + declaration,
        "The type 'N.M' is a record; a memory model owns unmanaged storage and raw page pointers, which records cannot hold or compare by value: declare it as a partial class");

    [Fact]
    public Task PMEM0002_Generic_type() => Expect(
        "[MemoryModel(Model.Flat)] public partial class {|PMEM0002:M|}<T> { }",
        "The type 'N.M<T>' is generic; a memory model's constants and storage belong to one non-generic type");

    [Theory]
    [InlineData("PageShift = 11", "PageShift = 11 is out of range: the kernel's page sizes run from 4 KiB (12) to 256 KiB (18)")]
    [InlineData("BitsPerLong = 48", "BitsPerLong = 48 is out of range: BITS_PER_LONG is 32 or 64")]
    [InlineData("KasanTagWidth = 5", "KasanTagWidth = 5 is out of range: KASAN_TAG_WIDTH is 0 (no tags), 4 (hardware tags) or 8 (software tags)")]
    [InlineData("NodesShift = 11", "NodesShift = 11 is out of range: CONFIG_NODES_SHIFT ranges from 1 to 10 (0 means no NUMA)")]
    [InlineData("NrPageflags = -1", "NrPageflags = -1 is out of range: NR_PAGEFLAGS counts bits of a 64-bit page->flags")]
    [InlineData("Zones = Zones.Dma | Zones.Normal", "Zones = Dma, Normal is out of range: every kernel has ZONE_NORMAL and ZONE_MOVABLE, so Zones must include Normal and Movable")]
    public Task PMEM0003_Out_of_range(string argument, string message) => Expect(
        $"[MemoryModel(Model.Sparse, Vmemmap = true, {{|PMEM0003:{argument}|}})] public partial class M {{ }}", message);

    [Theory]
    [InlineData("Model.Flat, {|PMEM0004:Vmemmap = true|}", "Vmemmap needs Model.Sparse, but the model is Flat (SPARSEMEM_VMEMMAP depends on SPARSEMEM)")]
    [InlineData("Model.Flat, {|PMEM0004:Extreme = true|}", "Extreme needs Model.Sparse, but the model is Flat (SPARSEMEM_EXTREME depends on SPARSEMEM)")]
    [InlineData("Model.Sparse, {|PMEM0004:ArchPfnOffset = 16|}", "ArchPfnOffset needs Model.Flat, but the model is Sparse (ARCH_PFN_OFFSET is where FLATMEM's mem_map starts; other models index by absolute pfn)")]
    [InlineData("Model.Sparse, Vmemmap = true, {|PMEM0004:NumaBalancing = true|}", "NumaBalancing needs NUMA (NodesShift > 0), but NodesShift is 0 (NUMA_BALANCING depends on NUMA)")]
    [InlineData("Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, {|PMEM0004:LruGen = true|}", "LruGen needs a 64-bit kernel, a non-sparse model or Vmemmap, but the model is 32-bit classic SPARSEMEM (LRU_GEN depends on 64BIT || !SPARSEMEM || SPARSEMEM_VMEMMAP, for space in page->flags)")]
    [InlineData("Model.Sparse, {|PMEM0004:VmemmapPreinit = true|}", "VmemmapPreinit needs Model.Sparse with Vmemmap, but Vmemmap is false (SPARSEMEM_VMEMMAP_PREINIT is selected only by HUGETLB_PAGE_OPTIMIZE_VMEMMAP, which depends on SPARSEMEM_VMEMMAP (fs/Kconfig, 6.15))")]
    [InlineData("Model.Flat, {|PMEM0004:VmemmapPreinit = true|}", "VmemmapPreinit needs Model.Sparse with Vmemmap, but the model is Flat (SPARSEMEM_VMEMMAP_PREINIT is selected only by HUGETLB_PAGE_OPTIMIZE_VMEMMAP, which depends on SPARSEMEM_VMEMMAP (fs/Kconfig, 6.15))")]
    [InlineData("Model.Sparse, {|PMEM0004:ZoneDevice = true|}", "ZoneDevice needs Model.Sparse with Vmemmap on a 64-bit kernel, but Vmemmap is false (ZONE_DEVICE depends on MEMORY_HOTPLUG (64BIT), MEMORY_HOTREMOVE and SPARSEMEM_VMEMMAP)")]
    [InlineData("Model.Sparse, {|PMEM0004:Zones = Zones.Normal | Zones.Movable | Zones.HighMem|}", "Zones.HighMem needs a 32-bit kernel, but BitsPerLong is 64 (CONFIG_HIGHMEM is offered on 32-bit architectures only)")]
    public Task PMEM0004_Kconfig_dependency(string arguments, string message) => Expect(
        $"[MemoryModel({arguments})] public partial class M {{ }}", message);

    [Fact]
    public Task PMEM0005_Unsafe_required() => Expect(
        "[{|PMEM0005:MemoryModel(Model.Flat)|}] public partial class M { }",
        "The memory model 'N.M' works on raw pages and needs unsafe code: set <AllowUnsafeBlocks>true</AllowUnsafeBlocks> in the project file",
        allowUnsafe: false);

    [Theory]
    [InlineData("[{|PMEM0010:MemoryBank(0x1000, 0)|}]", "[MemoryBank(0x1000, 0x0, Node = 0)] is empty")]
    [InlineData("[{|PMEM0010:MemoryBank(0x1000, 0x800)|}]", "[MemoryBank(0x1000, 0x800, Node = 0)] holds no whole page of 4096 bytes")]
    [InlineData("[{|PMEM0010:MemoryBank(0x100000, 0x100000, Node = 2)|}]", "[MemoryBank(0x100000, 0x100000, Node = 2)] is on node 2, but MAX_NUMNODES = 2 (NodesShift = 1): nodes run from 0 to 1")]
    [InlineData("[MemoryBank(0x0, 0x200000)][{|PMEM0010:MemoryBank(0x100000, 0x200000)|}]", "[MemoryBank(0x100000, 0x200000, Node = 0)] overlaps [MemoryBank(0x0, 0x200000)]")]
    [InlineData("[MemoryBank(0x0, 0x100000, Node = 0)][{|PMEM0010:MemoryBank(0x200000, 0x100000, Node = 1)|}][MemoryBank(0x400000, 0x100000, Node = 0)]", "[MemoryBank(0x200000, 0x100000, Node = 1)] lies inside the span of node 0 (0x0-0x4FFFFF); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave")]
    public Task PMEM0010_Invalid_bank(string banks, string message) => Expect(
        $"[MemoryModel(Model.Discontig, NodesShift = 1)]{banks} public partial class M {{ }}", message);

    [Fact]
    public Task PMEM0007_Conflict() => Expect(
        "[MemoryModel(Model.Sparse, Vmemmap = true, NrCpus = 64, {|PMEM0007:NrCpusBits = 3|})] public partial class M { }",
        "NrCpus = 64 and NrCpusBits = 3 contradict each other: give one of them");

    [Fact]
    public Task PMEM0008_Not_a_model() => Expect(
        "[MemoryModel({|PMEM0008:(Model)7|})] public partial class M { }",
        "The value given for Model is not valid: '7' is not one of Flat, Discontig or Sparse");

    // The one range of SECTION_SIZE_BITS for the default x86-64 inputs (4 KiB pages, MAX_PAGE_ORDER 10,
    // 46-bit addresses), which every message about the section size states.
    private const string SectionRange = "SECTION_SIZE_BITS may run from 22 to 46 here (at least SUBSECTION_SHIFT = 21, PAGE_SHIFT + SECTION_MAP_LAST_BIT = 16 and MAX_PAGE_ORDER + PAGE_SHIFT = 10 + 12 = 22; at most MAX_PHYSMEM_BITS = 46)";

    [Theory]
    [InlineData("{|PMEM0101:SectionSizeBits = 10|}", "SECTION_SIZE_BITS = 10 is out of range: " + SectionRange)]
    [InlineData("{|PMEM0101:SectionSizeBits = 50|}", "SECTION_SIZE_BITS = 50 is out of range: " + SectionRange)]
    [InlineData("{|PMEM0102:MaxPhysmemBits = 65|}", "MAX_PHYSMEM_BITS = 65 is too large: physical addresses (phys_addr_t) are at most 64 bits")]
    [InlineData("{|PMEM0103:SectionSizeBits = 20|}", "Subsection size exceeds section size: SUBSECTION_SHIFT = 21 > SECTION_SIZE_BITS = 20; " + SectionRange)]
    [InlineData("{|PMEM0104:SectionSizeBits = 21|}", "Allocator MAX_PAGE_ORDER exceeds SECTION_SIZE: MAX_PAGE_ORDER + PAGE_SHIFT = 10 + 12 = 22 > SECTION_SIZE_BITS = 21; " + SectionRange)]
    [InlineData("PageShift = 18, {|PMEM0105:SectionSizeBits = 21|}, MaxPageOrder = 3", "SECTION_MAP_LAST_BIT = 4 > PFN_SECTION_SHIFT = 3: the flag bits of section_mem_map would overlap the encoded memmap pointer")]
    [InlineData("{|PMEM0106:MaxNrZones = 9|}", "MAX_NR_ZONES = 9 is too many zones: ZONES_SHIFT can describe at most 8")]
    [InlineData("{|PMEM0107:NodesShift = 10|}, NrPageflags = 60", "Vmemmap: no space for nodes field in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = 2 + 0 + 0 + 10 = 12 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 60 = 4")]
    [InlineData("{|PMEM0110:PageblockOrder = 11|}", "pageblock_order = 11 > MAX_PAGE_ORDER = 10: a pageblock cannot be larger than the largest buddy allocation")]
    [InlineData("{|PMEM0117:PageBlockMaxOrder = 11|}", "MAX_PAGE_ORDER must be >= PAGE_BLOCK_MAX_ORDER: PAGE_BLOCK_MAX_ORDER = 11 > MAX_PAGE_ORDER = 10")]
    [InlineData("{|PMEM0117:PageBlockMaxOrder = 9|}, MaxPageOrder = 8", "MAX_PAGE_ORDER must be >= PAGE_BLOCK_MAX_ORDER: PAGE_BLOCK_MAX_ORDER = 9 > MAX_PAGE_ORDER = 8")]
    [InlineData("PageBlockMaxOrder = 5, {|PMEM0118:PageblockOrder = 9|}", "pageblock_order = 9 > PAGE_BLOCK_MAX_ORDER = 5: the kernel takes pageblock_order as the smaller of the huge page order and PAGE_BLOCK_MAX_ORDER")]
    public Task PMEM01xx_Kernel_build_errors_Vmemmap(string arguments, string message) => Expect(
        $"[MemoryModel(Model.Sparse, Vmemmap = true, {arguments})] public partial class M {{ }}", message);

    [Fact]
    public Task PMEM0108_Not_enough_bits() => Expect(
        "[MemoryModel(Model.Sparse, MaxPhysmemBits = 52, {|PMEM0108:NrPageflags = 40|})] public partial class M { }",
        "Not enough bits in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_WIDTH + KASAN_TAG_WIDTH + LAST_CPUPID_WIDTH = 27 > BITS_PER_LONG - NR_PAGEFLAGS = 64 - 40 = 24");

    [Fact]
    public Task PMEM0109_GFP_zones_shift() => Expect(
        "[MemoryModel(Model.Sparse, BitsPerLong = 32, SectionSizeBits = 26, MaxPhysmemBits = 32, {|PMEM0109:MaxNrZones = 5|})] public partial class M { }",
        "GFP_ZONES_SHIFT too large to create GFP_ZONE_TABLE integer: 16 * GFP_ZONES_SHIFT = 16 * 3 = 48 > BITS_PER_LONG = 32 (MAX_NR_ZONES = 5)");

    [Fact]
    public Task PMEM0111_Node_moves_out_of_page_flags() => Expect(
        "[MemoryModel(Model.Sparse, {|PMEM0111:NodesShift = 10|}, NrPageflags = 35)] public partial class M { }",
        "NODES_SHIFT = 10 does not fit in page->flags beside the other fields (31 > 29 bits available), so NODE_NOT_IN_PAGE_FLAGS: a page's node is read from section_to_node_table, indexed by its section",
        DiagnosticSeverity.Info);

    [Fact]
    public Task PMEM0112_Last_cpupid_moves_out_of_page_flags() => Expect(
        "[MemoryModel(Model.Sparse, Vmemmap = true, NodesShift = 6, NumaBalancing = true, {|PMEM0112:NrCpusBits = 13|}, NrPageflags = 40)] public partial class M { }",
        "LAST_CPUPID_SHIFT = 21 does not fit in page->flags beside the other fields (29 > 24 bits available), so LAST_CPUPID_NOT_IN_PAGE_FLAGS: last_cpupid lives in the page's _last_cpupid field",
        DiagnosticSeverity.Info);

    [Fact]
    public Task PMEM0113_Flat_node_has_nowhere_to_go() => Expect(
        "[MemoryModel(Model.Flat, {|PMEM0113:NodesShift = 10|}, NrPageflags = 60)] public partial class M { }",
        "NODES_SHIFT = 10 does not fit in page->flags (12 > 4 bits available) and FLATMEM has no section_to_node_table to hold it (page_to_nid is only provided by mm/sparse.c)");

    [Fact]
    public void Info_diagnostics_still_emit_the_model()
    {
        var run = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model.Sparse, NodesShift = 10, NrPageflags = 35)] public partial class M { }");
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "PMEM0111");
        Assert.Contains("public int PageToNid(", run.SingleSource);
        Assert.Contains("Note PMEM0111", run.SingleSource);
    }
}
