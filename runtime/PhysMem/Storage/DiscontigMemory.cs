using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace PhysMem;

// RS0022: the public constructors make PageStorage<TPage> derivable through this class, but the
// base shares nothing with derived types except through private protected members, so nothing is exposed.
#pragma warning disable RS0022

/// <summary>
/// The storage of a DISCONTIGMEM model configured at run time: one <see cref="NodeData{TPage}"/> per
/// node, each with its own <c>node_mem_map</c> covering the node's span (holes included) and nothing
/// between nodes (include/asm-generic/memory_model.h of the kernels that still had DISCONTIGMEM).
/// </summary>
/// <remarks>
/// <c>arch_pfn_to_nid</c> is a binary search over the nodes' spans here; a model whose memory
/// banks are declared with <c>[MemoryBank]</c> gets it generated as constant comparisons instead.
/// <see cref="PfnValid"/> holds for pfns inside a range of the map (a bank), not for holes.
/// <see cref="DiscontigMemory"/> is this class over the default 64-byte <see cref="Page"/>.
/// </remarks>
/// <typeparam name="TPage">The frame descriptor: an unmanaged struct with a <c>Flags</c> field (see <see cref="PageDescriptor{TPage}"/>).</typeparam>
public unsafe class DiscontigMemory<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage> : PageStorage<TPage>
    where TPage : unmanaged
{
    private readonly ulong[] _spanStarts;
    private readonly ulong[] _spanEnds;
    private readonly int[] _spanNodes;
    private readonly ulong[] _rangeStarts;
    private readonly ulong[] _rangeEnds;
    private readonly List<VirtualMemoryReservation> _maps = new();
    private readonly int _nodeCount;
    private readonly NativeBlocks _blocks = new();
    private NodeData<TPage>* _nodes;

    /// <summary>Builds one memmap per node for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A DISCONTIGMEM layout.</param>
    /// <param name="map">The physical memory; each range's node says which node it belongs to.</param>
    /// <exception cref="ArgumentException">The layout is not DISCONTIGMEM, a node is beyond <c>MAX_NUMNODES</c>, two nodes' spans overlap, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">Address space for a node's memmap could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map)
        : this(layout, map, null)
    {
    }

    /// <summary>Builds one memmap per node for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A DISCONTIGMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="ArgumentException">The layout is not DISCONTIGMEM, the map is empty, a node is beyond <c>MAX_NUMNODES</c>, two nodes' spans overlap, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">Address space for a node's memmap could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : this(layout, map, zoneRule, null)
    {
    }

    /// <summary>Builds one memmap per node for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A DISCONTIGMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <param name="limits">What the storage may allocate; null for <see cref="StorageLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">The layout is not DISCONTIGMEM, the map is empty, a node is beyond <c>MAX_NUMNODES</c>, two nodes' spans overlap, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">Address space for a node's memmap could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <paramref name="limits"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public DiscontigMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, static l => l.Model == Model.Discontig, "DiscontigMemory needs a DISCONTIGMEM layout", string.Empty, null)
    {
        var runs = map.Pfns(layout.PageShift);
        if (runs.Count == 0)
        {
            throw new ArgumentException("The memory map holds no whole page of " + ByteSize.Format(layout.PageSize) + ", so no node has memory.", nameof(map));
        }

        // Each node spans from its first to its last pfn; the spans must not interleave.
        var spans = new SortedDictionary<int, (ulong Start, ulong End, ulong Present)>();
        _rangeStarts = new ulong[runs.Count];
        _rangeEnds = new ulong[runs.Count];
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (run.Node < 0 || run.Node >= layout.MaxNumnodes)
            {
                throw new ArgumentException(
                    $"The range of pfns 0x{run.Start:x}-0x{run.End - 1:x} is on node {run.Node}, but the layout has MAX_NUMNODES = {layout.MaxNumnodes} (NodesShift {layout.NodesShift}).", nameof(map));
            }

            _rangeStarts[i] = run.Start;
            _rangeEnds[i] = run.End;
            spans[run.Node] = spans.TryGetValue(run.Node, out var s)
                ? (Math.Min(s.Start, run.Start), Math.Max(s.End, run.End), s.Present + (run.End - run.Start))
                : (run.Start, run.End, run.End - run.Start);
        }

        var ordered = new List<(ulong Start, ulong End, int Node)>();
        foreach (var kv in spans)
        {
            ordered.Add((kv.Value.Start, kv.Value.End, kv.Key));
        }

        ordered.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Start < ordered[i - 1].End)
            {
                throw new ArgumentException(
                    $"Node {ordered[i].Node} (pfns 0x{ordered[i].Start:x}-0x{ordered[i].End - 1:x}) lies inside the span of node {ordered[i - 1].Node} (pfns 0x{ordered[i - 1].Start:x}-0x{ordered[i - 1].End - 1:x}); DISCONTIGMEM gives every node one contiguous memmap, so node spans must not interleave.", nameof(map));
            }
        }

        _spanStarts = new ulong[ordered.Count];
        _spanEnds = new ulong[ordered.Count];
        _spanNodes = new int[ordered.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            (_spanStarts[i], _spanEnds[i], _spanNodes[i]) = ordered[i];
        }

        _nodeCount = ordered.Count == 0 ? 0 : MaxNode(ordered) + 1;
        (limits ?? StorageLimits.Default).Check(StorageCost.For<TPage>(layout, map));
        try
        {
            _nodes = (NodeData<TPage>*)_blocks.AllocateZeroed((ulong)Math.Max(_nodeCount, 1) * (ulong)sizeof(NodeData<TPage>), 64);
            foreach (var kv in spans)
            {
                var (start, end, present) = kv.Value;
                ulong bytes = (end - start) * (ulong)sizeof(TPage);
                var reservation = VirtualMemoryReservation.Reserve(bytes, "node " + kv.Key.ToString(CultureInfo.InvariantCulture) + " memmap");
                _maps.Add(reservation);
                reservation.Commit(0, bytes);
                reservation.AdviseHugePages(0, bytes, populate: false); // huge pages when free; each piece is populated by the thread that fills it
                _nodes[kv.Key] = new NodeData<TPage> { NodeStartPfn = start, NodeSpannedPages = end - start, NodePresentPages = present, NodeMemMap = (TPage*)reservation.Base };
            }

            var links = new List<(nint, PfnRange)>(runs.Count);
            foreach (var run in runs)
            {
                NodeData<TPage>* node = _nodes + run.Node;
                links.Add(((nint)(node->NodeMemMap + (run.Start - node->NodeStartPfn)), run));
            }

            PfnRuns.SetLinks<TPage>(links, ZoneRule, PageFlags, populate: true);
        }
        catch
        {
            Dispose(false);
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary><c>NODE_DATA</c>: entry <c>nid</c> for every node up to the highest with memory (nodes without memory are zero).</summary>
    public NodeData<TPage>* Nodes
    {
        get
        {
            ThrowIfDisposed();
            return _nodes;
        }
    }

    /// <summary>The number of entries of <see cref="Nodes"/>: the highest node with memory, plus one.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public int NodeCount
    {
        get
        {
            ThrowIfDisposed();
            return _nodeCount;
        }
    }

    /// <summary>The nodes that have memory, in ascending order.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public IReadOnlyList<int> OnlineNodes
    {
        get
        {
            ThrowIfDisposed();
            var list = new List<int>(_spanNodes);
            list.Sort();
            return list;
        }
    }

    /// <summary>Address space reserved for the node maps.</summary>
    public ulong ReservedBytes
    {
        get
        {
            ThrowIfDisposed();
            ulong sum = 0;
            foreach (var m in _maps)
            {
                sum += m.Size;
            }

            return sum;
        }
    }

    /// <summary>Bytes of node maps committed.</summary>
    public ulong CommittedMemmapBytes
    {
        get
        {
            ThrowIfDisposed();
            ulong sum = 0;
            foreach (var m in _maps)
            {
                sum += m.CommittedBytes;
            }

            return sum;
        }
    }

    /// <summary>A node's data.</summary>
    /// <param name="nid">The node.</param>
    /// <returns>A copy of its <see cref="NodeData{TPage}"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such node.</exception>
    public NodeData<TPage> NodeDataOf(int nid)
    {
        ThrowIfDisposed();
        if ((uint)nid >= (uint)_nodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(nid), nid, "The storage has nodes 0 to " + (_nodeCount - 1).ToString(CultureInfo.InvariantCulture) + ".");
        }

        return _nodes[nid];
    }

    /// <summary><c>arch_pfn_to_nid</c>: the node whose span holds the pfn (binary search), or -1.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The node, or -1 for a pfn outside every node.</returns>
    public int PfnToNid(ulong pfn)
    {
        ThrowIfDisposed();
        int i = PfnRuns.LastStartAtOrBelow(_spanStarts, pfn);
        return i >= 0 && pfn < _spanEnds[i] ? _spanNodes[i] : -1;
    }

    /// <summary><c>pfn_valid</c>: the pfn lies in a range of the map (binary search).</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when the pfn has memory and a page.</returns>
    public bool PfnValid(ulong pfn)
    {
        ThrowIfDisposed();
        int i = PfnRuns.LastStartAtOrBelow(_rangeStarts, pfn);
        return i >= 0 && pfn < _rangeEnds[i];
    }

    /// <summary><c>pfn_to_page</c>: the pfn's node, then <c>node_mem_map + (pfn - node_start_pfn)</c>. The pfn must lie in a node (see <see cref="PfnValid"/>).</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The page.</returns>
    public TPage* PfnToPage(ulong pfn)
    {
        NodeData<TPage>* node = _nodes + PfnToNid(pfn);
        return node->NodeMemMap + (pfn - node->NodeStartPfn);
    }

    /// <summary><c>page_to_pfn</c>: the node from <c>page-&gt;flags</c>, then <c>(page - node_mem_map) + node_start_pfn</c>.</summary>
    /// <param name="page">A page of one of the node maps.</param>
    /// <returns>Its pfn.</returns>
    public ulong PageToPfn(TPage* page)
    {
        ThrowIfDisposed();
        NodeData<TPage>* node = _nodes + PageFlagsUnchecked.Nid(PageDescriptor<TPage>.ReadFlags(page));
        return (ulong)(page - node->NodeMemMap) + node->NodeStartPfn;
    }

    /// <inheritdoc/>
    internal override bool NextMemmapPiece(ulong pfn, ulong endPfn, out ulong start, out ulong end, out TPage* first)
    {
        ThrowIfDisposed();

        // A range lies in one node, and a node's memmap is contiguous over its span.
        bool any = PfnRuns.FirstRunPart(_rangeStarts, _rangeEnds, pfn, endPfn, out start, out end);
        first = any ? PfnToPage(start) : null;
        return any;
    }

    private static int MaxNode(List<(ulong Start, ulong End, int Node)> spans)
    {
        int max = 0;
        foreach (var s in spans)
        {
            max = Math.Max(max, s.Node);
        }

        return max;
    }

    /// <summary>Releases every node map, once.</summary>
    /// <param name="disposing">True from <see cref="PageStorage{TPage}.Dispose()"/>; the release is the same from the finalizer.</param>
    private protected override void Dispose(bool disposing)
    {
        if (!TryMarkDisposed())
        {
            return;
        }

        foreach (var m in _maps)
        {
            m.Dispose();
        }

        _maps.Clear();
        _blocks.FreeAll();
        _nodes = null;
    }
}
