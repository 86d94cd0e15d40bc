using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Emitting;

// The section table lookup of the SPARSEMEM models and the section predicates.
// Source: include/linux/mmzone.h.
internal static partial class ModelEmitter
{
    private static void WriteSectionLookup(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout)
    {
        w.Summary("__nr_to_section: the section table entry of a section number, or null when the table has none.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        using (w.Block($"public {Section}* NrToSection(ulong sectionNr)"))
        {
            if (layout.IsExtreme)
            {
                w.Line("// SECTION_NR_TO_ROOT: a root holds SECTIONS_PER_ROOT sections; roots are allocated on demand.");
                w.Line("ulong root = sectionNr / SectionsPerRoot;");
                w.Line("if (root >= NrSectionRoots)");
                w.Line("{");
                w.Line("    return null;");
                w.Line("}");
                w.Line();
                w.Line("// Acquire: a root published by a concurrent hot-add is seen whole.");
                w.Line($"{Section}* sections = Root(_roots, root);");
                w.Line("return sections == null ? null : sections + (sectionNr & SectionRootMask);");
            }
            else
            {
                w.Line("// Without EXTREME the table is one static array of NR_MEM_SECTIONS entries.");
                w.Line("return sectionNr >= NrMemSections ? null : _sections + sectionNr;");
            }
        }

        if (layout.IsExtreme)
        {
            w.Line();
            w.Line("// Root rootNr (below NR_SECTION_ROOTS; null when no section of it has memory), read with acquire semantics");
            w.Line("// from a roots pointer the caller loaded (first, so that a loop around it loads it once).");
            w.Line(TypeNames.Inline);
            w.Line($"private static {Section}* Root({Section}** roots, ulong rootNr) => ({Section}*)global::System.Threading.Volatile.Read(ref *(global::System.IntPtr*)(roots + rootNr));");
        }

        w.Line();
        w.Summary("__pfn_to_section: the section table entry of a pfn, or null.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        w.Line($"public {Section}* PfnToSection(ulong pfn) => NrToSection(pfn >> PfnSectionShift);");
        w.Line();
        WritePredicate(w, "PresentSection", "present_section: the section has memory.", "SectionMarkedPresent");
        WritePredicate(w, "ValidSection", "valid_section: the section has a memmap.", "SectionHasMemMap");
        WritePredicate(w, "OnlineSection", "online_section: the section's memory is online.", "SectionIsOnline");
        WritePredicate(w, "EarlySection", "early_section: the section was populated at boot.", "SectionIsEarly");
        w.Summary("pfn_in_present_section: the pfn's section exists and is marked present.");
        w.Line("public bool PfnInPresentSection(ulong pfn) => ((pfn >> PfnSectionShift) < NrMemSections && PresentSection(PfnToSection(pfn))) || Absent();");
        w.Line();
        w.Summary("section_to_node: the node a present section was registered on.");
        w.Line("public int SectionToNode(ulong sectionNr) => _storage.SectionToNode(sectionNr);");
        w.Line();
        w.Summary("pfn_to_online_page: the page of a pfn in an online section, or null (offline, ZONE_DEVICE, or no page).");
        w.Line($"public {pageType.Name}* PfnToOnlinePage(ulong pfn) => _storage.PfnToOnlinePage(pfn);");
        w.Line();
        w.Summary("Enters a read-side section: pages reached inside it are not reclaimed by a concurrent RemoveMemory until it is disposed. Use it around page accesses that may race with hot-remove.");
        w.Line($"public {TypeNames.Runtime}.ReadSection EnterReadSection() => _storage.EnterReadSection();");
        w.Line();
    }

    // The JIT hoists a loop-invariant load out of a caller's loop only from code that runs on every
    // iteration: read after the range check (which may leave the loop), the table pointer was loaded
    // again for every pfn (the acquire reads were not the cause). Read first, it is loaded once, as gcc does.
    private static void WriteTablePointerFirst(IndentedWriter w, MemoryLayout layout) =>
        w.Line(layout.IsExtreme
            ? $"{Section}** roots = _roots; // read first, so that a caller's loop loads it once"
            : $"{Section}* sections = _sections; // read first, so that a caller's loop loads it once");

    private static void WritePredicate(IndentedWriter w, string name, string summary, string flag)
    {
        w.Summary(summary + " False for a null section.");
        w.Line(TypeNames.Inline);
        w.Line($"public static bool {name}({Section}* section) => section != null && ((ulong)global::System.Threading.Volatile.Read(ref section->SectionMemMap) & {flag}) != 0;");
        w.Line();
    }
}
