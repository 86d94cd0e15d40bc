using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

// SPARSEMEM's sections and subsections, the section table and the section_mem_map flag bits
// (include/linux/mmzone.h, mm/sparse.c).
public sealed partial class MemoryLayout
{
    /// <summary>The kernel's fixed subsection size, 2 MiB on every architecture.</summary>
    public const int SubsectionShift = 21;

    /// <summary>The most memory PhysMem lets a model's static section table take (the flat array of sections, or EXTREME's array of root pointers): 1 GiB.</summary>
    public const ulong MaxStaticSectionTableBytes = 1UL << 30;

    private Term _sectionSizeBits;
    private Term _maxPhysmemBits;
    private Term _paSectionShift;
    private Term _pfnSectionShift;
    private Term _sectionsShift;
    private Term _nrMemSections;
    private Term _pagesPerSection;
    private Term _pageSectionMask;
    private Term _pfnSubsectionShift;
    private Term _pagesPerSubsection;
    private Term _pageSubsectionMask;
    private Term _subsectionsPerSection;
    private Term _sectionsPerRoot;
    private Term _nrSectionRoots;
    private Term _sectionRootMask;
    private Term _sectionMarkedPresent;
    private Term _sectionHasMemMap;
    private Term _sectionIsOnline;
    private Term _sectionIsEarly;
    private Term _sectionTaintZoneDevice;
    private Term _sectionIsVmemmapPreinit;
    private Term _sectionMapLastBit;
    private Term _sectionMapMask;
    private Term _sectionNidShift;

    /// <summary><c>SECTION_SIZE_BITS</c> (SPARSEMEM).</summary>
    public int SectionSizeBits => _sectionSizeBits.Int;

    /// <summary><c>MAX_PHYSMEM_BITS</c> (SPARSEMEM).</summary>
    public int MaxPhysmemBits => _maxPhysmemBits.Int;

    /// <summary><c>PA_SECTION_SHIFT</c>.</summary>
    public int PaSectionShift => _paSectionShift.Int;

    /// <summary><c>PFN_SECTION_SHIFT</c>.</summary>
    public int PfnSectionShift => _pfnSectionShift.Int;

    /// <summary><c>SECTIONS_SHIFT</c> (0 without SPARSEMEM).</summary>
    public int SectionsShift => _sectionsShift.Int;

    /// <summary><c>NR_MEM_SECTIONS</c>.</summary>
    public ulong NrMemSections => _nrMemSections.Bits;

    /// <summary><c>PAGES_PER_SECTION</c>.</summary>
    public ulong PagesPerSection => _pagesPerSection.Bits;

    /// <summary><c>PAGE_SECTION_MASK</c>.</summary>
    public ulong PageSectionMask => _pageSectionMask.Bits;

    /// <summary><c>PFN_SUBSECTION_SHIFT</c>.</summary>
    public int PfnSubsectionShift => _pfnSubsectionShift.Int;

    /// <summary><c>PAGES_PER_SUBSECTION</c>.</summary>
    public ulong PagesPerSubsection => _pagesPerSubsection.Bits;

    /// <summary><c>PAGE_SUBSECTION_MASK</c>.</summary>
    public ulong PageSubsectionMask => _pageSubsectionMask.Bits;

    /// <summary><c>SUBSECTIONS_PER_SECTION</c>.</summary>
    public ulong SubsectionsPerSection => _subsectionsPerSection.Bits;

    /// <summary>Bytes of <c>sizeof(struct mem_section)</c> in the kernel this layout describes.</summary>
    public int MemSectionSize { get; private set; }

    /// <summary><c>SECTIONS_PER_ROOT</c> (1 without EXTREME).</summary>
    public ulong SectionsPerRoot => _sectionsPerRoot.Bits;

    /// <summary><c>NR_SECTION_ROOTS</c>.</summary>
    public ulong NrSectionRoots => _nrSectionRoots.Bits;

    /// <summary><c>SECTION_ROOT_MASK</c>.</summary>
    public ulong SectionRootMask => _sectionRootMask.Bits;

