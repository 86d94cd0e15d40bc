using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// What a storage will allocate for a memory map, computed from the layout and the map alone,
/// before anything is allocated: the memmap it commits, its section tables (or node data) and usage
/// maps, and the address space it reserves. The storages check it against their
/// <see cref="StorageLimits"/>; <c>physmem map</c> prints it.
/// </summary>
/// <remarks>
/// The numbers are the storage's own, in host bytes (<c>sizeof(TPage)</c> entries, 16-byte
/// <see cref="MemSection"/>s on a 64-bit host), equal to what <see cref="SparseMemory{TPage}.GetAccounting"/>
/// and the <c>CommittedMemmapBytes</c> and <c>ReservedBytes</c> properties report after building.
/// SPARSEMEM gives every present section a whole memmap, as the kernel does, so a sparse map costs
/// far more than its memory. Managed bookkeeping (a few bytes per range or section) is not counted.
/// </remarks>
/// <param name="What">The storage and model it is for, e.g. "SparseMemory for SPARSEMEM (VMEMMAP, EXTREME)".</param>
/// <param name="MemmapBytes">Bytes of memmap committed.</param>
/// <param name="TableBytes">Bytes of section table (the static table, or EXTREME's root-pointer array and roots) or of node data.</param>
/// <param name="UsageBytes">Bytes of usage blocks (subsection maps and pageblock flags).</param>
/// <param name="ReservedBytes">Bytes of address space reserved.</param>
/// <param name="MemmapFormula">How <paramref name="MemmapBytes"/> came about, with the numbers.</param>
/// <param name="TableFormula">How <paramref name="TableBytes"/> and <paramref name="UsageBytes"/> came about.</param>
/// <param name="ReservedFormula">How <paramref name="ReservedBytes"/> came about.</param>
public sealed record StorageCost(string What, ulong MemmapBytes, ulong TableBytes, ulong UsageBytes, ulong ReservedBytes, string MemmapFormula, string TableFormula, string ReservedFormula)
{
    /// <summary>The cost of the storage for <paramref name="layout"/> over <paramref name="map"/> with the default 64-byte <see cref="Page"/>.</summary>
    /// <param name="layout">The layout (any model).</param>
    /// <param name="map">The memory map.</param>
    /// <returns>The cost.</returns>
    /// <exception cref="ArgumentException">The map does not fit the layout (a range beyond <c>MAX_PHYSMEM_BITS</c>, or, for FLATMEM, below <c>ARCH_PFN_OFFSET</c>).</exception>
    public static StorageCost For(MemoryLayout layout, MemoryMap map) => For<Page>(layout, map);

    /// <summary>The cost of the storage for <paramref name="layout"/> over <paramref name="map"/> with <typeparamref name="TPage"/> entries.</summary>
    /// <typeparam name="TPage">The frame descriptor type.</typeparam>
    /// <param name="layout">The layout (any model).</param>
    /// <param name="map">The memory map.</param>
    /// <returns>The cost.</returns>
    /// <exception cref="ArgumentException">The map does not fit the layout (a range beyond <c>MAX_PHYSMEM_BITS</c>, or, for FLATMEM, below <c>ARCH_PFN_OFFSET</c>).</exception>
    public static unsafe StorageCost For<TPage>(MemoryLayout layout, MemoryMap map)
        where TPage : unmanaged
    {
        if (layout is null)
        {
            throw new ArgumentNullException(nameof(layout));
        }

        if (map is null)
        {
            throw new ArgumentNullException(nameof(map));
        }

        ulong entry = (ulong)sizeof(TPage);
        var runs = map.Pfns(layout.PageShift);
        if (layout.IsSparse)
        {
            map.CheckFits(layout);
            return Sparse(layout, runs, entry, (ulong)sizeof(MemSection), (ulong)sizeof(nint));
        }

        return layout.Model == Model.Flat ? Flat(layout, runs, entry) : Discontig(layout, runs, entry, (ulong)sizeof(NodeData<TPage>));
    }

    // What SparseMemory's Boot allocates: per present section a memmap (a block, or its slice of the
    // vmemmap) and a usage block; the static table, or the root pointers and one root per root in use.
    internal static StorageCost Sparse(MemoryLayout layout, IReadOnlyList<PfnRange> runs, ulong entry, ulong sectionBytes, ulong pointerBytes)
    {
        var sections = new HashSet<ulong>();
        var roots = new HashSet<ulong>();
        foreach (var run in runs)
        {
            for (ulong nr = run.Start >> layout.PfnSectionShift; nr <= (run.End - 1) >> layout.PfnSectionShift; nr++)
            {
                sections.Add(nr);
                roots.Add(nr / layout.SectionsPerRoot);
            }
        }

        ulong present = (ulong)sections.Count;
        return Sparse(layout, present, (ulong)roots.Count, entry, sectionBytes, pointerBytes);
    }

