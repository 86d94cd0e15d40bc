using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Classic SPARSEMEM_EXTREME: the generated PfnToPage throws ArgumentOutOfRangeException, naming the
/// pfn, for a section number beyond the model and for a section whose root was never allocated (no
/// memory in it); PageToPfn, which takes the root of an existing page without testing it, still
/// round-trips every page. PfnToPage takes the root number and the entry's byte offset in the root
/// from the pfn separately; across a root boundary it gives the storage's own page for every pfn.
/// </summary>
public class ExtremeLookupTests
{
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Run()
            {
                // 1 GiB from 1 MiB: sections 0-7, all under root 0.
                using var m = new M(global::PhysMem.MemoryMap.FromRanges(new global::PhysMem.MemoryRange(0x10_0000, 0x4000_0000)));
                for (ulong pfn = 0x100; pfn < 0x4_0000; pfn += 0x111)
                {
                    if (m.PageToPfn(m.PfnToPage(pfn)) != pfn) return $"round trip of 0x{pfn:x}";
                }

                ulong noRoot = (M.SectionsPerRoot * 3) << M.PfnSectionShift;   // root 3: never allocated
                ulong beyond = M.NrMemSections << M.PfnSectionShift;
                foreach (ulong pfn in new[] { noRoot, noRoot + 5, beyond })
                {
                    try
                    {
                        m.PfnToPage(pfn);
                        return $"no exception for 0x{pfn:x}";
                    }
                    catch (global::System.ArgumentOutOfRangeException e) when (e.Message.Contains($"pfn 0x{pfn:x} has no page"))
                    {
                    }
                }

                return "ok";
            }
        }
        """;

    private const string AcrossRoots = """
        public static unsafe class AcrossRoots
        {
            public static string Run()
            {
                // 2 GiB around the first root boundary: the last 8 sections of root 0, the first 8 of root 1.
                ulong boundary = (M.SectionsPerRoot * M.PagesPerSection) << 12;
                using var m = new M(global::PhysMem.MemoryMap.FromRanges(new global::PhysMem.MemoryRange(boundary - 0x4000_0000, boundary + 0x4000_0000)));
                ulong first = (boundary - 0x4000_0000) >> 12;
                ulong last = (boundary + 0x4000_0000) >> 12;
                int checkedPfns = 0;
                for (ulong pfn = first; pfn < last; pfn += 0x1F1)
                {
                    if (m.PfnToPage(pfn) != m.Storage.PfnToPage(pfn)) return $"0x{pfn:x}: the model's page differs from the storage's";
                    checkedPfns++;
                }

                foreach (ulong pfn in new[] { first, (boundary >> 12) - 1, boundary >> 12, last - 1 })
                {
                    if (m.PfnToPage(pfn) != m.Storage.PfnToPage(pfn) || m.PageToPfn(m.PfnToPage(pfn)) != pfn) return $"0x{pfn:x} at an edge";
                }

                // PfnValid takes its root and entry the same way: the storage's answer around both ends of the
                // memory, across the boundary, and under root 2 (no memory) and beyond the last root.
                ulong rootPages = boundary >> 12;
                foreach (ulong pfn in new[] { 0UL, first - 1, first, rootPages - 1, rootPages, last - 1, last, 2 * rootPages + 5, M.NrSectionRoots * rootPages, ulong.MaxValue })
                {
                    if (m.PfnValid(pfn) != m.Storage.PfnValid(pfn)) return $"PfnValid(0x{pfn:x}) differs from the storage's";
                }

                if (!m.PfnValid(rootPages) || m.PfnValid(last) || m.PfnValid(2 * rootPages + 5)) return "PfnValid at the edges";

                return checkedPfns > 1000 ? "ok" : "too few pfns checked";
            }
        }
        """;

    private const string SmallerThanARoot = """
        public static unsafe class SmallerThanARoot
        {
            public static string Run()
            {
                // 2^(32 - 27) = 32 sections, all in root 0, which has room for 256: the range test is on the section number.
                ulong[] shape = { M.NrMemSections, M.NrSectionRoots, M.SectionsPerRoot };
                if (shape[0] != 32 || shape[1] != 1 || shape[2] != 256) return "layout";
                using var m = new M(global::PhysMem.MemoryMap.FromRanges(new global::PhysMem.MemoryRange(0x10_0000, 0x4000_0000)));
                if (!m.PfnValid(0x100) || m.PageToPfn(m.PfnToPage(0x3_FFFF)) != 0x3_FFFF) return "memory";
                ulong beyond = M.NrMemSections << M.PfnSectionShift;   // section 32: in root 0's room, beyond the model
                if (m.PfnValid(beyond) || m.PfnValid(beyond + 0x1234) || m.PfnValid((M.SectionsPerRoot << M.PfnSectionShift) - 1)) return "valid beyond the model";
                try
                {
                    m.PfnToPage(beyond);
                    return "no exception beyond the model";
                }
                catch (global::System.ArgumentOutOfRangeException)
                {
                }

                return m.PfnValid(0x4_0000) ? "valid past the memory" : "ok";
            }
        }
        """;

    [Fact]
    public void With_fewer_sections_than_a_root_holds_the_range_test_is_the_section_number()
    {
        string source = $"using PhysMem;\n[MemoryModel(Model.Sparse, Extreme = true, MaxPhysmemBits = 32)]\npublic partial class M {{ }}\n{SmallerThanARoot}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));
        Assert.Equal("ok", compiled.Call("SmallerThanARoot", "Run"));
    }

    [Fact]
    public void PfnToPage_matches_the_storage_across_a_root_boundary()
    {
        string source = $"using PhysMem;\n[MemoryModel(Model.Sparse, Extreme = true)]\npublic partial class M {{ }}\n{AcrossRoots}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));
        Assert.Equal("ok", compiled.Call("AcrossRoots", "Run"));
    }

    [Fact]
    public void PfnToPage_throws_for_a_missing_root_and_beyond_the_model()
    {
        string source = $"using PhysMem;\n[MemoryModel(Model.Sparse, Extreme = true)]\npublic partial class M {{ }}\n{Probe}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));
        Assert.Equal("ok", compiled.Call("Probe", "Run"));
    }
}
