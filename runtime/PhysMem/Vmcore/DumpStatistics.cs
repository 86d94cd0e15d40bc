using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// The counts of one node's zone in a kernel's dump (<see cref="KernelDump.ComputeStatistics"/>), from
/// the struct pages whose <c>page-&gt;flags</c> name it, beside the kernel's own record of the zone.
/// </summary>
public sealed class DumpZoneStatistics
{
    private readonly ulong[] _freeBlocks;

    internal DumpZoneStatistics(int orders)
    {
        _freeBlocks = new ulong[orders];
        FreeBlocks = Array.AsReadOnly(_freeBlocks);
    }

    /// <summary>The node.</summary>
    public int Node { get; internal init; }

    /// <summary>The zone index (<c>page_zonenum</c>).</summary>
    public int Zone { get; internal init; }

    /// <summary>The zone's name (<c>DMA</c>, <c>DMA32</c>, <c>Normal</c>, ...).</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>Struct pages whose links name this zone.</summary>
    public ulong StructPages { get; internal set; }

    /// <summary>The lowest pfn with this zone, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong FirstPfn { get; internal set; } = ulong.MaxValue;

    /// <summary>The highest pfn with this zone.</summary>
    public ulong LastPfn { get; internal set; }

    /// <summary>Free pages: each buddy block's head counted with its <c>1 &lt;&lt; order</c> pages.</summary>
    public ulong FreePages { get; internal set; }

    /// <summary>Free blocks per order: <c>FreeBlocks[order]</c> buddy blocks of <c>1 &lt;&lt; order</c> pages, one entry per order the kernel has (<c>LENGTH(zone.free_area)</c>, <c>NR_PAGE_ORDERS</c>).</summary>
    public IReadOnlyList<ulong> FreeBlocks { get; }

    /// <summary>The counts behind <see cref="FreeBlocks"/>, for the page walk.</summary>
    internal ulong[] FreeBlockCounts => _freeBlocks;

    /// <summary>Slabs: the pages marked slab that are not tails (one per slab, whatever its order).</summary>
    public ulong Slabs { get; internal set; }

    /// <summary>Slab pages (heads and their tails).</summary>
    public ulong SlabPages { get; internal set; }

    /// <summary>LRU pages (heads and their tails).</summary>
    public ulong LruPages { get; internal set; }

    /// <summary>The kernel's own <c>struct zone</c> of this zone, read from the dump, or null when the note does not say where it is.</summary>
    public KernelZone? Kernel { get; internal set; }

    /// <summary>Struct pages linked to this zone whose pfn lies in the kernel's span of it (<c>zone_start_pfn</c> to its end).</summary>
    public ulong StructPagesInSpan { get; internal set; }

    /// <summary>The pfns from the first to the last page with this zone (holes and other zones' pages between them included).</summary>
    public ulong PfnsFirstToLast => FirstPfn == ulong.MaxValue ? 0 : LastPfn - FirstPfn + 1;
}

/// <summary>
/// Whole-dump page statistics (<see cref="KernelDump.ComputeStatistics"/>): one pass over every valid
/// section's memmap, straight from the mapped dump, counting per node and zone the struct pages, the
/// free pages (buddy heads with their order), slab and LRU pages, and a histogram of the <c>PG_*</c> bits.
/// </summary>
public sealed partial class DumpStatistics
{
    private readonly Dictionary<(int, int), DumpZoneStatistics> _zones = new();
    private readonly List<DumpZoneStatistics> _zoneList = new();
    private readonly ulong[] _flagCounts = new ulong[64];
    private readonly int _orders;

    private DumpStatistics(int orders)
    {
        _orders = orders;
        FlagCounts = Array.AsReadOnly(_flagCounts);
        Zones = _zoneList.AsReadOnly();
    }

    /// <summary>Per node and zone, ordered by node then zone: every zone the kernel's records or the pages name.</summary>
    public IReadOnlyList<DumpZoneStatistics> Zones { get; }