    /// <summary><c>SECTION_MARKED_PRESENT</c>.</summary>
    public ulong SectionMarkedPresent => _sectionMarkedPresent.Bits;

    /// <summary><c>SECTION_HAS_MEM_MAP</c>.</summary>
    public ulong SectionHasMemMap => _sectionHasMemMap.Bits;

    /// <summary><c>SECTION_IS_ONLINE</c>.</summary>
    public ulong SectionIsOnline => _sectionIsOnline.Bits;

    /// <summary><c>SECTION_IS_EARLY</c>.</summary>
    public ulong SectionIsEarly => _sectionIsEarly.Bits;

    /// <summary><c>SECTION_TAINT_ZONE_DEVICE</c> (0 without ZONE_DEVICE).</summary>
    public ulong SectionTaintZoneDevice => _sectionTaintZoneDevice.Bits;

    /// <summary><c>SECTION_IS_VMEMMAP_PREINIT</c> (0 without CONFIG_SPARSEMEM_VMEMMAP_PREINIT).</summary>
    public ulong SectionIsVmemmapPreinit => _sectionIsVmemmapPreinit.Bits;

    /// <summary><c>SECTION_MAP_LAST_BIT</c>: the number of section flag bits.</summary>
    public int SectionMapLastBit => _sectionMapLastBit.Int;

    /// <summary><c>SECTION_MAP_MASK</c>: the bits of <c>section_mem_map</c> that hold the encoded memmap pointer.</summary>
    public ulong SectionMapMask => _sectionMapMask.Bits;

    /// <summary>
    /// <c>SECTION_MAP_MASK</c> at the host's 64-bit word: the runtime's section table holds host
    /// pointers, so it encodes and decodes with this mask. Equal to <see cref="SectionMapMask"/>
    /// for 64-bit layouts; a 32-bit layout's mask would cut a host pointer's upper half.
    /// </summary>
    public ulong HostSectionMapMask => ~((1UL << SectionMapLastBit) - 1);

    /// <summary><c>SECTION_NID_SHIFT</c>: where the early encoding keeps the node id.</summary>
    public int SectionNidShift => _sectionNidShift.Int;

    /// <summary>Longs (of <c>BITS_PER_LONG</c>) in a section's <c>subsection_map</c> in the kernel.</summary>
    public int SubsectionMapLongs { get; private set; }

    /// <summary>64-bit words the runtime's usage block gives a section's subsection map (VMEMMAP; 0 otherwise).</summary>
    public int HostSubsectionMapWords => IsVmemmap ? (int)((SubsectionsPerSection + 63) / 64) : 0;

    /// <summary>The first pfn beyond what the model describes, <c>1 &lt;&lt; (MAX_PHYSMEM_BITS - PAGE_SHIFT)</c> (SPARSEMEM; memory_present clamps to it).</summary>
    public ulong MaxPfn => IsSparse ? 1UL << (MaxPhysmemBits - PageShift) : ulong.MaxValue;

    /// <summary>
    /// One past the highest physical address the model describes, <c>1 &lt;&lt; MAX_PHYSMEM_BITS</c>
    /// (SPARSEMEM), or 0 when every 64-bit address is (FLATMEM, DISCONTIGMEM, or 64 bits).
    /// </summary>
    public ulong PhysicalAddressLimit => IsSparse && MaxPhysmemBits < 64 ? 1UL << MaxPhysmemBits : 0;

