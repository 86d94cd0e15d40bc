using System.Threading;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// A generated model with DeferredStructPageInit: while deferred init is held back, the unchecked
/// PfnToPage gives a page still zero (the kernel's pfn_to_page) and the checked PfnToPageRef
/// initializes it first, with the zone and node the map gives it.
/// </summary>
public class DeferredInitModelTests
{
    // Node 0: 1 MiB to 2 GiB (ZONE_DMA, ZONE_DMA32); node 1: 4 GiB to 6 GiB (ZONE_NORMAL, zone 2 of
    // the default Dma, Dma32, Normal, Movable). Node 1's last section starts beyond its first
    // deferred pfn, so deferred init owns it.
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Run()
            {
                using var m = new M(global::PhysMem.MemoryMap.FromRanges(
                    new global::PhysMem.MemoryRange(0x10_0000, 0x8000_0000),
                    new global::PhysMem.MemoryRange(0x1_0000_0000, 0x1_8000_0000, 1)));
                var s = m.Storage;
                ulong pfn = (0x1_8000_0000UL >> 12) - 1;
                if (!m.PfnValid(pfn)) return "not valid while deferred";
                if (s.PageInitialized(pfn)) return "initialized before the workers ran";
                if (m.PfnToPage(pfn)->Flags != 0) return "the unchecked page is not zero before init";
                ref var page = ref m.PfnToPageRef(pfn);
                if (!s.PageInitialized(pfn)) return "not initialized after PfnToPageRef";
                fixed (global::PhysMem.Page* p = &page)
                {
                    if (M.PageToNid(p) != 1 || M.PageZonenum(p) != 2) return $"node {M.PageToNid(p)}, zone {M.PageZonenum(p)}";
                }

                // A page of the same section and one of another deferred section.
                if (!s.PageInitialized(pfn - M.PagesPerSection + 1)) return "the rest of the section is not initialized";
                if (s.PageInitialized(pfn - M.PagesPerSection)) return "the section below was initialized too";
                return "ok";
            }
        }
        """;

    [Theory]
    [InlineData("Model.Sparse, NodesShift = 2, Vmemmap = true, Extreme = true, DeferredStructPageInit = true")]
    [InlineData("Model.Sparse, NodesShift = 2, Extreme = true, DeferredStructPageInit = true")]
    [InlineData("Model.Sparse, NodesShift = 2, DeferredStructPageInit = true")]
    public void The_checked_page_of_a_deferred_pfn_is_initialized_first(string attribute)
    {
        string source = $"using PhysMem;\n[MemoryModel({attribute})]\npublic partial class M {{ }}\n{Probe}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));

        // The workers of the model built on this thread wait at the gate until the probe is done.
        using var gate = new ManualResetEventSlim(false);
        SparseMemory.DeferredGateOnThisThread = gate;
        try
        {
            Assert.Equal("ok", compiled.Call("Probe", "Run"));
        }
        finally
        {
            SparseMemory.DeferredGateOnThisThread = null;
            gate.Set();
        }
    }
}
