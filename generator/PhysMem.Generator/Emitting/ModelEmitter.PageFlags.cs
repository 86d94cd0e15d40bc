using System.Collections.Generic;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Emitting;

// The page->flags accessors of include/linux/mm.h and include/linux/mmzone.h, specialised to the
// layout: fields that are not in the flags for this model are read from where the kernel keeps them.
internal static partial class ModelEmitter
{
    /// <summary>
    /// <c>(flags &gt;&gt; X_PGSHIFT) &amp; X_MASK</c>, written without the mask when it keeps every bit the
    /// shift leaves, that is when the field is the top one (X_PGSHIFT + its bits = BITS_PER_LONG): gcc drops
    /// that <c>and</c> from the kernel's expression, the JIT does not.
    /// </summary>
    private static string FlagsField(MemoryLayout layout, string flags, string field, int pgshift, ulong mask) =>
        IsTopField(layout, pgshift, mask) ? $"{flags} >> {field}Pgshift" : $"({flags} >> {field}Pgshift) & {field}Mask";

    private static bool IsTopField(MemoryLayout layout, int pgshift, ulong mask) =>
        layout.BitsPerLong == 64 && pgshift > 0 && mask == ulong.MaxValue >> pgshift;

    private static string NodeField(MemoryLayout layout, string flags) => FlagsField(layout, flags, "Nodes", layout.NodesPgshift, layout.NodesMask);

    private static string SectionField(MemoryLayout layout, string flags) => FlagsField(layout, flags, "Sections", layout.SectionsPgshift, layout.SectionsMask);

    private static void WritePageFlags(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout)
    {
        w.Line("#region page->flags");
        w.Line();
        w.Summary("page_zonenum: the zone index kept in page->flags.");
        w.Line(TypeNames.Inline);
        w.Line($"public static int PageZonenum({pageType.Name}* page) => (int)({FlagsField(layout, "page->Flags", "Zones", layout.ZonesPgshift, layout.ZonesMask)});");
        w.Line();
        w.Summary("page_zone_id: the zone id (node and zone, or section and zone when the node is not in the flags).");
        w.Line(TypeNames.Inline);
        w.Line($"public static int PageZoneId({pageType.Name}* page) => (int)({FlagsField(layout, "page->Flags", "Zoneid", layout.ZoneidPgshift, layout.ZoneidMask)});");
        w.Line();
        if (layout.NodeNotInPageFlags)
        {
            w.Summary("page_to_nid: NODE_NOT_IN_PAGE_FLAGS, so the node comes from section_to_node_table, by the section in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public int PageToNid({pageType.Name}* page) => _storage.SectionToNode(PageToSection(page));");
        }
        else
        {
            w.Summary("page_to_nid: the node kept in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageToNid({pageType.Name}* page) => (int)({NodeField(layout, "page->Flags")});");
        }

        w.Line();
        if (layout.SectionInPageFlags)
        {
            w.Summary("page_to_section: the section number kept in page->flags (classic SPARSEMEM).");
            w.Line(TypeNames.Inline);
            w.Line($"public static ulong PageToSection({pageType.Name}* page) => {SectionField(layout, "page->Flags")};");
            w.Line();
        }

        WriteSetter(w, pageType, "SetPageZone", "set_page_zone: stores the zone index.", "int zone", "(ulong)zone", "Zones");
        WriteSetter(w, pageType, "SetPageNode", "set_page_node: stores the node" + (layout.NodesWidth == 0 ? " (no node bits in this layout: a no-op, as in the kernel)." : "."), "int node", "(ulong)node", "Nodes");
        if (layout.SectionInPageFlags)
        {
            WriteSetter(w, pageType, "SetPageSection", "set_page_section: stores the section number.", "ulong section", "section", "Sections");
        }

        w.Summary("set_page_links: stores zone, node" + (layout.SectionInPageFlags ? " and the pfn's section" : string.Empty) + " in page->flags.");
        using (w.Block($"public static void SetPageLinks({pageType.Name}* page, int zone, int node, ulong pfn)"))
        {
            // set_page_zone, set_page_node and set_page_section folded into one read and one store.
            string clear = "(ZonesMask << ZonesPgshift) | (NodesMask << NodesPgshift)" + (layout.SectionInPageFlags ? " | (SectionsMask << SectionsPgshift)" : string.Empty);
            w.Line($"const ulong Links = {clear};");
            var terms = new List<string> { "(page->Flags & ~Links)", "(((ulong)zone & ZonesMask) << ZonesPgshift)", "(((ulong)node & NodesMask) << NodesPgshift)" };
            if (layout.SectionInPageFlags)
            {
                terms.Add("(((pfn >> PfnSectionShift) & SectionsMask) << SectionsPgshift)");
            }

            string store = pageType.StoreFlags(string.Join("\n    | ", terms)) + ";";
            foreach (var line in store.Split('\n'))
            {
                w.Line(line);
            }

        }

        w.Line();
        if (layout.LastCpupidShift != 0)
        {
            WriteLastCpupid(w, pageType, layout);
        }

        if (layout.KasanTagWidth != 0)
        {
            w.Summary("page_kasan_tag: the KASAN tag (stored inverted, so that a cleared field reads as the match-all tag 0xff).");
            w.Line(TypeNames.Inline);
            w.Line($"public static byte PageKasanTag({pageType.Name}* page) => (byte)(((page->Flags >> KasanTagPgshift) & KasanTagMask) ^ 0xFF);");
            w.Line();
            w.Summary("page_kasan_tag_set: stores the KASAN tag, inverted.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageKasanTag({pageType.Name}* page, byte tag) => " + pageType.StoreFlags($"(page->Flags & ~(KasanTagMask << KasanTagPgshift)) | ((((ulong)tag ^ 0xFF) & KasanTagMask) << KasanTagPgshift)") + ";");
            w.Line();
        }

        if (layout.LruGenWidth != 0)
        {
            w.Summary("folio_lru_gen: the LRU generation, or -1 when the page is on no generation list (the field holds gen + 1).");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLruGen({pageType.Name}* page) => (int)((page->Flags & LruGenMask) >> LruGenPgoff) - 1;");
            w.Line();
            w.Summary("Stores the LRU generation (gen + 1; -1 clears it).");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLruGen({pageType.Name}* page, int gen) => " + pageType.StoreFlags($"(page->Flags & ~LruGenMask) | (((ulong)(gen + 1) << LruGenPgoff) & LruGenMask)") + ";");
            w.Line();
        }

        if (layout.LruRefsWidth != 0)
        {
            w.Summary("The LRU reference count field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLruRefs({pageType.Name}* page) => (int)((page->Flags & LruRefsMask) >> LruRefsPgoff);");
            w.Line();
            w.Summary("Stores the LRU reference count field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLruRefs({pageType.Name}* page, int refs) => " + pageType.StoreFlags($"(page->Flags & ~LruRefsMask) | (((ulong)refs << LruRefsPgoff) & LruRefsMask)") + ";");
            w.Line();
        }

        w.Line("#endregion");
    }

