using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// <c>PageType = typeof(T)</c>: a model over a user's frame descriptor, checked page by page against
/// the same model over the default <see cref="Page"/> (same banks, same layout), and the diagnostics
/// for page types that cannot serve.
/// </summary>
public class PageTypeTests
{
    // 24 bytes, Flags at offset 8: neither a power of two nor the first field, so a wrong stride or
    // offset anywhere shows up.
    private const string WidePage = """
        public struct P
        {
            public uint Refcount;
            public ushort Order;
            public ulong Flags;
            public long Owner;
        }
        """;

    // 12 bytes with a 32-bit Flags in the middle, for a 32-bit layout.
    private const string NarrowPage = """
        public struct P
        {
            public uint Refcount;
            public uint Flags;
            public ushort Order;
            public short Owner;
        }
        """;

    // Walks every pfn of every bank of M (over P) and R (over Page), which share attribute and banks.
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Check()
            {
                using var m = new M();
                using var r = new R();
                var storage = m.Storage;
                long pages = 0;
                ulong firstPfn = ulong.MaxValue;
                foreach (var range in M.Banks.Ranges)
                {
                    ulong first = (range.Start + M.PageSize - 1) >> M.PageShift, end = range.End >> M.PageShift;
                    firstPfn = global::System.Math.Min(firstPfn, first);
                    for (ulong pfn = first; pfn < end; pfn++)
                    {
                        if (!m.PfnValid(pfn)) return $"pfn 0x{pfn:x} of a bank is not valid";
                        P* page = m.PfnToPage(pfn);
                        if (page != storage.PfnToPage(pfn)) return $"PfnToPage(0x{pfn:x}) differs from the storage's";
                        if (m.PageToPfn(page) != pfn) return $"round trip of 0x{pfn:x} gave 0x{m.PageToPfn(page):x}";
                        if (storage.PageToPfn(page) != pfn) return $"the storage's round trip of 0x{pfn:x} gave 0x{storage.PageToPfn(page):x}";
                        if (pfn + 1 < end && (byte*)m.PfnToPage(pfn + 1) - (byte*)page != sizeof(P)) return $"pages of 0x{pfn:x} and the next are not sizeof(P) apart";
                        global::PhysMem.Page* reference = r.PfnToPage(pfn);
                        if (page->Flags != (FLAGS)reference->Flags) return $"flags of 0x{pfn:x} are 0x{page->Flags:x}; over Page they are 0x{reference->Flags:x}";
                        if (page->Refcount != 0 || page->Order != 0 || page->Owner != 0) return $"the page of 0x{pfn:x} has bytes outside Flags set";
                        if (M.PageZonenum(page) != R.PageZonenum(reference) || M.PageToNid(page) != R.PageToNid(reference)) return $"zone or node of 0x{pfn:x} differ";

                        // The user's own fields must not disturb anything the model reads.
                        page->Refcount = uint.MaxValue;
                        page->Order = ushort.MaxValue;
                        page->Owner = -1;
                        if (m.PageToPfn(page) != pfn || M.PageZonenum(page) != R.PageZonenum(reference) || M.PageToNid(page) != R.PageToNid(reference)) return $"writing the other fields of 0x{pfn:x} changed what the model reads";
                        pages++;
                    }
                }

                P* p = m.PfnToPage(firstPfn);
                M.SetPageZone(p, 1);
                M.SetPageNode(p, 1);
                if (M.PageZonenum(p) != 1 || M.PageToNid(p) != (M.NodesWidth == 0 ? 0 : 1)) return "the setters did not store zone 1 and node 1";
                if (p->Refcount != uint.MaxValue || p->Order != ushort.MaxValue || p->Owner != -1) return "a setter wrote outside Flags";
                M.SetPageLinks(p, R.PageZonenum(r.PfnToPage(firstPfn)), R.PageToNid(r.PfnToPage(firstPfn)), firstPfn);
                if (p->Flags != (FLAGS)r.PfnToPage(firstPfn)->Flags) return "SetPageLinks did not restore the links the storage set";
                ref P checkedPage = ref m.PfnToPageRef(firstPfn);
                if (m.PageToPfn(ref checkedPage) != firstPfn) return "the checked forms disagree";
                return "ok " + pages;
            }
        }
        """;

    private const string TwoBanks = "[MemoryBank(0x10_0000, 0x400_0800, Node = 0)][MemoryBank(0x1_0000_0000, 0x200_0000, Node = 1)]";

    [Theory]
    [InlineData("Model.Flat, NodesShift = 1, ArchPfnOffset = 0x100")]
    [InlineData("Model.Flat, NodesShift = 1, HolesInMemmap = true")]
    [InlineData("Model.Discontig, NodesShift = 1")]
    [InlineData("Model.Sparse, NodesShift = 1")]
    [InlineData("Model.Sparse, NodesShift = 1, Extreme = true")]
    [InlineData("Model.Sparse, NodesShift = 2, Vmemmap = true")]
    [InlineData("Model.Sparse, NodesShift = 2, Vmemmap = true, Extreme = true")]
    public void Every_model_over_a_24_byte_page_matches_the_default_page(string arguments) =>
        AssertMatchesDefaultPage(arguments, WidePage, "ulong");

    [Theory]
    [InlineData("Model.Sparse, NodesShift = 1, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable")]
    [InlineData("Model.Flat, NodesShift = 1, BitsPerLong = 32, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable")]
    public void A_32_bit_layout_accepts_a_uint_Flags_field(string arguments) =>
        AssertMatchesDefaultPage(arguments, NarrowPage, "uint");

    private static void AssertMatchesDefaultPage(string arguments, string page, string flagsType)
    {
        var run = GeneratorHarness.Run($$"""
            using PhysMem;
            {{page}}
            [MemoryModel({{arguments}}, PageType = typeof(P))]{{TwoBanks}}
            public partial class M { }
            [MemoryModel({{arguments}})]{{TwoBanks}}
            public partial class R { }
            {{Probe.Replace("FLAGS", flagsType, StringComparison.Ordinal)}}
            """);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string generated = run.Sources["M.g.cs"];
        Assert.Contains("PageType = P (attribute)", generated, StringComparison.Ordinal);
        Assert.Contains("global::P* PfnToPage(ulong pfn)", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("global::PhysMem.Page", generated, StringComparison.Ordinal);

        string result = (string)CompiledModel.From(run).Call("Probe", "Check")!;
        Assert.StartsWith("ok ", result, StringComparison.Ordinal);

        // Every whole 4 KiB page of both banks was checked: 64 MiB + 2 KiB from 1 MiB, then 32 MiB.
        long expected = (0x400_0000 >> 12) + (0x200_0000 >> 12);
        Assert.Equal(expected, long.Parse(result.AsSpan(3), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_last_cpupid_field_is_used_when_the_layout_keeps_it_outside_the_flags()
    {
        const string Arguments = "Model.Sparse, NodesShift = 10, NumaBalancing = true, NrCpusBits = 13, LruGen = true";
        Assert.True(MemoryLayout.Create(new LayoutSpec { Model = Model.Sparse, NodesShift = 10, NumaBalancing = true, NrCpusBits = 13, LruGen = true }).LastCpupidNotInPageFlags,
            "the configuration must keep last_cpupid outside page->flags for this test");
        var run = GeneratorHarness.Run($$"""
            using PhysMem;
            public struct P { public ulong Flags; public int LastCpupid; }
            [MemoryModel({{Arguments}}, PageType = typeof(P))]
            public partial class M { }
            public static unsafe class Probe
            {
                public static int RoundTrip(int cpu, int pid)
                {
                    P page = default;
                    M.SetPageLastCpupid(&page, M.CpuPidToCpupid(cpu, pid));
                    return page.Flags == 0 ? M.PageLastCpupid(&page) : -1;
                }
            }
            """);
        Assert.Contains("page->LastCpupid = (int)(cpupid & (int)LastCpupidMask);", run.SingleSource, StringComparison.Ordinal);
        var model = CompiledModel.From(run);
        int pidBits = (int)model.Constant("M", "LastPidShift");
        int expected = (5 << pidBits) | 77;
        Assert.Equal(expected, (int)model.Call("Probe", "RoundTrip", 5, 77)!);
    }

    private static Task Expect(string page, string arguments, string id, string message) => DiagnosticAssert.Expect(
        $"{page}\n[MemoryModel({arguments}, {{|{id}:PageType = typeof(P)|}})] public partial class M {{ }}", message, id: id);

    [Theory]
    [InlineData("public class P { public ulong Flags; }", "it is a class, not a struct")]
    [InlineData("public interface P { }", "it is an interface, not a struct")]
    [InlineData("public enum P { A }", "it is an enum, not a struct")]
    [InlineData("public struct P { public ulong Flags; public string Name; }", "it holds references (a field of a reference type, or of a struct that holds one)")]
    [InlineData("public ref struct P { public ulong Flags; }", "it is a ref struct, which cannot live in unmanaged memory")]
    public Task PMEM0017_Not_an_unmanaged_struct(string page, string why) => Expect(
        page, "Model.Sparse", "PMEM0017",
        $"PageType = typeof(N.P) cannot be a frame descriptor: {why}; a page type is an unmanaged struct (no references, no open type parameters) laid out in memmap sizeof(P) bytes apart");

    [Fact]
    public void PMEM0017_Open_generic()
    {
        var run = GeneratorHarness.Run("using PhysMem;\nnamespace N;\npublic struct G<T> where T : unmanaged { public ulong Flags; public T Extra; }\n[MemoryModel(Model.Sparse, PageType = typeof(G<>))] public partial class M { }");
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "PMEM0017");
        Assert.Contains("it is an open generic type", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        DiagnosticAssert.Refused(run);
    }

    [Theory]
    [InlineData("public struct P { public long Other; }", "Model.Sparse", "it has no field 'Flags' (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { public ulong Flags { get; set; } }", "Model.Sparse", "its 'Flags' is a property, not an instance field (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { public static ulong Flags; }", "Model.Sparse", "its 'Flags' is a static field, not an instance field (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { public long Flags; }", "Model.Sparse", "its field 'Flags' is of type long; it must be ulong or uint (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { public readonly ulong Flags; }", "Model.Sparse", "its field 'Flags' is readonly, but the generated accessors store into it (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { private ulong Flags; public ulong Get() => Flags; }", "Model.Sparse", "its field 'Flags' is private, so the generated code in N.M cannot reach it (page->flags: ulong, or uint for a layout with BitsPerLong = 32)")]
    [InlineData("public struct P { public uint Flags; }", "Model.Sparse", "its field 'Flags' is a uint, but page->flags is 64 bits wide (BitsPerLong = 64) and its fields reach bit 63; declare it ulong")]
    [InlineData("internal struct P { public ulong Flags; }", "Model.Sparse", "it is less accessible (internal) than the model N.M (public), whose generated members take and return pointers to it; make the page type at least as accessible as the model")]
    [InlineData("public struct P { public ulong Flags; }", "Model.Sparse, NodesShift = 10, NumaBalancing = true, {|PMEM0112:NrCpusBits = 13|}, LruGen = true",
        "this layout keeps last_cpupid outside page->flags (LAST_CPUPID_NOT_IN_PAGE_FLAGS: 21 bits do not fit), so the page needs a uint or int field 'LastCpupid', but it has no field 'LastCpupid'")]
    [InlineData("public struct P { public ulong Flags; public byte LastCpupid; }", "Model.Sparse, NodesShift = 10, NumaBalancing = true, {|PMEM0112:NrCpusBits = 13|}, LruGen = true",
        "this layout keeps last_cpupid outside page->flags (LAST_CPUPID_NOT_IN_PAGE_FLAGS: 21 bits do not fit), so the page needs a uint or int field 'LastCpupid', but its field 'LastCpupid' is of type byte; it must be uint or int")]
    public Task PMEM0018_PageTypeDoesNotFit(string page, string arguments, string why) => Expect(
        page, arguments, "PMEM0018", "Page type N.P: " + why);

    [Fact]
    public void The_default_PageType_gives_the_same_source_as_no_PageType()
    {
        var plain = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model.Sparse, Vmemmap = true)] public partial class M { }").SingleSource;
        var explicitDefault = GeneratorHarness.Run("using PhysMem;\n[MemoryModel(Model.Sparse, Vmemmap = true, PageType = typeof(Page))] public partial class M { }").SingleSource;
        Assert.Equal(plain, explicitDefault);
    }
}
