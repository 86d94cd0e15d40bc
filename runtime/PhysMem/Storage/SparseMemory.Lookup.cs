using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

// The run-time configured conversions and section predicates (include/linux/mmzone.h,
// include/asm-generic/memory_model.h). Every layout value comes from a readonly field. Section words,
// usage pointers and subsection map words are read with acquire semantics (Volatile.Read), pairing
// with the release stores of the hotplug code: whoever sees a section valid sees what was built
// before it was published. On x86-64 these are plain loads; on arm64 they are ldar.
public unsafe partial class SparseMemory<TPage>
{
    /// <summary><c>present_section</c>: the section has memory. False for null.</summary>
    /// <param name="section">The section, or null.</param>
    /// <returns>True when <c>SECTION_MARKED_PRESENT</c> is set.</returns>
    public static bool PresentSection(MemSection* section) => section != null && ((ulong)Volatile.Read(ref section->SectionMemMap) & MarkedPresent) != 0;

    /// <summary><c>present_section</c> on a <c>section_mem_map</c> word.</summary>
    /// <param name="sectionMemMap">The word.</param>
    /// <returns>True when <c>SECTION_MARKED_PRESENT</c> is set.</returns>
    public static bool PresentSection(nuint sectionMemMap) => ((ulong)sectionMemMap & MarkedPresent) != 0;

    /// <summary><c>valid_section</c>: the section has a memmap. False for null.</summary>
    /// <param name="section">The section, or null.</param>
    /// <returns>True when <c>SECTION_HAS_MEM_MAP</c> is set.</returns>
    public static bool ValidSection(MemSection* section) => section != null && ((ulong)Volatile.Read(ref section->SectionMemMap) & HasMemMap) != 0;

    /// <summary><c>valid_section</c> on a <c>section_mem_map</c> word.</summary>
    /// <param name="sectionMemMap">The word.</param>
    /// <returns>True when <c>SECTION_HAS_MEM_MAP</c> is set.</returns>
    public static bool ValidSection(nuint sectionMemMap) => ((ulong)sectionMemMap & HasMemMap) != 0;

    /// <summary><c>online_section</c>: the section's memory is online. False for null.</summary>
    /// <param name="section">The section, or null.</param>
    /// <returns>True when <c>SECTION_IS_ONLINE</c> is set.</returns>
    public static bool OnlineSection(MemSection* section) => section != null && ((ulong)Volatile.Read(ref section->SectionMemMap) & IsOnline) != 0;

    /// <summary><c>online_section</c> on a <c>section_mem_map</c> word.</summary>
    /// <param name="sectionMemMap">The word.</param>
    /// <returns>True when <c>SECTION_IS_ONLINE</c> is set.</returns>
    public static bool OnlineSection(nuint sectionMemMap) => ((ulong)sectionMemMap & IsOnline) != 0;

    /// <summary><c>early_section</c>: the section was populated at boot. False for null.</summary>
    /// <param name="section">The section, or null.</param>
    /// <returns>True when <c>SECTION_IS_EARLY</c> is set.</returns>
    public static bool EarlySection(MemSection* section) => section != null && ((ulong)Volatile.Read(ref section->SectionMemMap) & IsEarly) != 0;

    /// <summary><c>early_section</c> on a <c>section_mem_map</c> word.</summary>
    /// <param name="sectionMemMap">The word.</param>
    /// <returns>True when <c>SECTION_IS_EARLY</c> is set.</returns>
    public static bool EarlySection(nuint sectionMemMap) => ((ulong)sectionMemMap & IsEarly) != 0;

    /// <summary><c>pfn_to_section_nr</c>.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>Its section number.</returns>
    public ulong PfnToSectionNr(ulong pfn)
    {
        ThrowIfDisposed();
        return pfn >> _pfnSectionShift;
    }

    /// <summary><c>section_nr_to_pfn</c>.</summary>
    /// <param name="sectionNr">A section number.</param>
    /// <returns>The section's first pfn.</returns>
    public ulong SectionNrToPfn(ulong sectionNr)
    {
        ThrowIfDisposed();
        return SectionNrToPfnCore(sectionNr);
    }

    /// <summary>
    /// <c>__nr_to_section</c>: the table entry of a section, or null when its root is beyond
    /// <c>NR_SECTION_ROOTS</c> or (EXTREME) was never allocated.
    /// </summary>
    /// <param name="sectionNr">A section number.</param>
    /// <returns>The entry, or null.</returns>
    public MemSection* NrToSection(ulong sectionNr)
    {
        ThrowIfDisposed();
        return NrToSectionCore(sectionNr);
    }