    private static void WriteSetter(IndentedWriter w, PageTypeInfo pageType, string name, string summary, string parameter, string value, string field)
    {
        w.Summary(summary);
        w.Line(TypeNames.Inline);
        w.Line($"public static void {name}({pageType.Name}* page, {parameter}) => " + pageType.StoreFlags($"(page->Flags & ~({field}Mask << {field}Pgshift)) | (({value} & {field}Mask) << {field}Pgshift)") + ";");
        w.Line();
    }

    private static void WriteLastCpupid(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout)
    {
        w.Summary("cpu_pid_to_cpupid: packs a cpu and a pid as last_cpupid holds them.");
        w.Line(TypeNames.Inline);
        w.Line("public static int CpuPidToCpupid(int cpu, int pid) => (int)((((ulong)cpu & LastCpuMask) << LastPidShift) | ((ulong)pid & LastPidMask));");
        w.Line();
        if (layout.LastCpupidNotInPageFlags)
        {
            w.Summary("page_cpupid_last: LAST_CPUPID_NOT_IN_PAGE_FLAGS, so it lives in the page's own _last_cpupid field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLastCpupid({pageType.Name}* page) => (int)page->LastCpupid;");
            w.Line();
            w.Summary("Stores last_cpupid in the page's own field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLastCpupid({pageType.Name}* page, int cpupid) => page->LastCpupid = ({pageType.LastCpupidType})(cpupid & (int)LastCpupidMask);");
        }
        else
        {
            w.Summary("page_cpupid_last: last_cpupid, kept in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLastCpupid({pageType.Name}* page) => (int)((page->Flags >> LastCpupidPgshift) & LastCpupidMask);");
            w.Line();
            w.Summary("Stores last_cpupid in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLastCpupid({pageType.Name}* page, int cpupid) => " + pageType.StoreFlags($"(page->Flags & ~(LastCpupidMask << LastCpupidPgshift)) | (((ulong)cpupid & LastCpupidMask) << LastCpupidPgshift)") + ";");
        }

        w.Line();
    }
}
