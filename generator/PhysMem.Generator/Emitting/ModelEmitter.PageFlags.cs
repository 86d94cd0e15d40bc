namespace PhysMem.Generator.Emitting;

// The page->flags accessors of include/linux/mm.h and include/linux/mmzone.h, specialised to the
// layout: fields that are not in the flags for this model are read from where the kernel keeps them.
internal static partial class ModelEmitter
{
    private static void WritePageFlags(IndentedWriter w, MemoryLayout layout)
    {
        w.Line("#region page->flags");
        w.Line();
        w.Summary("page_zonenum: the zone index kept in page->flags.");
        w.Line(TypeNames.Inline);
        w.Line($"public static int PageZonenum({Page}* page) => (int)((page->Flags >> ZonesPgshift) & ZonesMask);");
        w.Line();
        w.Summary("page_zone_id: the zone id (node and zone, or section and zone when the node is not in the flags).");
        w.Line(TypeNames.Inline);
        w.Line($"public static int PageZoneId({Page}* page) => (int)((page->Flags >> ZoneidPgshift) & ZoneidMask);");
        w.Line();
        if (layout.NodeNotInPageFlags)
        {
            w.Summary("page_to_nid: NODE_NOT_IN_PAGE_FLAGS, so the node comes from section_to_node_table, by the section in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public int PageToNid({Page}* page) => _storage.SectionToNode(PageToSection(page));");
        }
        else
        {
            w.Summary("page_to_nid: the node kept in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageToNid({Page}* page) => (int)((page->Flags >> NodesPgshift) & NodesMask);");
        }

        w.Line();
        if (layout.SectionInPageFlags)
        {
            w.Summary("page_to_section: the section number kept in page->flags (classic SPARSEMEM).");
            w.Line(TypeNames.Inline);
            w.Line($"public static ulong PageToSection({Page}* page) => (page->Flags >> SectionsPgshift) & SectionsMask;");
            w.Line();
        }

        WriteSetter(w, "SetPageZone", "set_page_zone: stores the zone index.", "int zone", "(ulong)zone", "Zones");
        WriteSetter(w, "SetPageNode", "set_page_node: stores the node" + (layout.NodesWidth == 0 ? " (no node bits in this layout: a no-op, as in the kernel)." : "."), "int node", "(ulong)node", "Nodes");
        if (layout.SectionInPageFlags)
        {
            WriteSetter(w, "SetPageSection", "set_page_section: stores the section number.", "ulong section", "section", "Sections");
        }

        w.Summary("set_page_links: stores zone, node" + (layout.SectionInPageFlags ? " and the pfn's section" : string.Empty) + " in page->flags.");
        using (w.Block($"public static void SetPageLinks({Page}* page, int zone, int node, ulong pfn)"))
        {
            // set_page_zone, set_page_node and set_page_section folded into one read and one store.
            string clear = "(ZonesMask << ZonesPgshift) | (NodesMask << NodesPgshift)" + (layout.SectionInPageFlags ? " | (SectionsMask << SectionsPgshift)" : string.Empty);
            w.Line($"const ulong Links = {clear};");
            w.Line("page->Flags = (page->Flags & ~Links)");
            w.Line("    | (((ulong)zone & ZonesMask) << ZonesPgshift)");
            w.Line(layout.SectionInPageFlags ? "    | (((ulong)node & NodesMask) << NodesPgshift)" : "    | (((ulong)node & NodesMask) << NodesPgshift);");
            if (layout.SectionInPageFlags)
            {
                w.Line("    | (((pfn >> PfnSectionShift) & SectionsMask) << SectionsPgshift);");
            }
            else
            {
                w.Line("_ = pfn; // the section is not in page->flags in this model");
            }
        }

        w.Line();
        if (layout.LastCpupidShift != 0)
        {
            WriteLastCpupid(w, layout);
        }

        if (layout.KasanTagWidth != 0)
        {
            w.Summary("page_kasan_tag: the KASAN tag (stored inverted, so that a cleared field reads as the match-all tag 0xff).");
            w.Line(TypeNames.Inline);
            w.Line($"public static byte PageKasanTag({Page}* page) => (byte)(((page->Flags >> KasanTagPgshift) & KasanTagMask) ^ 0xFF);");
            w.Line();
            w.Summary("page_kasan_tag_set: stores the KASAN tag, inverted.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageKasanTag({Page}* page, byte tag) => page->Flags = (page->Flags & ~(KasanTagMask << KasanTagPgshift)) | ((((ulong)tag ^ 0xFF) & KasanTagMask) << KasanTagPgshift);");
            w.Line();
        }

        if (layout.LruGenWidth != 0)
        {
            w.Summary("folio_lru_gen: the LRU generation, or -1 when the page is on no generation list (the field holds gen + 1).");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLruGen({Page}* page) => (int)((page->Flags & LruGenMask) >> LruGenPgoff) - 1;");
            w.Line();
            w.Summary("Stores the LRU generation (gen + 1; -1 clears it).");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLruGen({Page}* page, int gen) => page->Flags = (page->Flags & ~LruGenMask) | (((ulong)(gen + 1) << LruGenPgoff) & LruGenMask);");
            w.Line();
        }

        if (layout.LruRefsWidth != 0)
        {
            w.Summary("The LRU reference count field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLruRefs({Page}* page) => (int)((page->Flags & LruRefsMask) >> LruRefsPgoff);");
            w.Line();
            w.Summary("Stores the LRU reference count field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLruRefs({Page}* page, int refs) => page->Flags = (page->Flags & ~LruRefsMask) | (((ulong)refs << LruRefsPgoff) & LruRefsMask);");
            w.Line();
        }

        w.Line("#endregion");
    }