    /// <summary><c>__pfn_to_section</c>.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The entry of its section, or null.</returns>
    public MemSection* PfnToSection(ulong pfn)
    {
        ThrowIfDisposed();
        return NrToSectionCore(pfn >> _pfnSectionShift);
    }

    /// <summary>
    /// <c>pfn_to_page</c>: <c>vmemmap + pfn</c>, or (classic) the section's biased memmap pointer plus
    /// <paramref name="pfn"/>. Like the kernel it does not check the pfn: call <see cref="PfnValid"/> first.
    /// </summary>
    /// <param name="pfn">A page frame number of a section with a memmap.</param>
    /// <returns>The page.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TPage* PfnToPage(ulong pfn)
    {
        ThrowIfDisposed();
        return PfnToPageCore(pfn);
    }

    /// <summary>
    /// <c>page_to_pfn</c>: <c>page - vmemmap</c>, or (classic) the section number from
    /// <c>page-&gt;flags</c>, then <c>page</c> minus that section's biased memmap pointer. The classic
    /// form reads the page, so while a removal may run it belongs inside a read section.
    /// </summary>
    /// <param name="page">A page of this storage.</param>
    /// <returns>Its pfn.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(TPage* page)
    {
        ThrowIfDisposed();
        if (_vmemmap)
        {
            // Unsigned: the division by sizeof(TPage) is one shift for a power-of-two size.
            return ((ulong)page - (ulong)_vmemmapBase) / (ulong)sizeof(TPage);
        }

        ulong nr = (PageDescriptor<TPage>.ReadFlags(page) >> _sectionsPgshift) & _sectionsMask;
        MemSection* ms = NrToSectionCore(nr);
        return ((ulong)page - ((ulong)Volatile.Read(ref ms->SectionMemMap) & _sectionMapMask)) / (ulong)sizeof(TPage);
    }

    /// <summary>
    /// <c>pfn_valid</c> of generic SPARSEMEM: the pfn survives the round trip through a physical
    /// address, its section is within <c>NR_MEM_SECTIONS</c> and has a memmap, and either the section
    /// is early (every pfn of a boot section is valid, holes included) or, with VMEMMAP, the pfn's
    /// subsection is in the section's subsection map.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when <see cref="PfnToPage"/> gives an initialised page.</returns>
    public bool PfnValid(ulong pfn)
    {
        ThrowIfDisposed();
        if (((pfn << _pageShift) >> _pageShift) != pfn)
        {
            return false;
        }

        ulong nr = pfn >> _pfnSectionShift;
        if (nr >= _nrMemSections)
        {
            return false;
        }

        MemSection* ms = NrToSectionCore(nr);
        if (ms == null)
        {
            return false;
        }

        ulong word = (ulong)Volatile.Read(ref ms->SectionMemMap);
        if ((word & HasMemMap) == 0)
        {
            return false;
        }

        return (word & IsEarly) != 0 || PfnSectionValidCore(ms, pfn);
    }

    /// <summary><c>pfn_in_present_section</c>: the pfn's section is within range and present.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when the section is marked present.</returns>
    public bool PfnInPresentSection(ulong pfn)
    {
        ThrowIfDisposed();
        ulong nr = pfn >> _pfnSectionShift;
        return nr < _nrMemSections && PresentSection(NrToSectionCore(nr));
    }

    /// <summary>
    /// <c>pfn_section_valid</c>: with VMEMMAP, whether the pfn's subsection bit is set in the
    /// section's subsection map; always true for classic SPARSEMEM (sections are all or nothing).
    /// </summary>
    /// <param name="section">The pfn's section.</param>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when the pfn's subsection is populated.</returns>
    public bool PfnSectionValid(MemSection* section, ulong pfn)
    {
        ThrowIfDisposed();
        return PfnSectionValidCore(section, pfn);
    }

    /// <summary><c>subsection_map_index</c>: the pfn's subsection within its section.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The bit index in the subsection map.</returns>
    public int SubsectionMapIndex(ulong pfn)
    {
        ThrowIfDisposed();
        return (int)((pfn >> _pfnSubsectionShift) & _subsectionIndexMask);
    }

    /// <summary>
    /// The node of a section (the kernel's <c>section_to_node_table</c>, needed when the node is not
    /// in <c>page-&gt;flags</c>); 0 for a section that is not present, as in the kernel's zeroed table.
    /// </summary>
    /// <param name="sectionNr">A section number.</param>
    /// <returns>The node.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sectionNr"/> is not below <c>NR_MEM_SECTIONS</c>.</exception>
    public int SectionToNode(ulong sectionNr)
    {
        ThrowIfDisposed();
        if (sectionNr >= _nrMemSections)
        {
            throw new ArgumentOutOfRangeException(nameof(sectionNr), "Section " + sectionNr + " is not below NR_MEM_SECTIONS = " + _nrMemSections + ".");
        }

        return _sectionToNode[sectionNr];
    }

