using System;
using System.Runtime.CompilerServices;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.GenericMath;

/// <summary>
/// Every model's hot operations written once, over a config struct whose static abstract members
/// hold the layout (<see cref="IModelConfig"/>). The storage pointers are copied out of the runtime
/// storage into this struct's fields, so inside a loop they live in registers.
/// </summary>
/// <remarks>
/// Supports FLATMEM without holes, DISCONTIGMEM, classic SPARSEMEM (static and EXTREME) and
/// SPARSEMEM_VMEMMAP, with the node in <c>page-&gt;flags</c>: the configurations the benchmarks run.
/// It is a measurement device, not an alternative to the generator. DISCONTIGMEM's node lookup is a
/// walk over the config's constant node spans (one algorithm for every node layout, as generic code
/// must be, and the C baseline's), where the generator compiles each layout's spans into a balanced
/// tree of comparisons.
/// </remarks>
/// <typeparam name="TConfig">The layout.</typeparam>
public readonly unsafe struct GenericMathModel<TConfig> : IPageOperations
    where TConfig : struct, IModelConfig
{
    // The section_mem_map flag bits (the same for every model; include/linux/mmzone.h).
    private const ulong SectionHasMemMap = 1UL << 1;
    private const ulong SectionIsEarly = 1UL << 3;

    // FLATMEM: mem_map. SPARSEMEM_VMEMMAP: vmemmap. Classic SPARSEMEM: unused.
    private readonly Page* _memmap;

    // Classic and VMEMMAP SPARSEMEM: the static table, or (EXTREME) the root array. DISCONTIGMEM: NODE_DATA.
    private readonly void* _sections;

    // FLATMEM: max_mapnr.
    private readonly ulong _maxMapnr;

    /// <summary>Takes the pointers of a SPARSEMEM storage.</summary>
    /// <param name="storage">The storage, built for the same layout as <typeparamref name="TConfig"/>.</param>
    public GenericMathModel(SparseMemory storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (TConfig.IsFlat || storage.Layout.IsVmemmap != TConfig.IsVmemmap || storage.Layout.IsExtreme != TConfig.IsExtreme
            || storage.Layout.PfnSectionShift != TConfig.PfnSectionShift || TConfig.NodeNotInPageFlags)
        {
            throw new ArgumentException("The storage's layout is not the config's.", nameof(storage));
        }

        _memmap = storage.Vmemmap;
        _sections = TConfig.IsExtreme ? storage.Roots : storage.SectionTable;
        _maxMapnr = 0;
    }

    /// <summary>Takes the pointers of a FLATMEM storage.</summary>
    /// <param name="storage">The storage, built for the same layout as <typeparamref name="TConfig"/>.</param>
    public GenericMathModel(FlatMemory storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!TConfig.IsFlat || storage.ArchPfnOffset != TConfig.ArchPfnOffset || storage.Layout.Spec.HolesInMemmap || TConfig.NodeNotInPageFlags)
        {
            throw new ArgumentException("The storage's layout is not the config's.", nameof(storage));
        }

        _memmap = storage.MemMap;
        _sections = null;
        _maxMapnr = storage.MaxMapnr;
    }

    /// <summary>Takes the node array of a DISCONTIGMEM storage.</summary>
    /// <param name="storage">The storage, built for the same layout and banks as <typeparamref name="TConfig"/>.</param>
    public GenericMathModel(DiscontigMemory storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!TConfig.IsDiscontig || TConfig.NodeNotInPageFlags || !SameSpans(storage))
        {
            throw new ArgumentException("The storage's layout or node spans are not the config's.", nameof(storage));
        }

        _memmap = null;
        _sections = storage.Nodes;
        _maxMapnr = 0;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn)
    {
        if (TConfig.IsFlat)
        {
            return _memmap + (pfn - TConfig.ArchPfnOffset);
        }

        if (TConfig.IsDiscontig)
        {
            NodeData<Page>* node = (NodeData<Page>*)_sections + SpanOf(TConfig.NodeStarts, TConfig.NodeEnds, pfn);
            return node->NodeMemMap + (pfn - node->NodeStartPfn);
        }

        if (TConfig.IsVmemmap)
        {
            return _memmap + pfn;
        }

        return SectionMemMap(NrToSection(pfn >> TConfig.PfnSectionShift)) + pfn;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page)
    {
        if (TConfig.IsFlat)
        {
            return (ulong)(page - _memmap) + TConfig.ArchPfnOffset;
        }

        if (TConfig.IsDiscontig)
        {
            NodeData<Page>* node = (NodeData<Page>*)_sections + ((page->Flags >> TConfig.NodesPgshift) & TConfig.NodesMask);
            return (ulong)(page - node->NodeMemMap) + node->NodeStartPfn;
        }

        if (TConfig.IsVmemmap)
        {
            return (ulong)(page - _memmap);
        }

        ulong nr = (page->Flags >> TConfig.SectionsPgshift) & TConfig.SectionsMask;
        return (ulong)(page - SectionMemMap(NrToSection(nr)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn)
    {
        if (TConfig.IsFlat)
        {
            return pfn - TConfig.ArchPfnOffset < _maxMapnr;
        }

        if (TConfig.IsDiscontig)
        {
            return SpanOf(TConfig.BankStarts, TConfig.BankEnds, pfn) >= 0;
        }

        if (((pfn << TConfig.PageShift) >> TConfig.PageShift) != pfn)
        {
            return false;
        }

        ulong nr = pfn >> TConfig.PfnSectionShift;
        if (nr >= TConfig.NrMemSections)
        {
            return false;
        }

        MemSection* ms = NrToSection(nr);
        if (ms == null)
        {
            return false;
        }

        ulong word = ms->SectionMemMap;
        if ((word & SectionHasMemMap) == 0)
        {
            return false;
        }

        // Classic sections are all or nothing; an early section is valid throughout.
        if (!TConfig.IsVmemmap || (word & SectionIsEarly) != 0)
        {
            return true;
        }

        ulong* map = ms->Usage;
        if (map == null)
        {
            return false;
        }

        ulong bit = (pfn & ~TConfig.PageSectionMask) >> TConfig.PfnSubsectionShift;
        return (map[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => (int)((page->Flags >> TConfig.NodesPgshift) & TConfig.NodesMask);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => (int)((page->Flags >> TConfig.ZonesPgshift) & TConfig.ZonesMask);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn)
    {
        ulong flags = page->Flags;
        flags = (flags & ~(TConfig.ZonesMask << TConfig.ZonesPgshift)) | (((ulong)zone & TConfig.ZonesMask) << TConfig.ZonesPgshift);
        flags = (flags & ~(TConfig.NodesMask << TConfig.NodesPgshift)) | (((ulong)nid & TConfig.NodesMask) << TConfig.NodesPgshift);
        if (!TConfig.IsFlat && !TConfig.IsDiscontig && !TConfig.IsVmemmap)
        {
            flags = (flags & ~(TConfig.SectionsMask << TConfig.SectionsPgshift)) | (((pfn >> TConfig.PfnSectionShift) & TConfig.SectionsMask) << TConfig.SectionsPgshift);
        }

        page->Flags = flags;
    }

    // __nr_to_section: the static table entry, or (EXTREME) the root's entry; null for a root
    // beyond NR_SECTION_ROOTS or never allocated.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private MemSection* NrToSection(ulong nr)
    {
        if (TConfig.IsExtreme)
        {
            ulong root = nr / TConfig.SectionsPerRoot;
            if (root >= TConfig.NrSectionRoots)
            {
                return null;
            }

            MemSection* block = ((MemSection**)_sections)[root];
            return block == null ? null : block + (nr & (TConfig.SectionsPerRoot - 1));
        }

        return nr >= TConfig.NrMemSections ? null : (MemSection*)_sections + nr;
    }

    // The index of the span [starts[i], ends[i]) that holds pfn, or -1: arch_pfn_to_nid over the
    // node spans (a pfn_to_page caller guarantees a node), the bank of pfn_valid. A walk over the
    // constant table, as the C baseline's; the JIT sees the table's length and entries as constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SpanOf(ReadOnlySpan<ulong> starts, ReadOnlySpan<ulong> ends, ulong pfn)
    {
        for (int i = 0; i < starts.Length; i++)
        {
            if (pfn - starts[i] < ends[i] - starts[i])
            {
                return i;
            }
        }

        return -1;
    }

    // The config's node spans and banks are the storage's.
    private static bool SameSpans(DiscontigMemory storage)
    {
        var banks = storage.Map.Pfns(TConfig.PageShift);
        if (banks.Count != TConfig.BankStarts.Length || storage.NodeCount != TConfig.NodeStarts.Length)
        {
            return false;
        }

        for (int i = 0; i < banks.Count; i++)
        {
            if (banks[i].Start != TConfig.BankStarts[i] || banks[i].End != TConfig.BankEnds[i])
            {
                return false;
            }
        }

        for (int nid = 0; nid < storage.NodeCount; nid++)
        {
            var node = storage.NodeDataOf(nid);
            if (node.NodeStartPfn != TConfig.NodeStarts[nid] || node.NodeEndPfn != TConfig.NodeEnds[nid])
            {
                return false;
            }
        }

        return true;
    }

    // __section_mem_map_addr: the section's biased memmap pointer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Page* SectionMemMap(MemSection* ms) => (Page*)((ulong)ms->SectionMemMap & TConfig.HostSectionMapMask);
}