    // The same from counts: also what a hot-add of 'present' new sections under 'roots' new roots adds.
    internal static StorageCost Sparse(MemoryLayout layout, ulong present, ulong roots, ulong entry, ulong sectionBytes, ulong pointerBytes)
    {
        ulong perSection = layout.PagesPerSection * entry;
        ulong memmap = present * perSection;
        ulong usageStride = ((ulong)layout.HostSubsectionMapWords * 8 + layout.UsemapSize + 7) & ~7UL;
        ulong rootBytes = layout.SectionsPerRoot * sectionBytes;
        ulong table = layout.IsExtreme ? layout.NrSectionRoots * pointerBytes + roots * rootBytes : OsPages(layout.NrMemSections * sectionBytes);
        ulong vmemmap = layout.IsVmemmap ? OsPages(layout.NrMemSections * perSection) : 0;
        ulong reserved = vmemmap + (layout.IsExtreme ? 0 : table);
        string what = "SparseMemory for " + layout.Describe();
        return new StorageCost(
            what,
            memmap,
            table,
            present * usageStride,
            reserved,
            N(present) + " present sections × " + N(layout.PagesPerSection) + " pages × " + N(entry) + " bytes",
            (layout.IsExtreme
                ? N(layout.NrSectionRoots) + " root pointers × " + N(pointerBytes) + " bytes + " + N(roots) + " roots × " + N(layout.SectionsPerRoot) + " sections × " + N(sectionBytes) + " bytes"
                : N(layout.NrMemSections) + " sections × " + N(sectionBytes) + " bytes")
                + ", and " + N(present) + " usage blocks × " + N(usageStride) + " bytes",
            (layout.IsVmemmap ? "vmemmap of " + N(layout.NrMemSections) + " sections × " + N(perSection) + " bytes" : "no vmemmap")
                + (layout.IsExtreme ? string.Empty : " + the static table"));
    }

    // FlatMemory: mem_map from ARCH_PFN_OFFSET to the end of the last range, reserved and committed,
    // less the whole operating-system pages over holes when HolesInMemmap releases them.
    private static StorageCost Flat(MemoryLayout layout, IReadOnlyList<PfnRange> runs, ulong entry)
    {
        ulong offset = layout.ArchPfnOffset;
        ulong end = runs.Count == 0 ? offset : runs[^1].End;
        if (runs.Count > 0 && runs[0].Start < offset)
        {
            throw new ArgumentException("The memory range starting at pfn 0x" + runs[0].Start.ToString("x", CultureInfo.InvariantCulture) + " lies below ARCH_PFN_OFFSET = 0x" + offset.ToString("x", CultureInfo.InvariantCulture) + ".", nameof(runs));
        }

        ulong pages = end - offset;
        ulong bytes = pages > ulong.MaxValue / entry ? ulong.MaxValue : pages * entry;
        ulong released = 0;
        if (layout.Spec.HolesInMemmap)
        {
            ulong os = (ulong)Environment.SystemPageSize;
            ulong holeStart = offset;
            for (int i = 0; i <= runs.Count; i++)
            {
                ulong holeEnd = i < runs.Count ? runs[i].Start : end;
                if (holeEnd > holeStart)
                {
                    ulong first = ((holeStart - offset) * entry + os - 1) & ~(os - 1);
                    ulong last = ((holeEnd - offset) * entry) & ~(os - 1);
                    released += last > first ? last - first : 0;
                }

                if (i < runs.Count)
                {
                    holeStart = Math.Max(holeStart, runs[i].End);
                }
            }
        }

        ulong reserved = OsPages(bytes);
        return new StorageCost(
            "FlatMemory for " + layout.Describe(),
            reserved - released,
            0,
            0,
            reserved,
            N(pages) + " pages from ARCH_PFN_OFFSET to the end of memory × " + N(entry) + " bytes" + (released > 0 ? ", less " + N(released) + " bytes over holes" : string.Empty),
            "none",
            "mem_map");
    }

    // DiscontigMemory: one memmap per node over its span, holes included, and the node data array.
    private static StorageCost Discontig(MemoryLayout layout, IReadOnlyList<PfnRange> runs, ulong entry, ulong nodeBytes)
    {
        var spans = new SortedDictionary<int, (ulong Start, ulong End)>();
        foreach (var run in runs)
        {
            spans[run.Node] = spans.TryGetValue(run.Node, out var s) ? (Math.Min(s.Start, run.Start), Math.Max(s.End, run.End)) : (run.Start, run.End);
        }

        ulong pages = 0;
        ulong memmap = 0;
        int nodes = 0;
        foreach (var (node, span) in spans)
        {
            pages += span.End - span.Start;
            memmap += OsPages((span.End - span.Start) * entry);
            nodes = Math.Max(nodes, node + 1);
        }

        ulong table = (ulong)Math.Max(nodes, 1) * nodeBytes;
        return new StorageCost(
            "DiscontigMemory for " + layout.Describe(),
            memmap,
            table,
            0,
            memmap,
            N(pages) + " pages in " + N((ulong)spans.Count) + " node spans × " + N(entry) + " bytes",
            N((ulong)Math.Max(nodes, 1)) + " nodes × " + N(nodeBytes) + " bytes of node data",
            "the node memmaps");
    }

    private static ulong OsPages(ulong bytes)
    {
        ulong os = (ulong)Environment.SystemPageSize;
        return bytes > ulong.MaxValue - os ? ulong.MaxValue : (bytes + os - 1) & ~(os - 1);
    }

    private static string N(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