    /// <summary>
    /// Why memory <c>[start, end)</c> cannot be described by this model — it reaches beyond
    /// <c>MAX_PHYSMEM_BITS</c> — or null when it can. The one wording of the rule, for the storage's
    /// exceptions and the generator's diagnostics.
    /// </summary>
    /// <param name="end">One past the range's last byte.</param>
    /// <returns>The reason, or null.</returns>
    internal string? BeyondPhysicalAddressLimit(ulong end)
    {
        ulong limit = PhysicalAddressLimit;
        return limit != 0 && end > limit
            ? "reaches beyond MAX_PHYSMEM_BITS = " + MaxPhysmemBits.ToString(System.Globalization.CultureInfo.InvariantCulture)
              + ": the model describes physical addresses below 0x" + limit.ToString("x", System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    private bool CalculateSections(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        if (s.SectionSizeBits < s.PageShift || s.SectionSizeBits > s.MaxPhysmemBits)
        {
            problems.Add(Diag(DiagnosticCatalog.SectionSizeOutOfRange, new[] { Inputs.SectionSizeBits, Inputs.MaxPhysmemBits, Inputs.PageShift },
                S(s.SectionSizeBits), SectionSizeRange()));
            return false;
        }

        if (s.MaxPhysmemBits > 64)
        {
            problems.Add(Diag(DiagnosticCatalog.PhysmemTooWide, new[] { Inputs.MaxPhysmemBits }, S(s.MaxPhysmemBits), "physical addresses (phys_addr_t) are at most 64 bits"));
            return false;
        }

        if (s.MaxPhysmemBits - s.PageShift > s.BitsPerLong)
        {
            problems.Add(Diag(DiagnosticCatalog.PhysmemTooWide, new[] { Inputs.MaxPhysmemBits, Inputs.BitsPerLong },
                S(s.MaxPhysmemBits), $"the highest pfn needs MAX_PHYSMEM_BITS - PAGE_SHIFT = {s.MaxPhysmemBits} - {s.PageShift} = {s.MaxPhysmemBits - s.PageShift} bits, more than an unsigned long of BITS_PER_LONG = {s.BitsPerLong}"));
            return false;
        }

        _sectionSizeBits = DefineInt("SECTION_SIZE_BITS", "SectionSizeBits", s.SectionSizeBits, "log2 of the section size in bytes.");
        _maxPhysmemBits = DefineInt("MAX_PHYSMEM_BITS", "MaxPhysmemBits", s.MaxPhysmemBits, "log2 of the physical address space the model describes.");
        _sectionsShift = DefineInt("SECTIONS_SHIFT", "SectionsShift", _maxPhysmemBits - _sectionSizeBits, "Bits of a section number.");
        _paSectionShift = DefineInt("PA_SECTION_SHIFT", "PaSectionShift", _sectionSizeBits, "Shift from a physical address to its section number.");
        _pfnSectionShift = DefineInt("PFN_SECTION_SHIFT", "PfnSectionShift", _sectionSizeBits - _pageShift, "Shift from a pfn to its section number.");
        _nrMemSections = DefineCount("NR_MEM_SECTIONS", "NrMemSections", (Term)1 << _sectionsShift, "Sections in the physical address space.");
        _pagesPerSection = DefineCount("PAGES_PER_SECTION", "PagesPerSection", (Term)1 << _pfnSectionShift, "Pages in one section.");
        _pageSectionMask = DefineMask("PAGE_SECTION_MASK", "PageSectionMask", (~(_pagesPerSection - 1)).Word(BitsPerLong), "Clears the pfn's offset within its section.");

        if (SubsectionShift > SectionSizeBits)
        {
            problems.Add(Diag(DiagnosticCatalog.SubsectionExceedsSection, new[] { Inputs.SectionSizeBits }, S(SectionSizeBits), SectionSizeRange()));
            return false;
        }

        Term subsectionShift = DefineInt("SUBSECTION_SHIFT", "SubsectionShift", SubsectionShift, "log2 of the subsection size: 2 MiB on every architecture.");
        DefineCount("SUBSECTION_SIZE", "SubsectionSize", (Term)1 << subsectionShift, "Bytes in a subsection.");
        _pfnSubsectionShift = DefineInt("PFN_SUBSECTION_SHIFT", "PfnSubsectionShift", subsectionShift - _pageShift, "Shift from a pfn to its subsection number.");
        _pagesPerSubsection = DefineCount("PAGES_PER_SUBSECTION", "PagesPerSubsection", (Term)1 << _pfnSubsectionShift, "Pages in one subsection.");
        _pageSubsectionMask = DefineMask("PAGE_SUBSECTION_MASK", "PageSubsectionMask", (~(_pagesPerSubsection - 1)).Word(BitsPerLong), "Clears the pfn's offset within its subsection.");
        _subsectionsPerSection = DefineCount("SUBSECTIONS_PER_SECTION", "SubsectionsPerSection", (Term)1 << (_sectionSizeBits - subsectionShift),
            "Subsections in one section: the bits of a section's subsection map.");
        SubsectionMapLongs = (int)((SubsectionsPerSection + (ulong)BitsPerLong - 1) / (ulong)BitsPerLong);

        // struct mem_section: section_mem_map and usage; CONFIG_PAGE_EXTENSION adds page_ext and a pad word.
        int pointerBytes = BitsPerLong / 8;
        MemSectionSize = pointerBytes * (Spec.PageExtension ? 4 : 2);
        _sectionsPerRoot = Spec.Extreme
            ? DefineCount("SECTIONS_PER_ROOT", "SectionsPerRoot", _pageSize / Term.Named("sizeof(struct mem_section)", MemSectionSize),
                "Sections in one root of the EXTREME table (one page of mem_section).")
            : DefineCount("SECTIONS_PER_ROOT", "SectionsPerRoot", 1, "Sections in one root: 1 without EXTREME (a flat static table).");

        _nrSectionRoots = DefineCount("NR_SECTION_ROOTS", "NrSectionRoots", Term.DivRoundUp(_nrMemSections, _sectionsPerRoot), "Roots of the section table.");
        if (StaticSectionTableProblem() is { } tooLarge)
        {
            problems.Add(tooLarge);
            return false;
        }

        _sectionRootMask = DefineMask("SECTION_ROOT_MASK", "SectionRootMask", _sectionsPerRoot - 1, "A section's index within its root.");

        // enum of section_mem_map flag bits (include/linux/mmzone.h, 6.15 layout): PRESENT, HAS_MEM_MAP,
        // IS_ONLINE, IS_EARLY, [TAINT_ZONE_DEVICE], [IS_VMEMMAP_PREINIT]; each optional bit moves
        // SECTION_MAP_LAST_BIT, and so SECTION_MAP_MASK and the encoded memmap pointer, up by one.
        int bit = 0;
        _sectionMarkedPresent = DefineMask("SECTION_MARKED_PRESENT", "SectionMarkedPresent", (Term)1 << bit++, "The section has memory (memory_present).");
        _sectionHasMemMap = DefineMask("SECTION_HAS_MEM_MAP", "SectionHasMemMap", (Term)1 << bit++, "The section has a memmap: valid_section().");
        _sectionIsOnline = DefineMask("SECTION_IS_ONLINE", "SectionIsOnline", (Term)1 << bit++, "The section's memory is online.");
        _sectionIsEarly = DefineMask("SECTION_IS_EARLY", "SectionIsEarly", (Term)1 << bit++, "The section was populated at boot.");
        if (Spec.ZoneDevice)
        {
            _sectionTaintZoneDevice = DefineMask("SECTION_TAINT_ZONE_DEVICE", "SectionTaintZoneDevice", (Term)1 << bit++, "Some of the section's memory is ZONE_DEVICE.");
        }

        if (Spec.VmemmapPreinit)
        {
            // 6.15, "mm/sparse: allow for alternate vmemmap section init at boot": hugetlb's early
            // HVO marks the sections whose memmap it populated itself.
            _sectionIsVmemmapPreinit = DefineMask("SECTION_IS_VMEMMAP_PREINIT", "SectionIsVmemmapPreinit", (Term)1 << bit++,
                "The section's memmap was populated before sparse_init_nid (hugetlb's boot-time vmemmap optimisation).");
        }

        _sectionMapLastBit = DefineInt("SECTION_MAP_LAST_BIT", "SectionMapLastBit", bit, "The number of flag bits at the bottom of section_mem_map.");
        _sectionMapMask = DefineMask("SECTION_MAP_MASK", "SectionMapMask", (~Term.LowMask(_sectionMapLastBit)).Word(BitsPerLong),
            "The bits of section_mem_map that hold the encoded memmap pointer.");
        _sectionNidShift = DefineInt("SECTION_NID_SHIFT", "SectionNidShift", _sectionMapLastBit, "Where the early encoding of section_mem_map keeps the node id.");
        if (SectionMapLastBit > PfnSectionShift)
        {
            problems.Add(Diag(DiagnosticCatalog.SectionMapBitsDoNotFit, new[] { Inputs.SectionSizeBits, Inputs.PageShift, Inputs.ZoneDevice, Inputs.VmemmapPreinit }, S(SectionMapLastBit), S(PfnSectionShift)));
            return false;
        }

        if (Spec.MaxPageOrder + PageShift > SectionSizeBits)
        {
            problems.Add(Diag(DiagnosticCatalog.OrderExceedsSection, new[] { Inputs.SectionSizeBits, Inputs.MaxPageOrder, Inputs.PageShift },
                S(Spec.MaxPageOrder), S(PageShift), S(Spec.MaxPageOrder + PageShift), S(SectionSizeBits), SectionSizeRange()));
            return false;
        }

        return true;
    }

    // mem_section[] is static in the kernel (mm/sparse.c): NR_MEM_SECTIONS entries without EXTREME,
    // NR_SECTION_ROOTS pointers with it. Refused before anything is reserved when it passes the limit.
    private LayoutDiagnostic? StaticSectionTableProblem()
    {
        int pointerBytes = BitsPerLong / 8;
        ulong entries = Spec.Extreme ? NrSectionRoots : NrMemSections;
        ulong entryBytes = Spec.Extreme ? (ulong)pointerBytes : (ulong)MemSectionSize;
        if (entries <= MaxStaticSectionTableBytes / entryBytes)
        {
            return null;
        }

        string bytes = entries > ulong.MaxValue / entryBytes ? "more than 2^64 bytes" : ByteSize.Format(entries * entryBytes);
        string what = Spec.Extreme
            ? $"NR_SECTION_ROOTS = {entries} root pointers of {entryBytes} bytes"
            : $"NR_MEM_SECTIONS = 2^{SectionsShift} = {entries} entries of {entryBytes} bytes";
        string fix = Spec.Extreme
            ? "raise SectionSizeBits or lower MaxPhysmemBits"
            : "set Extreme = true (SPARSEMEM_EXTREME allocates sections a root at a time, where memory is), or raise SectionSizeBits or lower MaxPhysmemBits";
        return Diag(DiagnosticCatalog.StaticSectionTableTooLarge, new[] { Inputs.MaxPhysmemBits, Inputs.SectionSizeBits, Inputs.Extreme }, what, bytes, ByteSize.Format(MaxStaticSectionTableBytes), fix);
    }

    /// <summary>
    /// The one range of SECTION_SIZE_BITS, as every message about the section size states it: a
    /// section holds whole subsections (SUBSECTION_SHIFT) and whole blocks of the buddy allocator's
    /// largest order, and is no larger than the physical address space.
    /// </summary>
    private string SectionSizeRange()
    {
        var s = Spec;
        int order = s.MaxPageOrder + s.PageShift;

        // PAGE_SHIFT + SECTION_MAP_LAST_BIT: the flag bits of section_mem_map (the enum below, in
        // CalculateSections: four, TAINT_ZONE_DEVICE with ZONE_DEVICE, IS_VMEMMAP_PREINIT with
        // SPARSEMEM_VMEMMAP_PREINIT) sit below the memmap pointer.
        int flags = s.PageShift + 4 + (s.ZoneDevice ? 1 : 0) + (s.VmemmapPreinit ? 1 : 0);
        int low = System.Math.Max(System.Math.Max(SubsectionShift, flags), order);
        string why = $"at least SUBSECTION_SHIFT = {SubsectionShift}, PAGE_SHIFT + SECTION_MAP_LAST_BIT = {flags} and MAX_PAGE_ORDER + PAGE_SHIFT = {s.MaxPageOrder} + {s.PageShift} = {order}; at most MAX_PHYSMEM_BITS = {s.MaxPhysmemBits}";
        return low <= s.MaxPhysmemBits
            ? $"SECTION_SIZE_BITS may run from {low} to {s.MaxPhysmemBits} here ({why})"
            : $"no SECTION_SIZE_BITS fits this model ({why})";
    }
}
