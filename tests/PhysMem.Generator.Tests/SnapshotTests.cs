using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The emitted text of representative models, compared with the checked-in snapshots. Each run
/// also compiles the output (no warnings allowed) and checks caching.
/// </summary>
public class SnapshotTests
{
    private static void Check(string name, string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info);
        Assert.Empty(run.CompilationDiagnostics);
        foreach (var (hint, text) in run.Sources)
        {
            Snapshot.Verify(name + "." + hint.Replace(".g.cs", string.Empty), text);
        }
    }

    [Fact]
    public void Sparse_vmemmap_Arm64_pre_512() => Check("SparseVmemmap", """
        using PhysMem;
        using static PhysMem.Model;
        namespace Contoso.Memory;
        [MemoryModel(Sparse, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true)]
        public partial class Arm64Memory { }
        """);

    [Fact]
    public void Sparse_vmemmap_extreme_X86_64_NUMA() => Check("SparseVmemmapExtreme", """
        using PhysMem;
        namespace Contoso.Memory
        {
            [MemoryModel(Model.Sparse, Vmemmap = true, Extreme = true, NodesShift = 10, NumaBalancing = true, NrCpus = 8192, LruGen = true, ZoneDevice = true)]
            internal partial class X86Memory { }
        }
        """);

    [Fact]
    public void Sparse_classic_X86_PAE() => Check("SparseClassic", """
        using PhysMem;
        [MemoryModel(Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable)]
        public partial class PaeMemory { }
        """);

    [Fact]
    public void Sparse_classic_X86_PAE_own_PageType() => Check("SparseClassicPageType", """
        using PhysMem;
        namespace Boards;
        public struct SmallPage
        {
            public uint Refcount;
            public uint Flags;
            public ulong Mapping;
        }

        [MemoryModel(Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, PageType = typeof(SmallPage))]
        public partial class PaeMemory { }
        """);

    [Fact]
    public void Sparse_classic_extreme_node_out_of_flags() => Check("SparseClassicExtreme", """
        using PhysMem;
        namespace Outer;
        public static partial class Host
        {
            [MemoryModel(Model.Sparse, Extreme = true, NodesShift = 10, NrPageflags = 35, KasanTagWidth = 4)]
            public partial class Nested { }
        }
        """);

    [Fact]
    public void Flat_with_offset_and_holes() => Check("Flat", """
        using PhysMem;
        namespace Boards;
        [MemoryModel(Model.Flat, ArchPfnOffset = 0x80000, HolesInMemmap = true, BitsPerLong = 32)]
        public partial class BoardMemory;
        """);

    /// <summary>A DISCONTIGMEM model with three nodes of banks (also generated from a memory map file in <see cref="MemoryMapFileTests"/>).</summary>
    internal const string DiscontigThreeNodes = """
        using PhysMem;
        namespace Numa;
        [MemoryModel(Model.Discontig, NodesShift = 2)]
        [MemoryBank(0x1000, 0x9_e000, Node = 0)]
        [MemoryBank(0x10_0000, 0xbff0_0000, Node = 0)]
        [MemoryBank(0x1_0000_0000, 0x1_4000_0000, Node = 1)]
        [MemoryBank(0x3_0000_0000, 0x1_0000_0000, Node = 2)]
        public partial class ThreeNodes { }
        """;

    [Fact]
    public void Discontig_two_nodes_with_banks() => Check("Discontig", DiscontigThreeNodes);
}
