using PhysMem.Generator.Pipeline;


namespace PhysMem.Generator.Emitting;

// pfn <-> page for each model (the section table lookup and predicates are in ModelEmitter.SectionTable.cs).
// Sources: include/asm-generic/memory_model.h, include/linux/mmzone.h.
internal static partial class ModelEmitter
{
    private const string Section = TypeNames.MemSection;

    private static void WriteDisposedTest(IndentedWriter w)
    {
        w.Line("if (_disposed)");
        w.Line("{");
        w.Line("    ThrowDisposed();");
        w.Line("}");
    }

    // The raw-pointer forms keep their hot paths bare: they are not checked after Dispose.
    private static void UncheckedAfterDispose(IndentedWriter w) =>
        w.Line("/// <remarks>A pointer form: not checked after Dispose, so it must not be called once the model is disposed (the members without pointers throw ObjectDisposedException then).</remarks>");

    private static void WriteSparseConversions(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout)
    {
        if (layout.IsVmemmap)
        {
            w.Summary("__pfn_to_page (SPARSEMEM_VMEMMAP): vmemmap + pfn. No check: see PfnValid, or PfnToPageRef for the checked form.");
            UncheckedAfterDispose(w);
            w.Line(TypeNames.Inline);
            w.Line($"public {pageType.Name}* PfnToPage(ulong pfn) => _vmemmap + pfn;");
            w.Line();
            // The comment goes above the documentation: nothing stands between the attribute and its member.
            w.Line(pageType.IsDefault
                ? "// Unsigned: a page is never below vmemmap, and an unsigned division by sizeof(Page) is one shift."
                : $"// Unsigned: a page is never below vmemmap; the division by sizeof({pageType.Display}) is one shift when that is a power of two.");
            w.Summary("__page_to_pfn (SPARSEMEM_VMEMMAP): page - vmemmap.");
            UncheckedAfterDispose(w);
            w.Line(TypeNames.Inline);
            w.Line($"public ulong PageToPfn({pageType.Name}* page) => ((ulong)page - (ulong)_vmemmap) / (ulong)sizeof({pageType.Name});");
            w.Line();
        }
        else
        {
            w.Line("// The section table holds host pointers, so section_mem_map is decoded at the host's word width:");
            w.Line($"// ~((1 << SECTION_MAP_LAST_BIT) - 1) = ~((1 << {layout.SectionMapLastBit}) - 1) as a 64-bit word" + (layout.BitsPerLong == 64 ? " (= SectionMapMask)." : " (SectionMapMask is the 32-bit kernel's)."));
            w.Line($"private const ulong HostSectionMapMask = 0x{LayoutConstant.GroupHex(layout.HostSectionMapMask)}UL;");
            w.Line();
            w.Summary("__pfn_to_page (classic SPARSEMEM): the section's mem_map, decoded (it is biased by the section's first pfn), plus the pfn. Only the section number is checked (beyond the model"
                + (layout.IsExtreme ? ", or under a root without memory," : string.Empty) + " throws); see PfnValid.");
            UncheckedAfterDispose(w);
            w.Line(TypeNames.Inline);
            using (w.Block($"public {pageType.Name}* PfnToPage(ulong pfn)"))
            {
                WriteTablePointerFirst(w, layout);
                if (layout.IsExtreme)
                {
                    WriteExtremeSection(w, layout, "ThrowNoPage(pfn);");
                    w.Line($"return ({pageType.Name}*)((ulong)global::System.Threading.Volatile.Read(ref section->SectionMemMap) & HostSectionMapMask) + pfn;");
                }
                else
                {
                    w.Line("ulong sectionNr = pfn >> PfnSectionShift;");
                    w.Line("if (sectionNr >= NrMemSections)");
                    w.Line("{");
                    w.Line("    ThrowNoPage(pfn);");
                    w.Line("}");
                    w.Line();
                    w.Line($"return ({pageType.Name}*)((ulong)global::System.Threading.Volatile.Read(ref sections[sectionNr].SectionMemMap) & HostSectionMapMask) + pfn;");
                }
            }

            w.Line();
            w.Line();
            bool topField = IsTopField(layout, layout.SectionsPgshift, layout.SectionsMask);
            w.Summary("__page_to_pfn (classic SPARSEMEM): the section number from page->flags, then the page's distance from the section's decoded mem_map.");
            UncheckedAfterDispose(w);
            w.Line(TypeNames.Inline);
            using (w.Block($"public ulong PageToPfn({pageType.Name}* page)"))
            {
                // Before page->flags too: the runtime hoists no load that comes after one that may fault.
                WriteTablePointerFirst(w, layout);
                w.Line(topField
                    ? "// The section field is the top one, so the shift alone extracts it (and it is below NR_MEM_SECTIONS)."
                    : "// The field is SECTIONS_WIDTH = SECTIONS_SHIFT bits wide, so the number is below NR_MEM_SECTIONS.");
                w.Line($"ulong sectionNr = {SectionField(layout, "page->Flags")};");
                if (layout.IsExtreme)
                {
                    w.Line("// The page exists, so the root of its section does: no null test.");
                    w.Line($"ulong memMap = (ulong)global::System.Threading.Volatile.Read(ref Root(roots, sectionNr / SectionsPerRoot)[sectionNr & SectionRootMask].SectionMemMap) & HostSectionMapMask;");
                }
                else
                {
                    w.Line($"ulong memMap = (ulong)global::System.Threading.Volatile.Read(ref sections[sectionNr].SectionMemMap) & HostSectionMapMask;");
                }
                w.Line($"return ((ulong)page - memMap) / (ulong)sizeof({pageType.Name});");
            }

            w.Line();
        }

        w.Summary("pfn_valid (generic SPARSEMEM): the pfn has a struct page: its section has a memmap, and the section is an early one or (VMEMMAP) the pfn's subsection is populated.");
        w.Line(TypeNames.Inline);
        using (w.Block("public bool PfnValid(ulong pfn)"))
        {
            WriteTablePointerFirst(w, layout);
            w.Line("// Every miss returns Absent(): false, or ObjectDisposedException after Dispose, which empties the");
            w.Line("// table so that every lookup misses.");
            if (layout.SectionsShift + layout.PfnSectionShift + layout.PageShift <= 64)
            {
                // The kernel's first test is implied by its second: one range check per pfn, same result.
                w.Line("// PHYS_PFN(PFN_PHYS(pfn)) != pfn (the top PAGE_SHIFT bits set) needs no test of its own: such a pfn is");
                w.Line("// at least 2^(64 - PAGE_SHIFT), beyond NR_MEM_SECTIONS << PFN_SECTION_SHIFT = 2^MAX_PHYSMEM_BITS >> PAGE_SHIFT,");
                w.Line("// so the range test below refuses it.");
            }
            else
            {
                w.Line("// PHYS_PFN(PFN_PHYS(pfn)) != pfn: the top PAGE_SHIFT bits must be clear.");
                w.Line("if (((pfn << PageShift) >> PageShift) != pfn)");
                w.Line("{");
                w.Line("    return Absent();");
                w.Line("}");
                w.Line();
            }

            if (layout.IsExtreme)
            {
                WriteExtremeSection(w, layout, "return Absent();");
            }
            else
            {
                w.Line("ulong sectionNr = pfn >> PfnSectionShift;");
                w.Line("if (sectionNr >= NrMemSections)");
                w.Line("{");
                w.Line("    return Absent();");
                w.Line("}");
                w.Line();
                w.Line("// The static table is never null (Dispose points it at an empty one), so neither is the entry.");
                w.Line($"{Section}* section = sections + sectionNr;");
            }

            w.Line();
            w.Line("// Acquire reads throughout: hotplug publishes the section word, the usage pointer and the");
            w.Line("// subsection bits with release stores, so a lookup sees either the old state or the new.");
            w.Line("ulong word = global::System.Threading.Volatile.Read(ref section->SectionMemMap);");
            w.Line("if ((word & SectionHasMemMap) == 0)");
            w.Line("{");
            w.Line("    return Absent();");
            w.Line("}");
            w.Line();
            if (layout.IsVmemmap)
            {
                w.Line("if ((word & SectionIsEarly) != 0)");
                w.Line("{");
                w.Line("    return true;");
                w.Line("}");
                w.Line();
                w.Line("// pfn_section_valid: the pfn's bit in the section's subsection map.");
                w.Line("ulong* subsectionMap = (ulong*)global::System.Threading.Volatile.Read(ref *(global::System.IntPtr*)&section->Usage);");
                w.Line("if (subsectionMap == null)");
                w.Line("{");
                w.Line("    return Absent();");
                w.Line("}");
                w.Line();
                w.Line("ulong index = (pfn & ~PageSectionMask) >> PfnSubsectionShift;");
                w.Line("return (global::System.Threading.Volatile.Read(ref subsectionMap[index >> 6]) & (1UL << (int)(index & 63))) != 0;");
            }
            else
            {
                w.Line("// Without VMEMMAP a section is all or nothing: pfn_section_valid is always true.");
                w.Line("return true;");
            }
        }

        w.Line();
    }

