using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using static PhysMem.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Compile-time banks from a memory map file (<c>MemoryMapFile</c>, an AdditionalFile): the
/// compiled lookups against the storage's run-time table over a map captured from a real kernel,
/// every diagnostic with its message and where it points in the file, and caching.
/// </summary>
public class MemoryMapFileTests
{
    private const string MapPath = "/src/board/maps/board.iomem";

    // A QEMU guest of Debian's 6.12 kernel with four NUMA nodes of 512 MiB, 1.5 GiB, 2 GiB and 3 GiB
    // (tests/PhysMem.Tests/Fixtures/qemu-6.12-4node-uneven): node 2 runs across the PCI hole.
    private const string Numa = "# numa: 0:0x0-0x1fffffff,1:0x20000000-0x7fffffff,2:0x80000000-0x13fffffff,3:0x140000000-0x1ffffffff";

    private static string Captured => File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "qemu-6.12-4node-uneven", "iomem"));

    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Check(ulong seed)
            {
                using var m = new M();
                var s = m.Storage;
                long valid = 0;
                foreach (var r in M.Banks.Ranges)
                {
                    for (ulong pfn = (r.Start + M.PageSize - 1) >> M.PageShift; pfn < r.End >> M.PageShift; pfn++)
                    {
                        if (!m.PfnValid(pfn)) return $"pfn 0x{pfn:x} of a bank is not valid";
                        global::PhysMem.Page* page = m.PfnToPage(pfn);
                        if (m.PageToPfn(page) != pfn) return $"round trip of 0x{pfn:x} gave 0x{m.PageToPfn(page):x}";
                        if (M.PageToNid(page) != r.Node) return $"page of 0x{pfn:x} is on node {M.PageToNid(page)}, its range on {r.Node}";
                        valid++;
                    }
                }

                var random = new global::System.Random((int)seed);
                ulong top = (M.Banks.EndAddress >> M.PageShift) + 100000;
                for (int i = 0; i < 200000; i++)
                {
                    ulong pfn = (ulong)random.NextInt64((long)top);
                    if (m.PfnValid(pfn) != s.PfnValid(pfn)) return $"PfnValid(0x{pfn:x}) differs from the storage's table";
                    if (m.PfnToNid(pfn) != s.PfnToNid(pfn)) return $"PfnToNid(0x{pfn:x}) = {m.PfnToNid(pfn)}, the storage's table says {s.PfnToNid(pfn)}";
                }

                var spans = new global::System.Text.StringBuilder();
                for (int n = 0; n < 4; n++)
                {
                    var node = s.NodeDataOf(n);
                    spans.Append($" {node.NodeStartPfn:x}+{node.NodeSpannedPages:x}");
                }

                return "ok " + valid + spans;
            }
        }
        """;

    [Fact]
    public void The_compiled_lookup_from_a_captured_map_equals_the_table_and_the_kernels_nodes()
    {
        var run = KconfigHarness.Run("using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = 2, MemoryMapFile = \"board.iomem\")]\npublic partial class M { }\n" + Probe,
            new[] { new InMemoryAdditionalText(MapPath, Numa + "\n" + Captured) });
        Assert.Empty(run.GeneratorDiagnostics);
        string source = run.SingleSource;
        Assert.Contains("compiled from the memory map board.iomem as constant comparisons", source, StringComparison.Ordinal);
        Assert.Contains("if (pfn < 0x", source, StringComparison.Ordinal);

        // The banks, read off the captured iomem and the node sizes given to QEMU by hand.
        Assert.Contains("new global::PhysMem.MemoryRange(0x1000UL, 0x9_FC00UL, 0),", source, StringComparison.Ordinal);
        Assert.Contains("new global::PhysMem.MemoryRange(0x10_0000UL, 0x2000_0000UL, 0),", source, StringComparison.Ordinal);
        Assert.Contains("new global::PhysMem.MemoryRange(0x2000_0000UL, 0x8000_0000UL, 1),", source, StringComparison.Ordinal);
        Assert.Contains("new global::PhysMem.MemoryRange(0x8000_0000UL, 0xBFFE_0000UL, 2),", source, StringComparison.Ordinal);
        Assert.Contains("new global::PhysMem.MemoryRange(0x1_0000_0000UL, 0x1_4000_0000UL, 2),", source, StringComparison.Ordinal);
        Assert.Contains("new global::PhysMem.MemoryRange(0x1_4000_0000UL, 0x2_0000_0000UL, 3));", source, StringComparison.Ordinal);

        string result = (string)CompiledModel.From(run).Call("Probe", "Check", 11UL)!;
        Assert.StartsWith("ok ", result, StringComparison.Ordinal);
        string[] parts = result.Split(' ');
        long pages = (0x9fc00 >> 12) - 1 + ((0xbffe0000L - 0x100000) >> 12) + ((0x200000000L - 0x100000000L) >> 12);
        Assert.Equal(pages, long.Parse(parts[1], CultureInfo.InvariantCulture));

        // Each node's span is the one the kernel reported: from its first zone's start to its last zone's end.
        var zones = MemoryReport.ParseZoneinfo(File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "qemu-6.12-4node-uneven", "zoneinfo"))).Where(z => z.Spanned != 0).ToList();
        for (int n = 0; n < 4; n++)
        {
            ulong start = zones.Where(z => z.Node == n).Min(z => z.StartPfn);
            ulong end = zones.Where(z => z.Node == n).Max(z => z.StartPfn + z.Spanned);
            Assert.Equal($"{start:x}+{end - start:x}", parts[2 + n]);
        }
    }

    [Fact]
    public void A_file_generates_the_same_code_as_the_same_banks_written_as_attributes()
    {
        // The banks of the Discontig snapshot, as a memory map.
        const string Map = """
            # numa: 0:0x0-0xffffffff,1:0x100000000-0x2ffffffff,2:0x300000000-0x3ffffffff
            00000000-00000fff : Reserved
            00001000-0009efff : System RAM
            00100000-bfffffff : System RAM
              01000000-01ffffff : Kernel code
            100000000-23fffffff : System RAM
            300000000-3ffffffff : System RAM
            """;
        var fromFile = KconfigHarness.Run("using PhysMem;\nnamespace Numa;\n[MemoryModel(Model.Discontig, NodesShift = 2, MemoryMapFile = \"board.iomem\")]\npublic partial class ThreeNodes { }",
            new[] { new InMemoryAdditionalText(MapPath, Map) });
        var fromAttributes = GeneratorHarness.Run(SnapshotTests.DiscontigThreeNodes);
        Assert.Empty(fromFile.GeneratorDiagnostics);
        Assert.Empty(fromFile.CompilationDiagnostics);

        // Only the doc comments that name where the banks came from differ.
        static string Code(string source) => string.Join("\n", source.Split('\n').Where(l => !l.TrimStart().StartsWith("/// <summary>", StringComparison.Ordinal)));
        Assert.Equal(Code(fromAttributes.SingleSource), Code(fromFile.SingleSource));
        Assert.NotEqual(fromAttributes.SingleSource, fromFile.SingleSource);
    }

    [Fact]
    public void Sparse_models_take_the_file_too_and_the_runtime_reads_the_same_file()
    {
        string text = Numa + "\n" + Captured;
        var run = KconfigHarness.Run("using System.Linq;\nusing PhysMem;\n[MemoryModel(Arch.X86_64, MemoryMapFile = \"maps/board.iomem\")]\npublic partial class S { }\npublic static class P { public static string Go(string text) { using var s = new S(); return (s.Storage.Map.Ranges.SequenceEqual(MemoryMap.ParseIomem(text).Ranges) ? \"same \" : \"differ \") + s.Storage.PresentSections.Count(); } }",
            new[] { new InMemoryAdditionalText(MapPath, text) });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("The memory of the memory map maps/board.iomem", run.SingleSource, StringComparison.Ordinal);
        int blocks = File.ReadAllLines(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "qemu-6.12-4node-uneven", "memory_blocks")).Count(l => l.Trim().Length > 0);
        Assert.Equal("same " + blocks, CompiledModel.From(run).Call("P", "Go", text));
    }

    /// <summary>A run with <paramref name="map"/> as board.iomem (null: a file the compiler cannot read).</summary>
    private static GeneratorRun Run(string attribute, string? map) =>
        KconfigHarness.Run("using PhysMem;\nnamespace N;\n[" + attribute + "] public partial class M { }", new[] { new InMemoryAdditionalText(MapPath, map) });

    /// <summary>
    /// The diagnostics marked in <paramref name="attribute"/>, <paramref name="banks"/> and
    /// <paramref name="map"/> (the project's board.iomem, when given); the marked diagnostic has
    /// <paramref name="message"/> (see <see cref="DiagnosticAssert.Expect"/>).
    /// </summary>
    private static Task<GeneratorRun> Expect(string attribute, string? map, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error, string banks = "") =>
        DiagnosticAssert.Expect("[" + attribute + "]" + banks + " public partial class M { }", message, severity,
            files: map is null ? null : new[] { (MapPath, map) });

    [Theory]
    [InlineData("{|PMEM0019:00001000-0009fbff System RAM|}\n", 1, "expected 'start-end : name' with hexadecimal addresses")]
    [InlineData("00001000-0009fbff : System RAM\n{|PMEM0019:0000zz00|}-0009fbff : System RAM\n", 2, "'0000zz00' is not a hexadecimal address")]
    [InlineData("00001000-0009fbff : System RAM\n00100000-{|PMEM0019:bffzffff |}: System RAM\n", 2, "'bffzffff' is not a hexadecimal address")]
    [InlineData("# numa: 0:0x0-0xbfffffff, {|PMEM0019:1:0xc0000000-zz|}\n00001000-0009fbff : System RAM\n", 1, "The NUMA item '1:0xc0000000-zz' is not of the form node:start-end (for example 1:0xc0000000-0x23fffffff, end inclusive) or a line of the kernel's 'Early memory node ranges' (node   1: [mem 0x00000000c0000000-0x000000023fffffff]).")]
    [InlineData("# numa: 0:0x0-0xfffff\n{|PMEM0019:#numa: 0:0x0-0xfffff|}\n00001000-0009fbff : System RAM\n", 2, "a second '# numa:' line; give every node's part in one")]
    public Task PMEM0019_Malformed_line(string map, int line, string detail) => Expect(
        "MemoryModel(Model.Discontig, NodesShift = 1, MemoryMapFile = \"board.iomem\")", map, "board.iomem:" + line.ToString(CultureInfo.InvariantCulture) + ": " + detail);

    [Fact]
    public Task PMEM0020_File_not_in_AdditionalFiles() => Expect(
        "MemoryModel(Model.Discontig, {|PMEM0020:MemoryMapFile = \"board.iomem\"|})", null,
        "The memory map 'board.iomem' named by MemoryMapFile is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"board.iomem\" /> to the project file");

    [Fact]
    public Task PMEM0021_File_and_banks() => Expect(
        "MemoryModel(Model.Discontig, {|PMEM0021:MemoryMapFile = \"board.iomem\"|})", "00001000-0009fbff : System RAM\n",
        "The type 'N.M' takes its memory from the memory map 'board.iomem' and from 2 [MemoryBank] attribute(s); give the banks in one place: remove the attributes or MemoryMapFile",
        banks: "[MemoryBank(0x0, 0x4000_0000)][MemoryBank(0x1_0000_0000, 0x4000_0000)]");

    [Fact]
    public async Task PMEM0022_Overlapping_ranges()
    {
        await Expect("MemoryModel(Model.Discontig, MemoryMapFile = \"board.iomem\")", "00001000-00004fff : System RAM\n  00002000-00002fff : Kernel code\n{|PMEM0022:00004000-00008fff : System RAM|}\n",
            "board.iomem:3: the System RAM ranges 0x1000-0x4fff (line 1) and 0x4000-0x8fff (line 3) overlap; every byte of memory belongs to one range");

        await Expect("MemoryModel(Model.Discontig, NodesShift = 1, MemoryMapFile = \"board.iomem\")", "# numa: 0:0x0-0xfffff,{|PMEM0022:1:0x8000-0x1ffff|}\n00001000-0009fbff : System RAM\n",
            "board.iomem:1: The node parts 0x0-0xfffff (node 0) and 0x8000-0x1ffff (node 1) overlap; every address belongs to one node.");
    }

    [Fact]
    public async Task PMEM0023_Range_beyond_MaxPhysmemBits()
    {
        const string Map = "00100000-bfffffff : System RAM\n{|PMEM0023:3ffff8000000-400007ffffff : System RAM|}\n";
        await Expect("MemoryModel(Model.Sparse, MemoryMapFile = \"board.iomem\")", Map,
            "board.iomem:2: the memory range 0x3ffff8000000-0x400007ffffff reaches beyond MAX_PHYSMEM_BITS = 46: the model describes physical addresses below 0x400000000000");
        Assert.Empty(Run("MemoryModel(Model.Sparse, MaxPhysmemBits = 52, MemoryMapFile = \"board.iomem\")", DiagnosticAssert.Unmarked(Map)).GeneratorDiagnostics);
    }

    [Fact]
    public Task PMEM0024_Node_beyond_MAX_NUMNODES() => Expect(
        "MemoryModel(Model.Discontig, NodesShift = 1, MemoryMapFile = \"board.iomem\")", "# numa: 0:0x0-0xbfffffff,{|PMEM0024:2:0xc0000000-0x23fffffff|}\n00100000-23fffffff : System RAM\n",
        "board.iomem:1: the memory range 0xc0000000-0x23fffffff is on node 2, but MAX_NUMNODES = 1 << NodesShift = 1 << 1 = 2: nodes run from 0 to 1");

    [Fact]
    public void PMEM0025_File_unreadable()
    {
        var run = Run("MemoryModel(Model.Discontig, MemoryMapFile = \"board.iomem\")", null);
        InSource(Single(run, "PMEM0025", "The memory map 'board.iomem' cannot be read: the compiler returned no text for it (does it exist, and is it readable?)"),
            "MemoryMapFile = \"board.iomem\"");
    }

    [Fact]
    public Task PMEM0026_Memory_on_no_node() => Expect(
        "MemoryModel(Model.Discontig, NodesShift = 1, MemoryMapFile = \"board.iomem\")", "# numa: 0:0x0-0xbfffffff\n{|PMEM0026:00100000-23fffffff : System RAM|}\n",
        "board.iomem:2: Memory 0xc0000000-0x23fffffff of the range 0x100000-0x23fffffff (line 2) lies in no node's part. Extend the '# numa:' line so that every System RAM range lies in a node's part.");

    [Fact]
    public Task PMEM0027_Hidden_addresses() => Expect(
        "MemoryModel(Model.Discontig, MemoryMapFile = \"board.iomem\")", "00000000-00000000 : Reserved\n{|PMEM0027:00000000-00000000 : System RAM|}\n",
        "board.iomem:2: every address reads as zero: the kernel prints real addresses in /proc/iomem only to a reader with CAP_SYS_ADMIN; copy the file as root ('sudo cat /proc/iomem')");

    [Fact]
    public async Task PMEM0028_Node_spans_interleave()
    {
        const string Map = "# numa: 0:0x0-0x3fffffff,1:0x40000000-0x7fffffff,0:0x80000000-0xbfffffff\n{|PMEM0028:00000000-bfffffff : System RAM|}\n";
        await Expect("MemoryModel(Model.Discontig, NodesShift = 1, MemoryMapFile = \"board.iomem\")", Map,
            "board.iomem:2: the memory range 0x40000000-0x7fffffff of node 1 lies inside the span of node 0 (0x0-0xbfffffff); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave");

        // SPARSEMEM has no such restriction.
        Assert.Empty(Run("MemoryModel(Model.Sparse, NodesShift = 1, MemoryMapFile = \"board.iomem\")", DiagnosticAssert.Unmarked(Map)).GeneratorDiagnostics);
    }

    [Fact]
    public async Task PMEM0115_No_memory()
    {
        var run = await Expect("MemoryModel(Model.Discontig, {|PMEM0115:MemoryMapFile = \"board.iomem\"|})", "00000000-00000fff : Reserved\n",
            "The memory map 'board.iomem' lists no System RAM: the model gets no banks, so there is no parameterless constructor and its lookups use the storage's table", DiagnosticSeverity.Warning);
        Assert.Contains("public int PfnToNid(ulong pfn) => _storage.PfnToNid(pfn);", run.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PMEM0116_No_whole_page()
    {
        var run = await Expect("MemoryModel(Model.Discontig, MemoryMapFile = \"board.iomem\")", "00001000-00001fff : System RAM\n{|PMEM0116:00002800-00002fff : System RAM|}\n",
            "board.iomem:2: the memory range 0x2800-0x2fff holds no whole page of 4096 bytes and is left out, as the kernel leaves out partial pages", DiagnosticSeverity.Warning);
        Assert.Contains("new global::PhysMem.MemoryRange(0x1000UL, 0x2000UL, 0));", run.SingleSource, StringComparison.Ordinal);
    }

    private static readonly string[] Pieces =
    {
        "00001000-0009fbff : System RAM", "00100000-bfffffff : System RAM", "100000000-23fffffff : System RAM", "ffffffffffffffff-ffffffffffffffff : System RAM",
        "fffffffffffff000-fffffffffffffffe : System RAM", "00000000-00000000 : System RAM", "  00002000-00002fff : Kernel code", "0-0", ":", "-", "# numa:", "#numa:numa:",
        "# numa: 0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff", "# numa: 4000:0x0-0xffffffffffffffff", "# numa: ,,,", "# numa: 1:0x5-0x4", "12345678901234567-1 : System RAM",
        "00001000-00000fff : System RAM", "\t00000000-ffffffff : PCI", "#", "\r", string.Empty, "0x1000-0x2000 : System RAM", "1000-1fff :System RAM",
    };

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 5));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_maps_never_crash_and_always_explain(int seed)
    {
        // The harness fails on any generator exception (CS8785); every map is generated from, or explained.
        var random = new Random(seed);
        for (int i = 0; i < 12; i++)
        {
            var lines = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pieces[random.Next(Pieces.Length)]).ToArray();
            string map = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", lines);
            string model = random.Next(2) == 0 ? "Model.Discontig" : "Model.Sparse";
            var run = Run($"MemoryModel({model}, NodesShift = {random.Next(0, 4)}, MemoryMapFile = \"board.iomem\")", map);
            Assert.True(run.Sources.Count == 1 || run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), "no source and no error for:\n" + map);
            Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }
    }

    [Fact]
    public void Editing_the_map_regenerates_only_the_model_that_uses_it()
    {
        const string Source = "using PhysMem;\nnamespace N;\n[MemoryModel(Model.Discontig, NodesShift = 2, MemoryMapFile = \"board.iomem\")] public partial class FromMap { }\n[MemoryModel(Arch.X86_64)] public partial class FromPreset { }";
        var original = new InMemoryAdditionalText(MapPath, Numa + "\n" + Captured);
        var notes = new InMemoryAdditionalText("/src/board/notes.txt", "one");
        KconfigHarness.RunWithDriver(Source, new AdditionalText[] { original, notes }, null, out var driver, out var compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        // An unrelated additional file: nothing of the map's steps runs again.
        driver = driver.ReplaceAdditionalText(notes, new InMemoryAdditionalText("/src/board/notes.txt", "two")).RunGenerators(compilation);
        GeneratorHarness.AssertStepsCached(driver.GetRunResult().Results.Single(), "PhysMem.MemoryMapFiles", "PhysMem.Banks", "PhysMem.Sources");

        // Node 3 given to node 2: only the model that reads the map is regenerated.
        string edited = Numa.Replace(",3:0x140000000-0x1ffffffff", string.Empty, StringComparison.Ordinal).Replace("2:0x80000000-0x13fffffff", "2:0x80000000-0x1ffffffff", StringComparison.Ordinal) + "\n" + Captured;
        driver = driver.ReplaceAdditionalText(original, new InMemoryAdditionalText(MapPath, edited)).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.NotEqual(before["N.FromMap.g.cs"], after["N.FromMap.g.cs"]);
        Assert.Contains("new global::PhysMem.MemoryRange(0x1_0000_0000UL, 0x2_0000_0000UL, 2));", after["N.FromMap.g.cs"], StringComparison.Ordinal);
        Assert.Equal(before["N.FromPreset.g.cs"], after["N.FromPreset.g.cs"]);
        GeneratorHarness.AssertOnlyModelRegenerated(result, "FromMap", "PhysMem.Banks", "PhysMem.Results", "PhysMem.Sources");

        GeneratorHarness.AssertCachedAfterUnrelatedEdit(driver, compilation);
    }
}
