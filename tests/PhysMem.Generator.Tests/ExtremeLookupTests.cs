using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Classic SPARSEMEM_EXTREME: the generated PfnToPage throws ArgumentOutOfRangeException, naming the
/// pfn, for a section number beyond the model and for a section whose root was never allocated (no
/// memory in it); PageToPfn, which takes the root of an existing page without testing it, still
/// round-trips every page.
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

    [Fact]
    public void PfnToPage_throws_for_a_missing_root_and_beyond_the_model()
    {
        string source = $"using PhysMem;\n[MemoryModel(Model.Sparse, Extreme = true)]\npublic partial class M {{ }}\n{Probe}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));
        Assert.Equal("ok", compiled.Call("Probe", "Run"));
    }
}