    // SPARSEMEM_EXTREME: the range test, the root (acquire; a missing one is a miss too) and the
    // section's entry, as "section". Root and entry come from the pfn each, two independent steps
    // rather than a chain, and the entry's byte offset is one shift and one mask (sizeof(MemSection)
    // is at most 16, and a section has at least 16 pages because its SECTION_MAP_LAST_BIT >= 4 flag
    // bits must fit below PFN_SECTION_SHIFT, which the layout checks: the divisor is a power of two
    // the runtime folds). The range test is the section number against NR_MEM_SECTIONS (pfn_valid's, and what
    // keeps PfnToPage from answering beyond the model); when that is a whole number of roots, the
    // root number against NR_SECTION_ROOTS (__nr_to_section's) is the same test, one shift shorter.
    private static void WriteExtremeSection(IndentedWriter w, MemoryLayout layout, string miss)
    {
        w.Line("ulong rootNr = pfn / (PagesPerSection * SectionsPerRoot); // SECTION_NR_TO_ROOT(pfn_to_section_nr(pfn))");
        w.Line(layout.NrSectionRoots * layout.SectionsPerRoot == layout.NrMemSections ? "if (rootNr >= NrSectionRoots)" : "if (pfn >> PfnSectionShift >= NrMemSections)");
        w.Line("{");
        w.Line("    " + miss);
        w.Line("}");
        w.Line();
        w.Line("// Acquire: a root published by a concurrent hot-add is seen whole.");
        w.Line($"{Section}* root = Root(roots, rootNr);");
        w.Line("if (root == null)");
        w.Line("{");
        w.Line("    " + miss);
        w.Line("}");
        w.Line();
        w.Line("// The entry's byte offset in its root, ((pfn >> PfnSectionShift) & SectionRootMask) * sizeof(MemSection), as one shift and one mask.");
        w.Line($"{Section}* section = ({Section}*)((byte*)root + ((pfn / (PagesPerSection / (ulong)sizeof({Section}))) & (SectionRootMask * (ulong)sizeof({Section}))));");
    }

