using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// DISCONTIGMEM end to end: per-node maps, pfn -> nid compiled from [MemoryBank]s as a decision
/// tree against the storage's run-time table, and round trips over every pfn of every bank.
/// </summary>
public class DiscontigTests
{
    private const string Probe = """
        public static unsafe class Probe
        {
            public static string Check(ulong seed, bool compiledLookup)
            {
                using var m = new M();
                var s = m.Storage;
                var map = M.Banks;
                long valid = 0;
                foreach (var r in map.Ranges)
                {
                    ulong first = (r.Start + M.PageSize - 1) >> M.PageShift, end = r.End >> M.PageShift;
                    for (ulong pfn = first; pfn < end; pfn++)
                    {
                        if (!m.PfnValid(pfn)) return $"pfn 0x{pfn:x} of a bank is not valid";
                        global::PhysMem.Page* page = m.PfnToPage(pfn);
                        if (m.PageToPfn(page) != pfn) return $"round trip of 0x{pfn:x} gave 0x{m.PageToPfn(page):x}";
                        if (M.PageToNid(page) != r.Node) return $"page of 0x{pfn:x} is on node {M.PageToNid(page)}, its bank on {r.Node}";
                        if (page != s.PfnToPage(pfn)) return $"PfnToPage(0x{pfn:x}) differs from the storage";
                        valid++;
                    }
                }

                var random = new global::System.Random((int)seed);
                ulong top = (map.EndAddress >> M.PageShift) + 1000;
                // PfnToPage's chunk table, where there is one: every chunk past the last node's reads the
                // table's last entry, -1, and no byte beyond it.
                var chunkNode = typeof(M).GetMethod("NodeOfChunk", global::System.Reflection.BindingFlags.NonPublic | global::System.Reflection.BindingFlags.Static);
                foreach (ulong chunk in new[] { top, 1UL << 40, ulong.MaxValue >> 1, ulong.MaxValue })
                {
                    if (chunkNode != null && (int)chunkNode.Invoke(null, new object[] { chunk })! != -1) return $"chunk 0x{chunk:x} is on node {chunkNode.Invoke(null, new object[] { chunk })}";
                }

                for (int i = 0; i < 200000; i++)
                {
                    ulong pfn = (ulong)random.NextInt64((long)top);
                    if (m.PfnValid(pfn) != s.PfnValid(pfn)) return $"PfnValid(0x{pfn:x}) differs from the storage's table";
                    if (m.PfnToNid(pfn) != s.PfnToNid(pfn)) return $"PfnToNid(0x{pfn:x}) = {m.PfnToNid(pfn)}, the storage's table says {s.PfnToNid(pfn)}";
                }

                return "ok " + valid;
            }
        }
        """;

