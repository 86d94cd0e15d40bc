using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The generated model and the runtime-configured storage are the same model run two ways: every
/// generated constant equals the layout the runtime computes for the same inputs, and the generated
/// conversions give the runtime's answers over real storage.
/// </summary>
public class ParityTests
{
    /// <summary>A probe compiled beside each model: walks pfns and compares generated with runtime answers.</summary>
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Check(ulong[] bounds, int[] nodes, ulong[] extraPfns)
            {
                var ranges = new global::PhysMem.MemoryRange[nodes.Length];
                for (int i = 0; i < nodes.Length; i++)
                {
                    ranges[i] = new global::PhysMem.MemoryRange(bounds[2 * i], bounds[2 * i + 1], nodes[i]);
                }

                using var m = new M(global::PhysMem.MemoryMap.FromRanges(ranges));
                var s = m.Storage;
                var pfns = new global::System.Collections.Generic.List<ulong>(extraPfns);
                foreach (var r in ranges)
                {
                    ulong first = r.Start >> M.PageShift, last = (r.End >> M.PageShift) - 1;
                    for (ulong pfn = first; pfn <= last; pfn += 509)
                    {
                        pfns.Add(pfn);
                    }

                    pfns.Add(first); pfns.Add(last); pfns.Add(last + 1); pfns.Add(first - 1);
                }

                int valid = 0;
                foreach (ulong pfn in pfns)
                {
                    bool v = m.PfnValid(pfn);
                    if (v != s.PfnValid(pfn)) return $"PfnValid(0x{pfn:x}): generated {v}, runtime {!v}";
                    if (!v) continue;
                    valid++;
                    global::PhysMem.Page* page = m.PfnToPage(pfn);
                    if (page != s.PfnToPage(pfn)) return $"PfnToPage(0x{pfn:x}) differs";
                    if (m.PageToPfn(page) != pfn || s.PageToPfn(page) != pfn) return $"PageToPfn(PfnToPage(0x{pfn:x})) = 0x{m.PageToPfn(page):x}";
                    if (M.PageZonenum(page) != s.PageFlags.Zonenum(page->Flags)) return $"PageZonenum(0x{pfn:x}) differs";
                    if (m.PageToPfn(ref m.PfnToPageRef(pfn)) != pfn) return $"safe round trip of 0x{pfn:x} failed";
                }

                return "ok " + valid;
            }
        }
        """;

    private static readonly ulong[] Bounds =
    {
        0x1000, 0x9fc00,                 // below 640 KiB, partial pages at the end
        0x100000, 0x4000_0000,           // up to 1 GiB
        0x1_0000_0000, 0x1_4000_0000,    // 4-5 GiB, another node when there are nodes
        0x1_8020_0000, 0x1_8060_0000,    // 4 MiB in the middle of a section: subsections
    };

    [Theory]
    [InlineData("Model.Sparse, Vmemmap = true")]
    [InlineData("Model.Sparse, Vmemmap = true, Extreme = true, NodesShift = 6")]
    [InlineData("Model.Sparse, Vmemmap = true, Extreme = true, SectionSizeBits = 30, MaxPhysmemBits = 48")]
    [InlineData("Model.Sparse, Vmemmap = true, Extreme = true, PageShift = 16, SectionSizeBits = 29, MaxPhysmemBits = 48, MaxPageOrder = 13")]
    [InlineData("Model.Sparse, Vmemmap = true, Extreme = true, PageShift = 14, SectionSizeBits = 27, MaxPhysmemBits = 52, MaxPageOrder = 11")]
    [InlineData("Model.Sparse")]
    [InlineData("Model.Sparse, Extreme = true, NodesShift = 10, NrPageflags = 35")]
    [InlineData("Model.Sparse, BitsPerLong = 32, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable")]
    [InlineData("Model.Flat")]
    [InlineData("Model.Flat, HolesInMemmap = true")]
    [InlineData("Model.Flat, ArchPfnOffset = 1, HolesInMemmap = true, BitsPerLong = 32, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable")]
    public void Generated_conversions_match_the_runtime(string attribute)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel({attribute})]\npublic partial class M {{ }}\n{Probe}");
        var compiled = CompiledModel.From(run);
        bool nodes = attribute.Contains("NodesShift", StringComparison.Ordinal);
        var result = (string)compiled.Call("Probe", "Check", Bounds, new[] { 0, 0, nodes ? 1 : 0, nodes ? 1 : 0 }, new ulong[] { 0, 1UL << 40, ulong.MaxValue, ulong.MaxValue >> 12, 0x1_8000_0000 >> 12 })!;
        Assert.StartsWith("ok ", result, StringComparison.Ordinal);
        Assert.True(int.Parse(result.Substring(3), CultureInfo.InvariantCulture) > 50, result);
    }

    /// <summary>Random valid configurations, many models in one compilation: every constant equals the runtime layout's.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Generated_constants_equal_the_runtime_layout(int seed)
    {
        var random = new Random(seed);
        var configs = new List<(string Name, LayoutOptions Options, string Attribute)>();
        while (configs.Count < 25)
        {
            var (options, attribute) = RandomValidOptions(random);
            configs.Add(("M" + configs.Count.ToString(CultureInfo.InvariantCulture), options, attribute));
        }

        var source = new StringBuilder("using PhysMem;\nnamespace P;\n");
        foreach (var (name, _, attribute) in configs)
        {
            source.Append($"[MemoryModel({attribute})] public partial class {name} {{ }}\n");
        }

        var compiled = CompiledModel.From(GeneratorHarness.Run(source.ToString()));
        foreach (var (name, options, _) in configs)
        {
            var layout = MemoryLayout.Create(options.Resolve(new List<LayoutDiagnostic>()));
            foreach (var c in layout.Constants)
            {
                object actual = compiled.Constant("P." + name, c.Name);
                object expected = c.Kind switch
                {
                    ConstantKind.Int => (object)(int)c.SignedValue,
                    ConstantKind.Flag => c.Value != 0,
                    _ => c.Value,
                };
                Assert.True(expected.Equals(actual), $"{name}.{c.Name}: generated {actual}, runtime {expected}");
            }

            var generatedLayout = (MemoryLayout)compiled.Type("P." + name).GetProperty("Layout")!.GetValue(null)!;
            Assert.Equal(layout.Spec, generatedLayout.Spec);
            Assert.Equal(layout.ToKernelDefines(), generatedLayout.ToKernelDefines());
        }
    }

    /// <summary>Draws options until the layout accepts them; returns them and the attribute text that sets them.</summary>
    internal static (LayoutOptions Options, string Attribute) RandomValidOptions(Random random)
    {
        while (true)
        {
            var o = new LayoutOptions();
            var args = new List<string>();
            void Set<T>(string name, T value, string text)
            {
                typeof(LayoutOptions).GetProperty(name)!.SetValue(o, value);
                args.Add($"{name} = {text}");
            }

            var model = random.Next(4) == 0 ? Model.Flat : Model.Sparse;
            o.Model = model;
            args.Add("Model." + model);
            int bpl = random.Next(4) == 0 ? 32 : 64;
            Set("BitsPerLong", bpl, bpl.ToString(CultureInfo.InvariantCulture));
            int pageShift = new[] { 12, 12, 13, 14, 16 }[random.Next(5)];
            Set("PageShift", pageShift, pageShift.ToString(CultureInfo.InvariantCulture));
            if (bpl == 32)
            {
                Set("Zones", Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable, "Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable");
            }

            if (model == Model.Sparse)
            {
                int mpb = bpl == 32 ? random.Next(32, 37) : random.Next(36, 53);
                int ssb = random.Next(Math.Max(22, pageShift + 10), Math.Min(mpb, 31) + 1);
                Set("SectionSizeBits", ssb, ssb.ToString(CultureInfo.InvariantCulture));
                Set("MaxPhysmemBits", mpb, mpb.ToString(CultureInfo.InvariantCulture));
                bool vmemmap = bpl == 64 && random.Next(2) == 0;
                Set("Vmemmap", vmemmap, vmemmap ? "true" : "false");
                bool extreme = random.Next(2) == 0;
                Set("Extreme", extreme, extreme ? "true" : "false");
                if (vmemmap && random.Next(3) == 0)
                {
                    Set("ZoneDevice", true, "true");
                }

                // CONFIG_SPARSEMEM_VMEMMAP_PREINIT (6.15+): one more section_mem_map flag bit.
                if (vmemmap && random.Next(3) == 0)
                {
                    Set("VmemmapPreinit", true, "true");
                }
            }

            if (random.Next(2) == 0)
            {
                int nodes = random.Next(0, 11);
                Set("NodesShift", nodes, nodes.ToString(CultureInfo.InvariantCulture));
                if (nodes > 0 && random.Next(2) == 0)
                {
                    Set("NumaBalancing", true, "true");
                    int cpus = random.Next(0, 14);
                    Set("NrCpusBits", cpus, cpus.ToString(CultureInfo.InvariantCulture));
                }
            }

            if (random.Next(3) == 0)
            {
                int flags = random.Next(18, 30);
                Set("NrPageflags", flags, flags.ToString(CultureInfo.InvariantCulture));
            }

            if (bpl == 64 && random.Next(3) == 0)
            {
                int kasan = random.Next(2) == 0 ? 4 : 8;
                Set("KasanTagWidth", kasan, kasan.ToString(CultureInfo.InvariantCulture));
            }

            if (random.Next(3) == 0)
            {
                Set("LruGen", true, "true");
            }

            if (random.Next(4) == 0)
            {
                Set("PageExtension", true, "true");
            }

            // CONFIG_PAGE_BLOCK_MAX_ORDER (6.16+): 1 to MAX_PAGE_ORDER (10 here); pageblock_order follows it.
            if (random.Next(3) == 0)
            {
                int limit = random.Next(1, 11);
                Set("PageBlockMaxOrder", limit, limit.ToString(CultureInfo.InvariantCulture));
            }

            var problems = new List<LayoutDiagnostic>();
            var spec = o.Resolve(problems);
            if (problems.Count == 0 && MemoryLayout.Compute(spec).Layout is not null)
            {
                return (o, string.Join(", ", args));
            }
        }
    }
}