    private static void WriteFlatConversions(IndentedWriter w, PageTypeInfo pageType, MemoryLayout layout)
    {
        string offset = layout.ArchPfnOffset == 0 ? "pfn" : "(pfn - ArchPfnOffset)";
        w.Summary("__pfn_to_page (FLATMEM): mem_map + (pfn - ARCH_PFN_OFFSET). No check: see PfnValid.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        w.Line($"public {pageType.Name}* PfnToPage(ulong pfn) => _memMap + {offset};");
        w.Line();
        w.Summary("__page_to_pfn (FLATMEM): (page - mem_map) + ARCH_PFN_OFFSET.");
        UncheckedAfterDispose(w);
        w.Line(TypeNames.Inline);
        w.Line(layout.ArchPfnOffset == 0
            ? $"public ulong PageToPfn({pageType.Name}* page) => ((ulong)page - (ulong)_memMap) / (ulong)sizeof({pageType.Name});"
            : $"public ulong PageToPfn({pageType.Name}* page) => (((ulong)page - (ulong)_memMap) / (ulong)sizeof({pageType.Name})) + ArchPfnOffset;");
        w.Line();
        w.Summary(layout.Spec.HolesInMemmap
            ? "pfn_valid (FLATMEM with holes): the pfn lies inside mem_map and inside a range of memory."
            : "pfn_valid (FLATMEM): pfn >= ARCH_PFN_OFFSET && pfn - ARCH_PFN_OFFSET < max_mapnr, one unsigned comparison (after the disposed test).");
        w.Line(TypeNames.Inline);
        using (w.Block("public bool PfnValid(ulong pfn)"))
        {
            // The answer is the comparison's own value and the miss only adds the disposed test: written
            // as 'a || Absent()' the runtime made a 1 on one path, a 0 on the other and tested the merged
            // value again (a taken jump and four more instructions per pfn in a counting loop).
            w.Line("bool disposed = _disposed; // read first, so that a caller's loop loads it once");
            w.Line($"bool valid = {offset} < _maxMapnr;");
            w.Line("if (disposed)");
            w.Line("{");
            w.Line("    ThrowDisposed(); // Dispose sets max_mapnr to 0: every pfn would miss");
            w.Line("}");
            w.Line();
            w.Line(layout.Spec.HolesInMemmap ? "return valid && !_storage.InHole(pfn);" : "return valid;");
        }

        w.Line();
    }

    private static void WriteSafeForms(IndentedWriter w, PageTypeInfo pageType, ModelTarget target, MemoryLayout layout)
    {
        w.Summary(layout.IsSparse
            ? "The page of a pfn, checked: throws when the pfn has no page in this model. The reference stays valid while no hot-remove takes the pfn's memory away: across a concurrent RemoveMemory, hold it only inside EnterReadSection()."
            : "The page of a pfn, checked: throws when the pfn has no page in this model.");
        bool deferred = layout.IsSparse && layout.Spec.DeferredStructPageInit;
        if (deferred)
        {
            w.Line("/// <remarks>DeferredStructPageInit is on: a page deferred init has not reached yet is initialized first (its whole section, as deferred_grow_zone does), so the page is never handed out before it is initialized. PfnToPage, like the kernel's pfn_to_page, does not wait: it may give a page that still reads as zeros (see Storage.PageInitialized and Storage.WaitForDeferredInit).</remarks>");
        }

        w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">PfnValid(pfn) is false.</exception>");
        w.Line("/// <exception cref=\"global::System.ObjectDisposedException\">The model was disposed.</exception>");
        using (w.Block($"public ref {pageType.Name} PfnToPageRef(ulong pfn)"))
        {
            w.Line("ThrowIfDisposed();");
            w.Line("if (!PfnValid(pfn))");
            w.Line("{");
            w.Line("    ThrowNoPage(pfn);");
            w.Line("}");
            w.Line();
            if (deferred)
            {
                w.Line("// DeferredStructPageInit: one volatile read once deferred init is done.");
                w.Line("_storage.EnsurePageInitialized(pfn);");
            }

            w.Line("return ref *PfnToPage(pfn);");
        }

        w.Line();
        w.Summary("The pfn of a page, checked: throws when the page is not one of this model's pages.");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The page does not belong to this model.</exception>");
        w.Line("/// <exception cref=\"global::System.ObjectDisposedException\">The model was disposed.</exception>");
        using (w.Block($"public ulong PageToPfn(ref {pageType.Name} page)"))
        {
            w.Line("ThrowIfDisposed();");
            w.Line($"{pageType.Name}* p = ({pageType.Name}*)global::System.Runtime.CompilerServices.Unsafe.AsPointer(ref page);");
            if (layout.Model == Model.Discontig)
            {
                w.Line($"if (({NodeField(layout, "p->Flags")}) >= (ulong)_storage.NodeCount)");
                w.Line("{");
                w.Line("    ThrowNotOurs();");
                w.Line("}");
                w.Line();
            }

            if (layout.IsSparse)
            {
                // A page that a removal took out of the tables stays valid while a read section that began
                // before the removal lasts, so a miss here is not yet "not ours": the storage decides.
                if (!layout.IsVmemmap)
                {
                    w.Line($"ulong sectionNr = {SectionField(layout, "p->Flags")};");
                    w.Line("if (ValidSection(NrToSection(sectionNr)))");
                    w.Line("{");
                    w.Line("    ulong pfn = PageToPfn(p);");
                    w.Line("    if (PfnValid(pfn) && PfnToPage(pfn) == p)");
                    w.Line("    {");
                    w.Line("        return pfn;");
                    w.Line("    }");
                    w.Line("}");
                }
                else
                {
                    w.Line("ulong pfn = PageToPfn(p);");
                    w.Line("if (PfnValid(pfn) && PfnToPage(pfn) == p)");
                    w.Line("{");
                    w.Line("    return pfn;");
                    w.Line("}");
                }

                w.Line();
                w.Line("// Not a page of a present section now; but a removal gives a memmap back only after every read");
                w.Line("// section that began before it has ended, so a reference held in one is still a page of this model.");
                w.Line("if (!_storage.TryPageToPfn(ref page, out ulong held))");
                w.Line("{");
                w.Line("    ThrowNotOurs();");
                w.Line("}");
                w.Line();
                w.Line("return held;");
            }
            else
            {
                w.Line("ulong pfn = PageToPfn(p);");
                w.Line("if (!PfnValid(pfn) || PfnToPage(pfn) != p)");
                w.Line("{");
                w.Line("    ThrowNotOurs();");
                w.Line("}");
                w.Line();
                w.Line("return pfn;");
            }
        }

        w.Line();
        w.Line(TypeNames.Inline);
        using (w.Block("private void ThrowIfDisposed()"))
        {
            WriteDisposedTest(w);
        }

        if (layout.IsSparse)
        {
            w.Line();
            w.Line("// A lookup's miss: false, or ObjectDisposedException once the model is disposed (Dispose empties the");
            w.Line("// tables, so that every lookup ends here and the hits test nothing).");
            w.Line(TypeNames.Inline);
            using (w.Block("private bool Absent()"))
            {
                WriteDisposedTest(w);
                w.Line();
                w.Line("return false;");
            }
        }

        w.Line();
        w.Line("// Only a throw, and not marked NoInlining: the JIT then knows a call to it does not return, keeps it");
        w.Line("// out of the loops that inline a lookup, and still holds their values in registers.");
        w.Line("[global::System.Diagnostics.CodeAnalysis.DoesNotReturn]");
        w.Line($"private static void ThrowDisposed() => throw new global::System.ObjectDisposedException(\"{target.Name.TrimStart('@')}\");");

        w.Line();
        w.Line("[global::System.Diagnostics.CodeAnalysis.DoesNotReturn]");
        w.Line("private static void ThrowNoPage(ulong pfn) =>");
        w.Line($"    throw new global::System.ArgumentOutOfRangeException(\"pfn\", \"pfn 0x\" + pfn.ToString(\"x\") + \" has no page in this {layout.Describe()} model: it is beyond the model, in a section without memory, or in a hole.\");");
        w.Line();
        w.Line("[global::System.Diagnostics.CodeAnalysis.DoesNotReturn]");
        w.Line("private static void ThrowNotOurs() =>");
        w.Line($"    throw new global::System.ArgumentException(\"The page is not one of this model's pages.\", \"page\");");
        w.Line();
        w.Line("#endregion");
        w.Line();
    }
}