    /// <summary>Banks for n nodes: each node gets a low bank and a bank after a hole, with partial pages at the ends.</summary>
    private static string Banks(int nodes)
    {
        var sb = new StringBuilder();
        ulong at = 0x1000;
        for (int n = 0; n < nodes; n++)
        {
            sb.Append($"[MemoryBank(0x{at:X}, 0x{0x300_0000UL - 0x800:X}, Node = {n})]");
            sb.Append($"[MemoryBank(0x{at + 0x400_0000:X}, 0x{0x100_0000:X}, Node = {n})]");
            at += 0x800_0000;
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(8, 3)]
    public void Every_pfn_of_every_bank_round_trips_and_the_compiled_lookup_equals_the_table(int nodes, int nodesShift)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = {nodesShift})]{Banks(nodes)}\npublic partial class M {{ }}\n{Probe}");
        Assert.Contains("if (pfn < 0x", run.SingleSource);
        var result = (string)CompiledModel.From(run).Call("Probe", "Check", 7UL, true)!;
        Assert.StartsWith("ok ", result, StringComparison.Ordinal);
        // Each node has (48 MiB - 2 KiB - 4 KiB of partial pages trimmed) + 16 MiB of whole 4 KiB pages.
        long perNode = ((0x300_0000L - 0x800) >> 12) + (0x100_0000L >> 12);
        Assert.Equal(perNode * nodes, long.Parse(result.Substring(3), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(2, 1, "NodeOfChunk(pfn >> 15)")]
    [InlineData(8, 3, "NodeOfChunk(pfn >> 15)")]
    public void PfnToPage_takes_the_node_from_a_chunk_table_where_no_chunk_meets_two_nodes(int nodes, int nodesShift, string lookup)
    {
        // Banks(n): node i spans 80 MiB from 0x1000 + i * 128 MiB, so chunks of 2^15 pfns (128 MiB) hold
        // one node each and chunks of 2^16 would hold two: the shift is the largest that keeps them apart.
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = {nodesShift})]{Banks(nodes)}\npublic partial class M {{ }}\n{Probe}");
        Assert.Contains(lookup, run.SingleSource, StringComparison.Ordinal);
        Assert.StartsWith("ok ", (string)CompiledModel.From(run).Call("Probe", "Check", 3UL, true)!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[MemoryBank(0x0, 0x800_0000, Node = 0)][MemoryBank(0x800_0000, 0x800_0000, Node = 1)]", "NodeOfChunk(pfn >> 15)", "0, 1, -1")] // nodes touch at pfn 0x8000
    [InlineData("[MemoryBank(0x0, 0x1000, Node = 0)][MemoryBank(0x1000, 0xFE000, Node = 1)]", "NodeOfChunk(pfn)", "0, 1 x 254, -1")]   // chunks of one pfn, 256 of them: the most a table has
    public void The_chunk_table_at_its_edges(string banks, string lookup, string entries)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = 1)]{banks}\npublic partial class M {{ }}\n{Probe}");
        Assert.Contains(lookup + ";", run.SingleSource, StringComparison.Ordinal);
        string line = run.SingleSource.Split('\n').Single(l => l.Contains("NodeOfChunkTable =>", StringComparison.Ordinal));
        string expected = string.Join(", ", entries.Split(", ").SelectMany(e => e.Split(" x ") is [var v, var n] ? Enumerable.Repeat(v, int.Parse(n, CultureInfo.InvariantCulture)) : new[] { e }));
        Assert.EndsWith("new sbyte[] { " + expected + " };", line.TrimEnd(), StringComparison.Ordinal);
        Assert.StartsWith("ok ", (string)CompiledModel.From(run).Call("Probe", "Check", 9UL, true)!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[MemoryBank(0x0, 0x1001_0000, Node = 0)][MemoryBank(0x1001_0000, 0x1000_0000, Node = 1)]", 1)]   // nodes meet at pfn 0x10010: chunks of 16 pfns, 8,193 of them
    [InlineData("[MemoryBank(0x0, 0x1000_0000, Node = 0)][MemoryBank(0x1000_0000, 0x1000_0000, Node = 200)]", 8)] // node 200 is no sbyte
    [InlineData("[MemoryBank(0x1000, 0x1000_0000, Node = 0)][MemoryBank(0x2000_0000, 0x1000_0000, Node = 0)]", 1)] // one node: nothing to look up
    [InlineData("[MemoryBank(0x0, 0x1000, Node = 0)][MemoryBank(0x1000, 0xFF000, Node = 1)]", 1)]                  // 257 chunks of one pfn: one past the most
    public void PfnToPage_keeps_the_comparisons_where_a_chunk_table_cannot_serve(string banks, int nodesShift)
    {
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = {nodesShift})]{banks}\npublic partial class M {{ }}\n{Probe}");
        Assert.DoesNotContain("NodeOfChunk", run.SingleSource, StringComparison.Ordinal);
        Assert.Contains("long nid = NodeOf(pfn);", run.SingleSource, StringComparison.Ordinal);
        Assert.StartsWith("ok ", (string)CompiledModel.From(run).Call("Probe", "Check", 5UL, true)!, StringComparison.Ordinal);
    }

    [Fact]
    public void Banks_that_touch_across_nodes_are_one_range_for_PfnValid()
    {
        // Nodes 0-2 back to back, a hole, node 3: pfn_valid needs two ranges, pfn_to_nid four spans.
        string banks = "[MemoryBank(0x0, 0x400_0000, Node = 0)][MemoryBank(0x400_0000, 0x400_0000, Node = 1)]"
            + "[MemoryBank(0x800_0000, 0x400_0000, Node = 2)][MemoryBank(0x1000_0000, 0x400_0000, Node = 3)]";
        var run = GeneratorHarness.Run($"using PhysMem;\n[MemoryModel(Model.Discontig, NodesShift = 2)]{banks}\npublic partial class M {{ }}\n{Probe}");
        string pfnValid = run.SingleSource.Substring(run.SingleSource.IndexOf("public bool PfnValid(ulong pfn)", StringComparison.Ordinal));
        Assert.Contains("// pfns 0x0-0xbfff", pfnValid, StringComparison.Ordinal);
        Assert.Contains("// pfns 0x4000-0x7fff", run.SingleSource, StringComparison.Ordinal);   // node 1's span in PfnToNid

        var result = (string)CompiledModel.From(run).Call("Probe", "Check", 11UL, true)!;
        Assert.Equal("ok " + (4 * (0x400_0000 >> 12)).ToString(CultureInfo.InvariantCulture), result);
    }

    [Fact]
    public void Without_banks_the_storage_table_answers_and_round_trips_hold()
    {
        var run = GeneratorHarness.Run("""
            using PhysMem;
            [MemoryModel(Model.Discontig, NodesShift = 2)]
            public partial class D { }
            public static unsafe class P
            {
                public static string Go()
                {
                    var map = MemoryMap.FromRanges(new MemoryRange(0, 0x2000_0000, 0), new MemoryRange(0x4000_0000, 0x6000_0000, 1), new MemoryRange(0x1_0000_0000, 0x1_1000_0000, 3));
                    using var m = new D(map);
                    long n = 0;
                    foreach (var r in map.Ranges)
                    {
                        for (ulong pfn = r.Start >> 12; pfn < r.End >> 12; pfn += 7)
                        {
                            if (!m.PfnValid(pfn) || m.PageToPfn(m.PfnToPage(pfn)) != pfn || D.PageToNid(m.PfnToPage(pfn)) != r.Node) return "bad 0x" + pfn.ToString("x");
                            n++;
                        }
                    }

                    var node1 = m.Storage.NodeDataOf(1);
                    if (m.PfnValid(0x3000_0000 >> 12) || m.PfnToNid(0x3000_0000 >> 12) != -1) return "hole between nodes";
                    return $"ok {n} {node1.NodeStartPfn:x} {node1.NodeSpannedPages:x} {m.Storage.NodeDataOf(2).NodeMemMap == null}";
                }
            }
            """);
        Assert.DoesNotContain("if (pfn < 0x", run.SingleSource);
        var result = (string)CompiledModel.From(run).Call("P", "Go")!;
        Assert.Equal($"ok {((0x2000_0000 >> 12) + 6) / 7 + ((0x2000_0000 >> 12) + 6) / 7 + ((0x1000_0000 >> 12) + 6) / 7} 40000 20000 True", result);
    }
}
