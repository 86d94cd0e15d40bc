using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.Native;

/// <summary>
/// Writes what the native C program needs to run the same operations over the same memory layout
/// and the same streams, per model: <c>NAME.h</c> (the layout as <c>#define</c>s with the kernel's
/// names, and the <c>CONFIG_*</c> switches), <c>NAME.bin</c> (memory ranges, present sections, the
/// <c>page-&gt;flags</c> word of every page as runs, and the three streams) and
/// <c>NAME.expected</c> (the checksums of the generated model, which the C program must reproduce).
/// A DISCONTIGMEM model's header also carries its node spans and memory banks as constant tables
/// (<c>NODE_SPANS</c>, <c>MEMORY_BANKS</c>), and its memory and streams are those of its banks.
/// </summary>
public static unsafe class NativeExport
{
    /// <summary>The magic number that opens every <c>.bin</c> file ("PMBNCH01", little endian).</summary>
    public const ulong Magic = 0x3130_4843_4E42_4D50;

    /// <summary>Runs the command.</summary>
    /// <param name="args">The output folder.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: native-export DIR");
            return 2;
        }

        string dir = args[0];
        Directory.CreateDirectory(dir);
        var map = BenchmarkMemory.Map;
        var streams = BenchmarkMemory.Streams;

        using (var flat = new FlatModel(map))
        {
            var ops = new GeneratedFlat(flat);
            Write(dir, "Flat", "CONFIG_FLATMEM", FlatModel.Layout, map, streams, Runs(ops, 0, flat.Storage.MaxMapnr), Array.Empty<ulong>(), flat.Storage.MaxMapnr, StreamCheck.Compute(ops, streams));
        }

        using (var model = new ClassicStaticModel(map))
        {
            var ops = new GeneratedClassicStatic(model);
            WriteSparse(dir, "ClassicStatic", "CONFIG_SPARSEMEM", ClassicStaticModel.Layout, model.Storage, ops, streams);
        }

        using (var model = new ClassicExtremeModel(map))
        {
            var ops = new GeneratedClassicExtreme(model);
            WriteSparse(dir, "ClassicExtreme", "CONFIG_SPARSEMEM CONFIG_SPARSEMEM_EXTREME", ClassicExtremeModel.Layout, model.Storage, ops, streams);
        }

        using (var model = new VmemmapModel(map))
        {
            var ops = new GeneratedVmemmap(model);
            WriteSparse(dir, "Vmemmap", "CONFIG_SPARSEMEM CONFIG_SPARSEMEM_VMEMMAP CONFIG_SPARSEMEM_EXTREME", VmemmapModel.Layout, model.Storage, ops, streams);
        }

        using (var model = new DiscontigTwoNodeModel())
        {
            WriteDiscontig(dir, "DiscontigTwoNode", DiscontigTwoNodeModel.Layout, model.Storage, new GeneratedDiscontigTwoNode(model), BenchmarkMemory.TwoNodeStreams);
        }

        using (var model = new DiscontigEightNodeModel())
        {
            WriteDiscontig(dir, "DiscontigEightNode", DiscontigEightNodeModel.Layout, model.Storage, new GeneratedDiscontigEightNode(model), BenchmarkMemory.EightNodeStreams);
        }

        Console.WriteLine("Wrote the native inputs of 6 models to " + dir);
        return 0;
    }

    private static void WriteDiscontig<T>(string dir, string name, MemoryLayout layout, DiscontigMemory storage, T ops, PfnStreams streams)
        where T : struct, IPageOperations
    {
        var runs = new List<(ulong Start, ulong End, ulong Flags)>();
        var banks = storage.Map.Pfns(layout.PageShift);
        foreach (var bank in banks)
        {
            runs.AddRange(Runs(ops, bank.Start, bank.End));
        }

        // The node spans (entry i is node i) and the banks, as constant tables of { start, end } pfns.
        var c = CultureInfo.InvariantCulture;
        var nodes = new List<string>();
        for (int nid = 0; nid < storage.NodeCount; nid++)
        {
            var node = storage.NodeDataOf(nid);
            nodes.Add($"{{ 0x{node.NodeStartPfn.ToString("x", c)}UL, 0x{node.NodeEndPfn.ToString("x", c)}UL }}");
        }

        string tables =
            "#define NR_NODE_SPANS " + storage.NodeCount.ToString(c) + "\n"
            + "#define NODE_SPANS { " + string.Join(", ", nodes) + " }\n"
            + "#define NR_MEMORY_BANKS " + banks.Count.ToString(c) + "\n"
            + "#define MEMORY_BANKS { " + string.Join(", ", banks.Select(b => $"{{ 0x{b.Start.ToString("x", c)}UL, 0x{b.End.ToString("x", c)}UL }}")) + " }\n";
        Write(dir, name, "CONFIG_DISCONTIGMEM CONFIG_NUMA", layout, storage.Map, streams, runs, Array.Empty<ulong>(), 0, StreamCheck.Compute(ops, streams), tables);
    }

    private static void WriteSparse<T>(string dir, string name, string configs, MemoryLayout layout, SparseMemory storage, T ops, PfnStreams streams)
        where T : struct, IPageOperations
    {
        var runs = new List<(ulong Start, ulong End, ulong Flags)>();
        var present = new List<ulong>();
        foreach (ulong nr in storage.PresentSections)
        {
            present.Add(nr);
            ulong start = nr << layout.PfnSectionShift;
            runs.AddRange(Runs(ops, start, start + layout.PagesPerSection));
        }

        Write(dir, name, configs, layout, BenchmarkMemory.Map, streams, runs, present, 0, StreamCheck.Compute(ops, streams));
    }

    // The flags of pfns [start, end) as runs of equal words.
    private static List<(ulong Start, ulong End, ulong Flags)> Runs<T>(T ops, ulong start, ulong end)
        where T : struct, IPageOperations
    {
        var runs = new List<(ulong Start, ulong End, ulong Flags)>();
        for (ulong pfn = start; pfn < end; pfn++)
        {
            ulong flags = ops.PfnToPage(pfn)->Flags;
            if (runs.Count > 0 && runs[^1].End == pfn && runs[^1].Flags == flags)
            {
                runs[^1] = (runs[^1].Start, pfn + 1, flags);
            }
            else
            {
                runs.Add((pfn, pfn + 1, flags));
            }
        }

        return runs;
    }

    private static void Write(string dir, string name, string configs, MemoryLayout layout, MemoryMap map, PfnStreams streams, List<(ulong Start, ulong End, ulong Flags)> runs, IReadOnlyList<ulong> present, ulong maxMapnr, List<Checksum> expected, string tables = "")
    {
        var c = CultureInfo.InvariantCulture;
        var header = new StringBuilder();
        header.Append("/* The layout of the benchmark model ").Append(name).Append(" (").Append(layout.Describe()).Append("), written by 'native-export'. */\n");
        header.Append("#define PHYSMEM_MODEL \"").Append(name).Append("\"\n");
        foreach (string config in configs.Split(' '))
        {
            header.Append("#define ").Append(config).Append(" 1\n");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var constant in layout.Constants)
        {
            if (!seen.Add(constant.KernelName))
            {
                continue;
            }

            string value = constant.Kind switch
            {
                ConstantKind.Int => constant.SignedValue < 0 ? "(" + constant.DecimalText + ")" : constant.DecimalText,
                ConstantKind.Flag => constant.Value != 0 ? "1" : "0",
                _ => "0x" + constant.Value.ToString("x", c) + "UL",
            };
            header.Append("#define ").Append(constant.KernelName).Append(' ').Append(value).Append('\n');
        }

        header.Append(tables);
        File.WriteAllText(Path.Combine(dir, name + ".h"), header.ToString());

        using (var stream = File.Create(Path.Combine(dir, name + ".bin")))
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Magic);
            w.Write((ulong)BenchmarkMemory.StreamLength);
            var ranges = map.Pfns(layout.PageShift);
            w.Write((ulong)ranges.Count);
            foreach (var range in ranges)
            {
                w.Write(range.Start);
                w.Write(range.End);
                w.Write((ulong)range.Node);
            }

            w.Write((ulong)present.Count);
            foreach (ulong nr in present)
            {
                w.Write(nr);
            }

            w.Write(maxMapnr);
            w.Write((ulong)runs.Count);
            foreach (var (start, end, flags) in runs)
            {
                w.Write(start);
                w.Write(end);
                w.Write(flags);
            }

            foreach (var pfns in new[] { streams.Random, streams.Sequential, streams.Mixed })
            {
                foreach (ulong pfn in pfns)
                {
                    w.Write(pfn);
                }
            }
        }

        var lines = new StringBuilder();
        foreach (var sum in expected)
        {
            lines.Append(sum.Operation).Append(' ').Append(sum.Stream).Append(' ').Append(sum.Value.ToString(c)).Append('\n');
        }

        File.WriteAllText(Path.Combine(dir, name + ".expected"), lines.ToString());
    }
}