    private static void WriteSetter(IndentedWriter w, string name, string summary, string parameter, string value, string field)
    {
        w.Summary(summary);
        w.Line(TypeNames.Inline);
        w.Line($"public static void {name}({Page}* page, {parameter}) => page->Flags = (page->Flags & ~({field}Mask << {field}Pgshift)) | (({value} & {field}Mask) << {field}Pgshift);");
        w.Line();
    }

    private static void WriteLastCpupid(IndentedWriter w, MemoryLayout layout)
    {
        w.Summary("cpu_pid_to_cpupid: packs a cpu and a pid as last_cpupid holds them.");
        w.Line(TypeNames.Inline);
        w.Line("public static int CpuPidToCpupid(int cpu, int pid) => (int)((((ulong)cpu & LastCpuMask) << LastPidShift) | ((ulong)pid & LastPidMask));");
        w.Line();
        if (layout.LastCpupidNotInPageFlags)
        {
            w.Summary("page_cpupid_last: LAST_CPUPID_NOT_IN_PAGE_FLAGS, so it lives in the page's own _last_cpupid field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLastCpupid({Page}* page) => (int)page->LastCpupid;");
            w.Line();
            w.Summary("Stores last_cpupid in the page's own field.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLastCpupid({Page}* page, int cpupid) => page->LastCpupid = (uint)(cpupid & (int)LastCpupidMask);");
        }
        else
        {
            w.Summary("page_cpupid_last: last_cpupid, kept in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static int PageLastCpupid({Page}* page) => (int)((page->Flags >> LastCpupidPgshift) & LastCpupidMask);");
            w.Line();
            w.Summary("Stores last_cpupid in page->flags.");
            w.Line(TypeNames.Inline);
            w.Line($"public static void SetPageLastCpupid({Page}* page, int cpupid) => page->Flags = (page->Flags & ~(LastCpupidMask << LastCpupidPgshift)) | (((ulong)cpupid & LastCpupidMask) << LastCpupidPgshift);");
        }

        w.Line();
    }
}
