using System.Runtime.InteropServices;

namespace PhysMem;

/// <summary>
/// The part of a node's <c>pg_data_t</c> the memory model uses (include/linux/mmzone.h): where the
/// node's pfns start, how many it spans (holes included), how many have memory, and the node's own
/// <c>node_mem_map</c>, which describes every pfn of the span.
/// </summary>
/// <typeparam name="TPage">The frame descriptor type of the node's memmap.</typeparam>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NodeData<TPage>
    where TPage : unmanaged
{
    /// <summary><c>node_start_pfn</c>.</summary>
    public ulong NodeStartPfn;

    /// <summary><c>node_spanned_pages</c>: from the first to the last pfn of the node, holes included.</summary>
    public ulong NodeSpannedPages;

    /// <summary><c>node_present_pages</c>: pfns of the node that have memory.</summary>
    public ulong NodePresentPages;

    /// <summary><c>node_mem_map</c>: entry <c>i</c> describes pfn <c>NodeStartPfn + i</c>; null for a node without memory.</summary>
    public TPage* NodeMemMap;

    /// <summary>The pfn after the node's last one (<c>pgdat_end_pfn</c>).</summary>
    public readonly ulong NodeEndPfn => NodeStartPfn + NodeSpannedPages;
}
