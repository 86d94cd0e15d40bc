using System.Collections.Generic;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Emitting;

// DISCONTIGMEM: per-node memmaps. With banks ([MemoryBank]s or a memory map file) the node lookup
// and pfn_valid are compiled into balanced decision trees over the bank boundaries, and PfnToPage's
// node, for a valid pfn, into a table of chunks where one is small; without banks, the storage's
// table answers.
internal static partial class ModelEmitter
{
    private static void WriteDiscontigConversions(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout, EquatableArray<BankInfo> banks, string? banksFile)
    {
        var ranges = BankPfnRanges(layout, banks);
        var spans = Merge(ranges, sameNodeOnly: true);
        if (banks.Count > 0)
        {
            string from = banksFile is null ? "the [MemoryBank]s" : "the memory map " + banksFile;
            w.Summary($"arch_pfn_to_nid: the node whose span holds the pfn, or -1; compiled from {from} as constant comparisons.");
            w.Line("/// <exception cref=\"global::System.ObjectDisposedException\">The model was disposed.</exception>");
            w.Line(TypeNames.Inline);
            using (w.Block("public int PfnToNid(ulong pfn)"))
            {
                // The tree reads no table that Dispose could empty, so the test is here (PfnToPage does without).
                w.Line("ThrowIfDisposed();");
                w.Line("return NodeOf(pfn);");
            }

            w.Line();
            // Inlined: PfnToPage calls it for every pfn where there is no chunk table, and as a call
            // it also keeps the JIT from holding _nodes in a register across a loop.
            w.Line(TypeNames.Inline);
            using (w.Block("private static int NodeOf(ulong pfn)"))
            {
                WriteTree(w, spans, 0, spans.Count, v => $"return {I(v)};", "return -1;");
            }

            w.Line();
            // Banks that touch are one range for pfn_valid, whatever their nodes: a shallower tree.
            var memory = Merge(ranges, sameNodeOnly: false);
            w.Summary(banksFile is null ? "pfn_valid: the pfn lies in a [MemoryBank]; compiled as constant comparisons." : $"pfn_valid: the pfn lies in a System RAM range of {banksFile}; compiled as constant comparisons.");
            w.Line("/// <exception cref=\"global::System.ObjectDisposedException\">The model was disposed.</exception>");
            w.Line(TypeNames.Inline);
            using (w.Block("public bool PfnValid(ulong pfn)"))
            {
                w.Line("ThrowIfDisposed();");
                WriteTree(w, memory, 0, memory.Count, _ => "return true;", "return false;");
            }
        }
        else
        {
            w.Summary("arch_pfn_to_nid: the node whose span holds the pfn, or -1 (the storage's table: the banks are only known at run time).");
            w.Line(TypeNames.Inline);
            w.Line("public int PfnToNid(ulong pfn) => _storage.PfnToNid(pfn);");
            w.Line();
            w.Summary("pfn_valid: the pfn lies in a range of the memory map (the storage's table).");
            w.Line(TypeNames.Inline);
            w.Line("public bool PfnValid(ulong pfn) => _storage.PfnValid(pfn);");
        }

        w.Line();
        var chunks = NodeChunks(spans);
        if (chunks is not null)
        {
            WriteChunkTable(w, chunks.Value.Shift, chunks.Value.Nodes);
        }

        w.Summary("__pfn_to_page (DISCONTIGMEM): NODE_DATA(arch_pfn_to_nid(pfn))->node_mem_map + (pfn - node_start_pfn). No check: see PfnValid.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        using (w.Block($"public {pageType.Name}* PfnToPage(ulong pfn)"))
        {
            string nid = banks.Count == 0 ? "PfnToNid(pfn)" : chunks is null ? "NodeOf(pfn)" : (chunks.Value.Shift == 0 ? "NodeOfChunk(pfn)" : $"NodeOfChunk(pfn >> {I(chunks.Value.Shift)})");
            w.Line($"{TypeNames.NodeData}<{pageType.Name}>* nodes = _nodes;");
            w.Line($"long nid = {nid};");
            w.Line("return nodes[nid].NodeMemMap + (pfn - nodes[nid].NodeStartPfn);");
        }

        w.Line();
        w.Summary("__page_to_pfn (DISCONTIGMEM): the node from page->flags, then (page - node_mem_map) + node_start_pfn.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        using (w.Block($"public ulong PageToPfn({pageType.Name}* page)"))
        {
            if (IsTopField(layout, layout.NodesPgshift, layout.NodesMask))
            {
                w.Line("// The node field is the top one, so the shift alone extracts it.");
            }

            w.Line($"{TypeNames.NodeData}<{pageType.Name}>* node = _nodes + ({NodeField(layout, "page->Flags")});");
            w.Line($"return (((ulong)page - (ulong)node->NodeMemMap) / (ulong)sizeof({pageType.Name})) + node->NodeStartPfn;");
        }

        w.Line();
    }

    // The most entries a chunk table may have; a layout needing more keeps the comparisons.
    private const int MaxChunks = 256;

    /// <summary>
    /// For PfnToPage, whose pfn is valid: the node of each 2^shift-pfn chunk, with the largest shift
    /// at which no chunk meets two node spans (so every valid pfn of a chunk is in the chunk's node),
    /// and one entry (-1, as NodeOf gives) for every chunk past the last span's. Null where the
    /// table would pass <see cref="MaxChunks"/> entries, a node does not fit an sbyte, or there is no
    /// choice to make (one span).
    /// </summary>
    private static (int Shift, List<int> Nodes)? NodeChunks(List<(ulong Start, ulong End, int Value)> spans)
    {
        if (spans.Count < 2)
        {
            return null;
        }

        int shift = 63;
        for (int i = 0; i + 1 < spans.Count; i++)
        {
            while (((spans[i].End - 1) >> shift) >= (spans[i + 1].Start >> shift))
            {
                shift--;
            }
        }

        ulong last = (spans[spans.Count - 1].End - 1) >> shift;
        if (last >= MaxChunks - 1)
        {
            return null;
        }

        var nodes = new List<int>();
        for (ulong chunk = 0; chunk <= last + 1; chunk++)
        {
            int node = -1;
            foreach (var (start, end, value) in spans)
            {
                if (start >> shift <= chunk && chunk <= (end - 1) >> shift)
                {
                    node = value;
                }
            }

            if (node > sbyte.MaxValue)
            {
                return null;
            }

            nodes.Add(node);
        }

        return (shift, nodes);
    }

    private static void WriteChunkTable(IndentedWriter w, int shift, List<int> nodes)
    {
        int past = nodes.Count - 1;
        w.Line($"// The node of each chunk of 2^{I(shift)} pfns (pfn >> {I(shift)}), for pfns known to be valid: no chunk");
        w.Line("// meets two node spans, so a valid pfn's chunk gives its node. The last entry (-1) stands for every");
        w.Line("// chunk past the last span's. A table, as x86-32's DISCONTIGMEM physnode_map was.");
        w.Line($"private static global::System.ReadOnlySpan<sbyte> NodeOfChunkTable => new sbyte[] {{ {string.Join(", ", nodes.ConvertAll(I))} }};");
        w.Line();
        w.Line(TypeNames.Inline);
        using (w.Block("private static int NodeOfChunk(ulong chunk)"))
        {
            w.Line($"return global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(NodeOfChunkTable), (global::System.IntPtr)(long)global::System.Math.Min(chunk, {I(past)}UL));");
        }

        w.Line();
    }

    /// <summary>
    /// A balanced binary search over sorted, disjoint [start, end) intervals: each comparison halves
    /// the intervals left, and a leaf checks its one interval (one unsigned comparison).
    /// </summary>
    private static void WriteTree(IndentedWriter w, List<(ulong Start, ulong End, int Value)> intervals, int lo, int hi, System.Func<int, string> hit, string miss)
    {
        if (hi - lo == 1)
        {
            var (start, end, value) = intervals[lo];
            w.Line($"// pfns 0x{start:x}-0x{end - 1:x}");
            w.Line($"if (pfn - 0x{LayoutConstant.GroupHex(start)}UL < 0x{LayoutConstant.GroupHex(end - start)}UL)");
            w.Line("{");
            w.Line("    " + hit(value));
            w.Line("}");
            w.Line();
            w.Line(miss);
            return;
        }

        int mid = (lo + hi) / 2;
        using (w.Block($"if (pfn < 0x{LayoutConstant.GroupHex(intervals[mid].Start)}UL)"))
        {
            WriteTree(w, intervals, lo, mid, hit, miss);
        }

        w.Line();
        WriteTree(w, intervals, mid, hi, hit, miss);
    }

    private static List<(ulong Start, ulong End, int Value)> BankPfnRanges(MemoryLayout layout, EquatableArray<BankInfo> banks)
    {
        var list = new List<(ulong Start, ulong End, int Value)>();
        foreach (var b in banks)
        {
            // Partial pages at either end are not memory (PFN_UP / PFN_DOWN).
            ulong start = (b.Start + layout.PageSize - 1) >> layout.PageShift;
            ulong end = (b.Start + b.Size) >> layout.PageShift;
            list.Add((start, end, b.Node));
        }

        list.Sort((a, b) => a.Start.CompareTo(b.Start));
        return list;
    }

    // Joins neighbouring ranges (sorted): with sameNodeOnly, those of one node into its span (holes
    // included); without, those that touch, into runs of memory.
    private static List<(ulong Start, ulong End, int Value)> Merge(List<(ulong Start, ulong End, int Value)> ranges, bool sameNodeOnly)
    {
        var spans = new List<(ulong Start, ulong End, int Value)>();
        foreach (var r in ranges)
        {
            int last = spans.Count - 1;
            if (last >= 0 && (sameNodeOnly ? spans[last].Value == r.Value : spans[last].End == r.Start))
            {
                spans[last] = (spans[last].Start, r.End, spans[last].Value);
            }
            else
            {
                spans.Add(r);
            }
        }

        return spans;
    }
}
