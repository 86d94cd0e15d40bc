using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>What the kernel's own <c>struct zone</c> in a dump says of one zone (<see cref="DumpZoneStatistics.Kernel"/>).</summary>
/// <param name="Node">The node.</param>
/// <param name="Zone">The zone index.</param>
/// <param name="StartPfn"><c>zone_start_pfn</c>.</param>
/// <param name="Spanned"><c>spanned_pages</c>.</param>
/// <param name="Present"><c>present_pages</c>.</param>
/// <param name="NrFreePages">The zone's <c>vm_stat[NR_FREE_PAGES]</c> (without the per-cpu deltas), or null when the note lacks it.</param>
public readonly record struct KernelZone(int Node, int Zone, ulong StartPfn, ulong Spanned, ulong Present, long? NrFreePages);

/// <summary>
/// Reads each node's <c>struct zone</c>s from the dump: <c>SYMBOL(node_data)</c> (or
/// <c>SYMBOL(contig_page_data)</c> without NUMA), <c>OFFSET(pglist_data.node_zones)</c>,
/// <c>SIZE(zone)</c> and <c>OFFSET(zone.spanned_pages)</c> from the note.
/// </summary>
/// <remarks>
/// The note gives the offset of <c>spanned_pages</c> only. In include/linux/mmzone.h from 5.x to 6.12,
/// <c>zone_start_pfn</c>, <c>managed_pages</c>, <c>spanned_pages</c> and <c>present_pages</c> are
/// consecutive words, so the start and the present count are read one word before the managed count
/// and one word after <c>spanned_pages</c>; the tests hold them against the guest's /proc/zoneinfo.
/// </remarks>
internal static class KernelZones
{
    /// <summary>The zones of every online node, or an empty list (with a note) when the note lacks the keys.</summary>
    public static List<KernelZone> Read(VmcoreDump dump, int zoneCount, List<string> notes)
    {
        var info = dump.Info;
        var zones = new List<KernelZone>();
        var nodes = new List<(int, ulong)>();
        if (info.Symbol("node_data") is ulong nodeData && info.Length("node_data") is ulong count and > 0 and <= 65536)
        {
            // One read for the whole array: it has MAX_NUMNODES entries (1024 on distribution kernels), nearly all empty.
            var pointers = new byte[(int)count * 8];
            dump.Tables.Read(nodeData, pointers, "node_data[0.." + count + "]");
            for (int n = 0; n < (int)count; n++)
            {
                ulong pgdat = BitConverter.ToUInt64(pointers, n * 8);
                if (pgdat != 0)
                {
                    nodes.Add((n, pgdat));
                }
            }
        }
        else if (info.Symbol("contig_page_data") is ulong contig)
        {
            nodes.Add((0, contig));
        }

        if (nodes.Count == 0 || info.Offset("pglist_data.node_zones") is not ulong nodeZones || info.Size("zone") is not ulong zoneSize
            || info.Offset("zone.spanned_pages") is not ulong spanned || spanned < 16)
        {
            notes.Add("the note lacks SYMBOL(node_data), OFFSET(pglist_data.node_zones), SIZE(zone) or OFFSET(zone.spanned_pages): the kernel's zone spans are not read");
            return zones;
        }

        ulong? vmStat = info.Offset("zone.vm_stat") is ulong vs && info.Number("NR_FREE_PAGES") is long nr and >= 0 ? vs + ((ulong)nr * 8) : null;
        foreach (var (node, pgdat) in nodes)
        {
            for (int z = 0; z < zoneCount; z++)
            {
                ulong zone = pgdat + nodeZones + ((ulong)z * zoneSize);
                string what = "node " + node + " zone " + z;
                long? free = vmStat is ulong at ? (long)dump.Tables.ReadU64(zone + at, what + " vm_stat") : null;
                zones.Add(new KernelZone(
                    node,
                    z,
                    dump.Tables.ReadU64(zone + spanned - 16, what + " zone_start_pfn"),
                    dump.Tables.ReadU64(zone + spanned, what + " spanned_pages"),
                    dump.Tables.ReadU64(zone + spanned + 8, what + " present_pages"),
                    free));
            }
        }

        return zones;
    }
}
