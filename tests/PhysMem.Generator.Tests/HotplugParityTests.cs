using System;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The generated lookups read the live section table: after a hot-add, an online, an offline and a
/// hot-remove through the storage, the generated PfnValid, PfnToPage and PfnToOnlinePage agree with
/// the storage at every step (subsection granularity with VMEMMAP, whole sections without).
/// </summary>
public class HotplugParityTests
{
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Run()
            {
                using var m = new M(global::PhysMem.MemoryMap.FromRanges(new global::PhysMem.MemoryRange(0x10_0000, 0x4000_0000)));
                var s = m.Storage;
                ulong add = 0x1_0000_0000 >> 12;            // 4 GiB: an absent section
                // Two subsections with VMEMMAP; a whole section without (classic sections are all or nothing).
                ulong pages = M.Vmemmap ? M.PagesPerSubsection * 2 : M.PagesPerSection;
                if (m.PfnValid(add)) return "valid before the add";
                s.AddMemory(add, pages, 0);
                string? step = Check(m, s, add, pages, "after add");
                if (step != null) return step;
                if (m.PfnToOnlinePage(add) != null) return "online page before onlining";
                s.OnlineSections(add, M.PagesPerSection);
                if (m.PfnToOnlinePage(add) != m.PfnToPage(add)) return "online page differs after onlining";
                s.OfflineSections(add, M.PagesPerSection);
                if (m.PfnToOnlinePage(add) != null) return "online page after offlining";
                s.RemoveMemory(add, pages);
                if (m.PfnValid(add) || m.PfnValid(add + pages - 1)) return "valid after the remove";
                return "ok";
            }

            private static string? Check(M m, global::PhysMem.SparseMemory s, ulong start, ulong pages, string when)
            {
                for (ulong pfn = start - 1; pfn <= start + pages; pfn++)
                {
                    if (m.PfnValid(pfn) != s.PfnValid(pfn)) return $"{when}: PfnValid(0x{pfn:x}) generated {m.PfnValid(pfn)}, storage {s.PfnValid(pfn)}";
                    bool inside = pfn >= start && pfn < start + pages;
                    if (m.PfnValid(pfn) != inside) return $"{when}: PfnValid(0x{pfn:x}) = {m.PfnValid(pfn)}";
                    if (inside && (m.PfnToPage(pfn) != s.PfnToPage(pfn) || m.PageToPfn(m.PfnToPage(pfn)) != pfn)) return $"{when}: round trip of 0x{pfn:x}";
                }

                return null;
            }
        }
        """;

    [Theory]
    [InlineData("Model.Sparse, Vmemmap = true")]
    [InlineData("Model.Sparse, Vmemmap = true, Extreme = true")]
    [InlineData("Model.Sparse, Extreme = true")]
    public void Generated_lookups_follow_hotplug(string attribute)
    {
        string vmemmap = attribute.Contains("Vmemmap", StringComparison.Ordinal) ? "true" : "false";
        string source = $"using PhysMem;\n[MemoryModel({attribute})]\npublic partial class M {{ public const bool Vmemmap = {vmemmap}; }}\n{Probe}";
        var compiled = CompiledModel.From(GeneratorHarness.Run(source));
        Assert.Equal("ok", compiled.Call("Probe", "Run"));
    }
}
