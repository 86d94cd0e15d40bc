using System.Collections.Generic;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Output;

/// <summary>One field of <c>page-&gt;flags</c>: its name, width and lowest bit, and the kernel values that place it.</summary>
internal sealed record FlagField(string Name, int Width, int Offset, string Detail)
{
    /// <summary>The highest bit of the field.</summary>
    public int High => Offset + Width - 1;
}

/// <summary>
/// The fields of a layout's <c>page-&gt;flags</c> from the top bit down, in the kernel's packing
/// order (section, node, zone, last_cpupid, KASAN tag, LRU generation, LRU refs), then the unused
/// bits and the page flags. Widths of zero are left out. The text report and the SVG both draw this list.
/// </summary>
internal static class FlagFields
{
    public static IReadOnlyList<FlagField> Of(MemoryLayout l)
    {
        var list = new List<FlagField>();
        void Add(string name, int width, int offset, string detail)
        {
            if (width > 0)
            {
                list.Add(new FlagField(name, width, offset, detail));
            }
        }

        Add("section", l.SectionsWidth, l.SectionsPgoff, $"SECTIONS_PGSHIFT {l.SectionsPgshift}, SECTIONS_MASK {Hex(l.SectionsMask)}");
        Add("node", l.NodesWidth, l.NodesPgoff, $"NODES_PGSHIFT {l.NodesPgshift}, NODES_MASK {Hex(l.NodesMask)}");
        Add("zone", l.ZonesWidth, l.ZonesPgoff, $"ZONES_PGSHIFT {l.ZonesPgshift}, ZONES_MASK {Hex(l.ZonesMask)}");
        Add("last_cpupid", l.LastCpupidWidth, l.LastCpupidPgoff, $"LAST_CPUPID_PGSHIFT {l.LastCpupidPgshift}, LAST_CPUPID_MASK {Hex(l.LastCpupidMask)}");
        Add("kasan tag", l.KasanTagWidth, l.KasanTagPgoff, $"KASAN_TAG_PGSHIFT {l.KasanTagPgshift}, KASAN_TAG_MASK {Hex(l.KasanTagMask)}");
        Add("lru gen", l.LruGenWidth, l.LruGenPgoff, $"LRU_GEN_MASK {Hex(l.LruGenMask)}");
        Add("lru refs", l.LruRefsWidth, l.LruRefsPgoff, $"LRU_REFS_MASK {Hex(l.LruRefsMask)}");

        // The bits between the lowest field and the page flags: what the kernel calls unused.
        int unused = UnusedWidth(l);
        Add("unused", unused, l.NrPageflags, unused == l.NrUnusedPageflagBits ? "NR_UNUSED_PAGEFLAG_BITS " + l.NrUnusedPageflagBits : string.Empty);
        Add("page flags", l.NrPageflags, 0, "NR_PAGEFLAGS " + l.NrPageflags);
        return list;
    }

    /// <summary>The bits between the lowest field and the page flags.</summary>
    public static int UnusedWidth(MemoryLayout l) => l.LruRefsPgoff - l.NrPageflags;
}