    /// <summary>Pages per flag bit: <c>FlagCounts[bit]</c> valid pages with bit <c>bit</c> of <c>page-&gt;flags</c> set, for the bits below <c>NR_PAGEFLAGS</c> (64 entries; name a bit with <see cref="KernelDump.PageFlagName"/>).</summary>
    public IReadOnlyList<ulong> FlagCounts { get; }

    /// <summary>The counts behind <see cref="FlagCounts"/>, for the page walk.</summary>
    internal ulong[] FlagCountsArray => _flagCounts;

    /// <summary>Valid pfns whose struct page is unmapped or missing from the dump.</summary>
    public ulong MissingPages { get; private set; }

    /// <summary>Pages whose zone field holds a number no configured zone has: counted here, in no zone.</summary>
    public ulong ImpossibleZonePages { get; private set; }

    /// <summary>The first pfn with an impossible zone number, and the number.</summary>
    public (ulong Pfn, int Zone)? FirstImpossibleZone { get; private set; }

    /// <summary>Buddy heads whose order is not below the number of orders: not counted as free.</summary>
    public ulong BadOrders { get; private set; }

    /// <summary>Valid pages read.</summary>
    public ulong Pages { get; private set; }

    /// <summary>Computes the statistics.</summary>
    /// <param name="memmap">The memmap.</param>
    /// <param name="model">The model (its flags layout gives node and zone when a configuration was given).</param>
    /// <param name="flags">The note's page flags.</param>
    /// <param name="progress">Receives the fraction of sections done, or null.</param>
    /// <param name="kernelZones">The kernel's own zone records, for the span checks; may be empty.</param>
    internal static DumpStatistics Compute(VmcoreMemmap memmap, VmcoreModel model, DumpPageFlags flags, IReadOnlyList<KernelZone> kernelZones, Action<double>? progress = null)
    {
        var stats = new DumpStatistics(flags.MaxOrder);
        string[] zoneNames = model.ZoneNames;
        foreach (var k in kernelZones)
        {
            if (k.Zone < zoneNames.Length)
            {
                stats.Get(k.Node, k.Zone, zoneNames).Kernel = k;
            }
        }

        var walk = new PageWalk(stats, model, flags, memmap.StructPageSize);
        int done = 0;
        var sections = memmap.PresentSections;
        foreach (var s in sections)
        {
            if (memmap.IsValid(s))
            {
                ulong missing = 0;
                ulong pfn = s.Number * memmap.PagesPerSection;
                while (memmap.NextRun(s, ref pfn, out ulong first, out var pages, ref missing))
                {
                    walk.Count(s.PagesBase, first, pages);
                }

                stats.MissingPages += missing;
            }

            done++;
            progress?.Invoke((double)done / sections.Count);
        }

        walk.Finish();
        stats._zoneList.Sort((a, b) => a.Node != b.Node ? a.Node.CompareTo(b.Node) : a.Zone.CompareTo(b.Zone));
        return stats;
    }

    /// <summary>The zone names in index order, as /proc/zoneinfo writes them.</summary>
    internal static string[] ZoneNames(LayoutSpec spec)
    {
        var names = new List<string>();
        foreach (var (zone, name) in new[] { (PhysMem.Zones.Dma, "DMA"), (PhysMem.Zones.Dma32, "DMA32"), (PhysMem.Zones.Normal, "Normal"), (PhysMem.Zones.HighMem, "HighMem"), (PhysMem.Zones.Movable, "Movable"), (PhysMem.Zones.Device, "Device") })
        {
            if ((spec.Zones & zone) != 0)
            {
                names.Add(name);
            }
        }

        return names.ToArray();
    }

    private DumpZoneStatistics Get(int node, int zone, string[] names)
    {
        if (!_zones.TryGetValue((node, zone), out var z))
        {
            z = new DumpZoneStatistics(_orders) { Node = node, Zone = zone, Name = names[zone] };
            _zones[(node, zone)] = z;
            _zoneList.Add(z);
        }

        return z;
    }
}