    /// <summary>
    /// <c>page_to_nid</c>: from <c>page-&gt;flags</c>, or from the section's node when the layout keeps
    /// the node outside the flags.
    /// </summary>
    /// <param name="page">A page of this storage.</param>
    /// <returns>The node.</returns>
    public int PageToNid(TPage* page)
    {
        ThrowIfDisposed();
        return _nodeNotInPageFlags
            ? SectionToNode(PageFlagsUnchecked.SectionNumber(PageDescriptor<TPage>.ReadFlags(page)))
            : PageFlagsUnchecked.Nid(PageDescriptor<TPage>.ReadFlags(page));
    }

    /// <summary>
    /// <c>sparse_encode_mem_map</c>: the memmap of section <paramref name="sectionNr"/> as stored in
    /// <c>section_mem_map</c>, biased by the section's first pfn (wrapping as unsigned).
    /// </summary>
    /// <param name="memmap">The section's first page.</param>
    /// <param name="sectionNr">The section number.</param>
    /// <returns>The encoded pointer (its low <c>SECTION_MAP_LAST_BIT</c> bits are clear).</returns>
    /// <exception cref="InvalidOperationException">The memmap is not aligned enough to leave the flag bits clear.</exception>
    public nuint EncodeMemMap(TPage* memmap, ulong sectionNr)
    {
        ThrowIfDisposed();
        return EncodeCore(memmap, sectionNr);
    }

    /// <summary>
    /// <c>sparse_decode_mem_map</c>: the first page of section <paramref name="sectionNr"/> from its
    /// <c>section_mem_map</c> word (flag bits ignored).
    /// </summary>
    /// <param name="sectionMemMap">The section's word.</param>
    /// <param name="sectionNr">The section number.</param>
    /// <returns>The section's memmap.</returns>
    public TPage* DecodeMemMap(nuint sectionMemMap, ulong sectionNr)
    {
        ThrowIfDisposed();
        return (TPage*)(((ulong)sectionMemMap & _sectionMapMask) + SectionNrToPfnCore(sectionNr) * (ulong)sizeof(TPage));
    }

    /// <summary>
    /// <c>__section_mem_map_addr</c>: the biased memmap pointer of a section (its word without the
    /// flag bits); adding an absolute pfn of the section gives that pfn's page.
    /// </summary>
    /// <param name="section">The section.</param>
    /// <returns>The biased pointer.</returns>
    public TPage* SectionMemMapAddress(MemSection* section)
    {
        ThrowIfDisposed();
        return (TPage*)((ulong)section->SectionMemMap & _sectionMapMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong SectionNrToPfnCore(ulong sectionNr) => sectionNr << _pfnSectionShift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private MemSection* NrToSectionCore(ulong sectionNr) => _sections.NrToSection(sectionNr);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TPage* PfnToPageCore(ulong pfn)
    {
        if (_vmemmap)
        {
            return _vmemmapBase + pfn;
        }

        MemSection* ms = NrToSectionCore(pfn >> _pfnSectionShift);
        return (TPage*)((ulong)Volatile.Read(ref ms->SectionMemMap) & _sectionMapMask) + pfn;
    }

    private bool PfnSectionValidCore(MemSection* ms, ulong pfn)
    {
        if (!_vmemmap)
        {
            return true;
        }

        ulong* map = UsageOf(ms);
        if (map == null)
        {
            return false;
        }

        ulong bit = (pfn >> _pfnSubsectionShift) & _subsectionIndexMask;
        return (Volatile.Read(ref map[bit >> 6]) & (1UL << (int)(bit & 63))) != 0;
    }

    // READ_ONCE(ms->usage), with acquire semantics.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong* UsageOf(MemSection* ms) => (ulong*)Volatile.Read(ref *(nint*)&ms->Usage);

    private nuint EncodeCore(TPage* memmap, ulong sectionNr)
    {
        ulong encoded = unchecked((ulong)memmap - SectionNrToPfnCore(sectionNr) * (ulong)sizeof(TPage));
        if ((encoded & ~_sectionMapMask) != 0)
        {
            throw new InvalidOperationException("The memmap of section " + sectionNr + " is not aligned to 2^SECTION_MAP_LAST_BIT bytes, so its encoded pointer would overlap the flag bits.");
        }

        return (nuint)encoded;
    }
}
