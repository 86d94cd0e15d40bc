using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>The counts of one node's zone, from its struct pages.</summary>
internal sealed class DumpZoneCounts
{
    /// <summary>The node.</summary>
    public int Node { get; init; }

    /// <summary>The zone index (<c>page_zonenum</c>).</summary>
    public int Zone { get; init; }

    /// <summary>The zone's name (<c>DMA</c>, <c>DMA32</c>, <c>Normal</c>, ...).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Struct pages whose links name this zone.</summary>
    public ulong StructPages { get; set; }

    /// <summary>The lowest pfn with this zone, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong FirstPfn { get; set; } = ulong.MaxValue;

    /// <summary>The highest pfn with this zone.</summary>
    public ulong LastPfn { get; set; }

    /// <summary>Free pages: each buddy block's head counted with its <c>1 &lt;&lt; order</c> pages.</summary>
    public ulong FreePages { get; set; }

    /// <summary>Free blocks per order.</summary>
    public ulong[] FreeBlocks { get; init; } = Array.Empty<ulong>();

    /// <summary>Slabs: the pages marked slab that are not tails (one per slab, whatever its order).</summary>
    public ulong Slabs { get; set; }

    /// <summary>Slab pages (heads and their tails).</summary>
    public ulong SlabPages { get; set; }

    /// <summary>LRU pages (heads and their tails).</summary>
    public ulong LruPages { get; set; }

    /// <summary>The kernel's own record of the zone (<see cref="KernelZones"/>), when read.</summary>
    public KernelZone? Kernel { get; set; }

    /// <summary>Struct pages linked to this zone whose pfn lies in the kernel's span of it (<c>zone_start_pfn</c> to its end).</summary>
    public ulong StructPagesInSpan { get; set; }

    /// <summary>The pfns from the first to the last page with this zone (holes and other zones' pages between them included).</summary>
    public ulong Spanned => FirstPfn == ulong.MaxValue ? 0 : LastPfn - FirstPfn + 1;
}

/// <summary>
/// Whole-dump page statistics: one pass over every valid section's memmap, straight from the mapped
/// dump, counting per node and zone the struct pages, the free pages (buddy heads with their order),
/// slab and LRU pages, and a histogram of the named <c>PG_*</c> bits.
/// </summary>
internal sealed partial class VmcoreStatistics
{
    private readonly Dictionary<(int, int), DumpZoneCounts> _zones = new();

    /// <summary>Per node and zone, ordered by node then zone.</summary>
    public List<DumpZoneCounts> Zones { get; } = new();

    /// <summary>Pages per flag bit (bits below NR_PAGEFLAGS).</summary>
    public ulong[] FlagCounts { get; } = new ulong[64];

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
    public static VmcoreStatistics Compute(VmcoreMemmap memmap, VmcoreModel model, DumpPageFlags flags, IReadOnlyList<KernelZone> kernelZones, Action<double>? progress = null)
    {
        var stats = new VmcoreStatistics();
        string[] zoneNames = ZoneNames(model.Layout.Spec);
        foreach (var k in kernelZones)
        {
            if (k.Zone < zoneNames.Length)
            {
                stats.Get(k.Node, k.Zone, zoneNames).Kernel = k;
            }
        }

        var walk = new PageWalk(stats, model, flags, zoneNames, memmap.StructPageSize);
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
        stats.Zones.Sort((a, b) => a.Node != b.Node ? a.Node.CompareTo(b.Node) : a.Zone.CompareTo(b.Zone));
        return stats;
    }

    /// <summary>The zone names in index order, as /proc/zoneinfo writes them.</summary>
    public static string[] ZoneNames(LayoutSpec spec)
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

    private DumpZoneCounts Get(int node, int zone, string[] names)
    {
        if (!_zones.TryGetValue((node, zone), out var z))
        {
            z = new DumpZoneCounts { Node = node, Zone = zone, Name = names[zone], FreeBlocks = new ulong[64] };
            _zones[(node, zone)] = z;
            Zones.Add(z);
        }

        return z;
    }
}
