using System;
using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

// The arithmetic itself. Each value is defined once, in kernel order, with its formula; the typed
// properties below are set from the same expressions. Sources: include/linux/mmzone.h (sections,
// subsections, section_mem_map flags, offsets and masks), include/linux/page-flags-layout.h
// (widths), include/linux/pageblock-flags.h, kernel/bounds.c, include/linux/gfp.h.
public sealed partial class MemoryLayout
{
    /// <summary>The kernel's fixed subsection size, 2 MiB on every architecture.</summary>
    public const int SubsectionShift = 21;

    /// <summary><c>PAGE_SHIFT</c>.</summary>
    public int PageShift { get; private set; }

    /// <summary><c>PAGE_SIZE</c> in bytes.</summary>
    public ulong PageSize { get; private set; }

    /// <summary><c>BITS_PER_LONG</c>.</summary>
    public int BitsPerLong { get; private set; }

    /// <summary><c>sizeof(struct page)</c>.</summary>
    public int StructPageSize => Spec.StructPageSize;

    /// <summary><c>ARCH_PFN_OFFSET</c> (FLATMEM; 0 otherwise).</summary>
    public ulong ArchPfnOffset { get; private set; }

    /// <summary><c>SECTION_SIZE_BITS</c> (SPARSEMEM).</summary>
    public int SectionSizeBits { get; private set; }

    /// <summary><c>MAX_PHYSMEM_BITS</c> (SPARSEMEM).</summary>
    public int MaxPhysmemBits { get; private set; }

    /// <summary><c>PA_SECTION_SHIFT</c>.</summary>
    public int PaSectionShift { get; private set; }

    /// <summary><c>PFN_SECTION_SHIFT</c>.</summary>
    public int PfnSectionShift { get; private set; }

    /// <summary><c>SECTIONS_SHIFT</c> (0 without SPARSEMEM).</summary>
    public int SectionsShift { get; private set; }

    /// <summary><c>NR_MEM_SECTIONS</c>.</summary>
    public ulong NrMemSections { get; private set; }

    /// <summary><c>PAGES_PER_SECTION</c>.</summary>
    public ulong PagesPerSection { get; private set; }

    /// <summary><c>PAGE_SECTION_MASK</c>.</summary>
    public ulong PageSectionMask { get; private set; }

    /// <summary><c>PFN_SUBSECTION_SHIFT</c>.</summary>
    public int PfnSubsectionShift { get; private set; }

    /// <summary><c>PAGES_PER_SUBSECTION</c>.</summary>
    public ulong PagesPerSubsection { get; private set; }

    /// <summary><c>PAGE_SUBSECTION_MASK</c>.</summary>
    public ulong PageSubsectionMask { get; private set; }

    /// <summary><c>SUBSECTIONS_PER_SECTION</c>.</summary>
    public ulong SubsectionsPerSection { get; private set; }

    /// <summary>Bytes of <c>sizeof(struct mem_section)</c> in the kernel this layout describes.</summary>
    public int MemSectionSize { get; private set; }

    /// <summary><c>SECTIONS_PER_ROOT</c> (1 without EXTREME).</summary>
    public ulong SectionsPerRoot { get; private set; }

    /// <summary><c>NR_SECTION_ROOTS</c>.</summary>
    public ulong NrSectionRoots { get; private set; }

    /// <summary><c>SECTION_ROOT_MASK</c>.</summary>
    public ulong SectionRootMask { get; private set; }

    /// <summary><c>SECTION_MARKED_PRESENT</c>.</summary>
    public ulong SectionMarkedPresent { get; private set; }

    /// <summary><c>SECTION_HAS_MEM_MAP</c>.</summary>
    public ulong SectionHasMemMap { get; private set; }

    /// <summary><c>SECTION_IS_ONLINE</c>.</summary>
    public ulong SectionIsOnline { get; private set; }

    /// <summary><c>SECTION_IS_EARLY</c>.</summary>
    public ulong SectionIsEarly { get; private set; }

    /// <summary><c>SECTION_TAINT_ZONE_DEVICE</c> (0 without ZONE_DEVICE).</summary>
    public ulong SectionTaintZoneDevice { get; private set; }

    /// <summary><c>SECTION_MAP_LAST_BIT</c>: the number of section flag bits.</summary>
    public int SectionMapLastBit { get; private set; }

    /// <summary><c>SECTION_MAP_MASK</c>: the bits of <c>section_mem_map</c> that hold the encoded memmap pointer.</summary>
    public ulong SectionMapMask { get; private set; }

    /// <summary>
    /// <c>SECTION_MAP_MASK</c> at the host's 64-bit word: the runtime's section table holds host
    /// pointers, so it encodes and decodes with this mask. Equal to <see cref="SectionMapMask"/>
    /// for 64-bit layouts; a 32-bit layout's mask would cut a host pointer's upper half.
    /// </summary>
    public ulong HostSectionMapMask => ~((1UL << SectionMapLastBit) - 1);

    /// <summary><c>SECTION_NID_SHIFT</c>: where the early encoding keeps the node id.</summary>
    public int SectionNidShift { get; private set; }

    /// <summary><c>pageblock_order</c>.</summary>
    public int PageblockOrder { get; private set; }

    /// <summary><c>NR_PAGEBLOCK_BITS</c>.</summary>
    public int NrPageblockBits { get; private set; }

    /// <summary><c>SECTION_BLOCKFLAGS_BITS</c>: pageblock flag bits per section.</summary>
    public ulong SectionBlockflagsBits { get; private set; }

    /// <summary><c>usemap_size()</c> (mm/sparse.c): bytes of pageblock flags per section, rounded up to longs.</summary>
    public ulong UsemapSize { get; private set; }

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

    /// <summary><c>mem_section_usage_size()</c>: the kernel's per-section usage struct with its usemap (6.8+ layout, with the rcu head).</summary>
    public ulong MemSectionUsageSize { get; private set; }

    /// <summary><c>MAX_NR_ZONES</c>.</summary>
    public int MaxNrZones { get; private set; }

    /// <summary><c>NR_PAGEFLAGS</c>.</summary>
    public int NrPageflags { get; private set; }

    /// <summary><c>ZONES_SHIFT</c>.</summary>
    public int ZonesShift { get; private set; }

    /// <summary><c>ZONES_WIDTH</c>.</summary>
    public int ZonesWidth { get; private set; }

    /// <summary><c>SECTIONS_WIDTH</c>.</summary>
    public int SectionsWidth { get; private set; }

    /// <summary><c>NODES_SHIFT</c>.</summary>
    public int NodesShift { get; private set; }

    /// <summary><c>MAX_NUMNODES</c>.</summary>
    public int MaxNumnodes { get; private set; }

    /// <summary><c>NODES_WIDTH</c>.</summary>
    public int NodesWidth { get; private set; }

    /// <summary><c>NR_CPUS_BITS</c>.</summary>
    public int NrCpusBits { get; private set; }

    /// <summary><c>LAST_CPUPID_SHIFT</c>.</summary>
    public int LastCpupidShift { get; private set; }

    /// <summary><c>LAST_CPUPID_WIDTH</c>.</summary>
    public int LastCpupidWidth { get; private set; }

    /// <summary><c>KASAN_TAG_WIDTH</c>.</summary>
    public int KasanTagWidth { get; private set; }

    /// <summary><c>LRU_GEN_WIDTH</c>.</summary>
    public int LruGenWidth { get; private set; }

    /// <summary><c>LRU_REFS_WIDTH</c>.</summary>
    public int LruRefsWidth { get; private set; }

    /// <summary><c>SECTIONS_PGOFF</c>.</summary>
    public int SectionsPgoff { get; private set; }

    /// <summary><c>NODES_PGOFF</c>.</summary>
    public int NodesPgoff { get; private set; }

    /// <summary><c>ZONES_PGOFF</c>.</summary>
    public int ZonesPgoff { get; private set; }

    /// <summary><c>LAST_CPUPID_PGOFF</c>.</summary>
    public int LastCpupidPgoff { get; private set; }

    /// <summary><c>KASAN_TAG_PGOFF</c>.</summary>
    public int KasanTagPgoff { get; private set; }

    /// <summary><c>LRU_GEN_PGOFF</c>.</summary>
    public int LruGenPgoff { get; private set; }

    /// <summary><c>LRU_REFS_PGOFF</c>.</summary>
    public int LruRefsPgoff { get; private set; }

    /// <summary><c>SECTIONS_PGSHIFT</c>.</summary>
    public int SectionsPgshift { get; private set; }

    /// <summary><c>NODES_PGSHIFT</c>.</summary>
    public int NodesPgshift { get; private set; }

    /// <summary><c>ZONES_PGSHIFT</c>.</summary>
    public int ZonesPgshift { get; private set; }

    /// <summary><c>LAST_CPUPID_PGSHIFT</c>.</summary>
    public int LastCpupidPgshift { get; private set; }

    /// <summary><c>KASAN_TAG_PGSHIFT</c>.</summary>
    public int KasanTagPgshift { get; private set; }

    /// <summary><c>ZONEID_SHIFT</c>.</summary>
    public int ZoneidShift { get; private set; }

    /// <summary><c>ZONEID_PGOFF</c>.</summary>
    public int ZoneidPgoff { get; private set; }

    /// <summary><c>ZONEID_PGSHIFT</c>.</summary>
    public int ZoneidPgshift { get; private set; }

    /// <summary><c>SECTIONS_MASK</c>.</summary>
    public ulong SectionsMask { get; private set; }

    /// <summary><c>NODES_MASK</c>.</summary>
    public ulong NodesMask { get; private set; }

    /// <summary><c>ZONES_MASK</c>.</summary>
    public ulong ZonesMask { get; private set; }

    /// <summary><c>LAST_CPUPID_MASK</c> (built from the SHIFT, as the kernel does).</summary>
    public ulong LastCpupidMask { get; private set; }

    /// <summary><c>KASAN_TAG_MASK</c>.</summary>
    public ulong KasanTagMask { get; private set; }

    /// <summary><c>ZONEID_MASK</c>.</summary>
    public ulong ZoneidMask { get; private set; }

    /// <summary><c>LRU_GEN_MASK</c> (already shifted into place).</summary>
    public ulong LruGenMask { get; private set; }

    /// <summary><c>LRU_REFS_MASK</c> (already shifted into place).</summary>
    public ulong LruRefsMask { get; private set; }

    /// <summary><c>NODE_NOT_IN_PAGE_FLAGS</c>.</summary>
    public bool NodeNotInPageFlags { get; private set; }

    /// <summary><c>LAST_CPUPID_NOT_IN_PAGE_FLAGS</c>.</summary>
    public bool LastCpupidNotInPageFlags { get; private set; }

    /// <summary><c>NR_NON_PAGEFLAG_BITS</c> (counts LAST_CPUPID_SHIFT, as the kernel does).</summary>
    public int NrNonPageflagBits { get; private set; }

    /// <summary><c>NR_UNUSED_PAGEFLAG_BITS</c> (negative when last_cpupid was pushed out).</summary>
    public int NrUnusedPageflagBits { get; private set; }

    private static ulong LowBits(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;

    private static string S(long v) => Str(v);

    private ulong Word(ulong value) => BitsPerLong == 64 ? value : value & 0xFFFF_FFFFUL;

    private void Calculate(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        BitsPerLong = DefineInt("BITS_PER_LONG", "BitsPerLong", s.BitsPerLong, null, "Bits in an unsigned long, and so in page->flags.");
        PageShift = DefineInt("PAGE_SHIFT", "PageShift", s.PageShift, null, "log2 of the page size.");
        PageSize = DefineCount("PAGE_SIZE", "PageSize", 1UL << PageShift, $"1 << PAGE_SHIFT = 1 << {PageShift}", "Bytes in a page.");
        DefineInt("MAX_PAGE_ORDER", "MaxPageOrder", s.MaxPageOrder, null, "The largest order the buddy allocator hands out.");
        if (s.Model == Model.Flat)
        {
            ArchPfnOffset = DefineCount("ARCH_PFN_OFFSET", "ArchPfnOffset", s.ArchPfnOffset, null, "The pfn of mem_map[0].");
        }

        if (s.Model == Model.Sparse && !CalculateSections(problems))
        {
            return;
        }

        CalculatePageblocks(problems);
        CalculatePageFlags(problems);
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

        SectionSizeBits = DefineInt("SECTION_SIZE_BITS", "SectionSizeBits", s.SectionSizeBits, null, "log2 of the section size in bytes.");
        MaxPhysmemBits = DefineInt("MAX_PHYSMEM_BITS", "MaxPhysmemBits", s.MaxPhysmemBits, null, "log2 of the physical address space the model describes.");
        SectionsShift = DefineInt("SECTIONS_SHIFT", "SectionsShift", MaxPhysmemBits - SectionSizeBits,
            $"MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = {MaxPhysmemBits} - {SectionSizeBits}", "Bits of a section number.");
        PaSectionShift = DefineInt("PA_SECTION_SHIFT", "PaSectionShift", SectionSizeBits, $"SECTION_SIZE_BITS = {SectionSizeBits}", "Shift from a physical address to its section number.");
        PfnSectionShift = DefineInt("PFN_SECTION_SHIFT", "PfnSectionShift", SectionSizeBits - PageShift,
            $"SECTION_SIZE_BITS - PAGE_SHIFT = {SectionSizeBits} - {PageShift}", "Shift from a pfn to its section number.");
        NrMemSections = DefineCount("NR_MEM_SECTIONS", "NrMemSections", 1UL << SectionsShift, $"1 << SECTIONS_SHIFT = 1 << {SectionsShift}", "Sections in the physical address space.");
        PagesPerSection = DefineCount("PAGES_PER_SECTION", "PagesPerSection", 1UL << PfnSectionShift, $"1 << PFN_SECTION_SHIFT = 1 << {PfnSectionShift}", "Pages in one section.");
        PageSectionMask = DefineMask("PAGE_SECTION_MASK", "PageSectionMask", Word(~(PagesPerSection - 1)), $"~(PAGES_PER_SECTION - 1) = ~({PagesPerSection} - 1)", "Clears the pfn's offset within its section.");

        if (SubsectionShift > SectionSizeBits)
        {
            problems.Add(Diag(DiagnosticCatalog.SubsectionExceedsSection, new[] { Inputs.SectionSizeBits }, S(SectionSizeBits), SectionSizeRange()));
            return false;
        }

        DefineInt("SUBSECTION_SHIFT", "SubsectionShift", SubsectionShift, null, "log2 of the subsection size: 2 MiB on every architecture.");
        DefineCount("SUBSECTION_SIZE", "SubsectionSize", 1UL << SubsectionShift, $"1 << SUBSECTION_SHIFT = 1 << {SubsectionShift}", "Bytes in a subsection.");
        PfnSubsectionShift = DefineInt("PFN_SUBSECTION_SHIFT", "PfnSubsectionShift", SubsectionShift - PageShift,
            $"SUBSECTION_SHIFT - PAGE_SHIFT = {SubsectionShift} - {PageShift}", "Shift from a pfn to its subsection number.");
        PagesPerSubsection = DefineCount("PAGES_PER_SUBSECTION", "PagesPerSubsection", 1UL << PfnSubsectionShift, $"1 << PFN_SUBSECTION_SHIFT = 1 << {PfnSubsectionShift}", "Pages in one subsection.");
        PageSubsectionMask = DefineMask("PAGE_SUBSECTION_MASK", "PageSubsectionMask", Word(~(PagesPerSubsection - 1)), $"~(PAGES_PER_SUBSECTION - 1) = ~({PagesPerSubsection} - 1)", "Clears the pfn's offset within its subsection.");
        SubsectionsPerSection = DefineCount("SUBSECTIONS_PER_SECTION", "SubsectionsPerSection", 1UL << (SectionSizeBits - SubsectionShift),
            $"1 << (SECTION_SIZE_BITS - SUBSECTION_SHIFT) = 1 << ({SectionSizeBits} - {SubsectionShift})", "Subsections in one section: the bits of a section's subsection map.");
        SubsectionMapLongs = (int)((SubsectionsPerSection + (ulong)BitsPerLong - 1) / (ulong)BitsPerLong);

        // struct mem_section: section_mem_map and usage; CONFIG_PAGE_EXTENSION adds page_ext and a pad word.
        int pointerBytes = BitsPerLong / 8;
        MemSectionSize = pointerBytes * (Spec.PageExtension ? 4 : 2);
        if (Spec.Extreme)
        {
            SectionsPerRoot = DefineCount("SECTIONS_PER_ROOT", "SectionsPerRoot", PageSize / (ulong)MemSectionSize,
                $"PAGE_SIZE / sizeof(struct mem_section) = {PageSize} / {MemSectionSize}", "Sections in one root of the EXTREME table (one page of mem_section).");
        }
        else
        {
            SectionsPerRoot = DefineCount("SECTIONS_PER_ROOT", "SectionsPerRoot", 1, null, "Sections in one root: 1 without EXTREME (a flat static table).");
        }

        NrSectionRoots = DefineCount("NR_SECTION_ROOTS", "NrSectionRoots", (NrMemSections + SectionsPerRoot - 1) / SectionsPerRoot,
            $"DIV_ROUND_UP(NR_MEM_SECTIONS, SECTIONS_PER_ROOT) = DIV_ROUND_UP({NrMemSections}, {SectionsPerRoot})", "Roots of the section table.");
        if (StaticSectionTableProblem() is { } tooLarge)
        {
            problems.Add(tooLarge);
            return false;
        }

        SectionRootMask = DefineMask("SECTION_ROOT_MASK", "SectionRootMask", SectionsPerRoot - 1, $"SECTIONS_PER_ROOT - 1 = {SectionsPerRoot} - 1", "A section's index within its root.");

        // enum of section_mem_map flag bits (6.0+ layout): PRESENT, HAS_MEM_MAP, IS_ONLINE, IS_EARLY, [TAINT_ZONE_DEVICE].
        int bit = 0;
        SectionMarkedPresent = DefineMask("SECTION_MARKED_PRESENT", "SectionMarkedPresent", 1UL << bit, $"1 << {bit++}", "The section has memory (memory_present).");
        SectionHasMemMap = DefineMask("SECTION_HAS_MEM_MAP", "SectionHasMemMap", 1UL << bit, $"1 << {bit++}", "The section has a memmap: valid_section().");
        SectionIsOnline = DefineMask("SECTION_IS_ONLINE", "SectionIsOnline", 1UL << bit, $"1 << {bit++}", "The section's memory is online.");
        SectionIsEarly = DefineMask("SECTION_IS_EARLY", "SectionIsEarly", 1UL << bit, $"1 << {bit++}", "The section was populated at boot.");
        if (Spec.ZoneDevice)
        {
            SectionTaintZoneDevice = DefineMask("SECTION_TAINT_ZONE_DEVICE", "SectionTaintZoneDevice", 1UL << bit, $"1 << {bit++}", "Some of the section's memory is ZONE_DEVICE.");
        }

        SectionMapLastBit = DefineInt("SECTION_MAP_LAST_BIT", "SectionMapLastBit", bit, null, "The number of flag bits at the bottom of section_mem_map.");
        SectionMapMask = DefineMask("SECTION_MAP_MASK", "SectionMapMask", Word(~((1UL << SectionMapLastBit) - 1)),
            $"~((1 << SECTION_MAP_LAST_BIT) - 1) = ~((1 << {SectionMapLastBit}) - 1)", "The bits of section_mem_map that hold the encoded memmap pointer.");
        SectionNidShift = DefineInt("SECTION_NID_SHIFT", "SectionNidShift", SectionMapLastBit, $"SECTION_MAP_LAST_BIT = {SectionMapLastBit}", "Where the early encoding of section_mem_map keeps the node id.");
        if (SectionMapLastBit > PfnSectionShift)
        {
            problems.Add(Diag(DiagnosticCatalog.SectionMapBitsDoNotFit, new[] { Inputs.SectionSizeBits, Inputs.PageShift, Inputs.ZoneDevice }, S(SectionMapLastBit), S(PfnSectionShift)));
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

    private void CalculatePageblocks(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        if (s.PageblockOrder > s.MaxPageOrder)
        {
            problems.Add(Diag(DiagnosticCatalog.PageblockOrderTooLarge, new[] { Inputs.PageblockOrder, Inputs.MaxPageOrder }, S(s.PageblockOrder), S(s.MaxPageOrder)));
            return;
        }

        PageblockOrder = DefineInt("PAGEBLOCK_ORDER", "PageblockOrder", s.PageblockOrder, null, "pageblock_order: log2 of the pages in one pageblock.");
        // 3 migratetype bits + compaction skip [+ isolate], rounded up to a power of two (6.17).
        NrPageblockBits = DefineInt("NR_PAGEBLOCK_BITS", "NrPageblockBits", s.MemoryIsolation ? 8 : 4,
            s.MemoryIsolation ? "roundup_pow_of_two(3 + 1 + 1) = roundup_pow_of_two(5)" : "roundup_pow_of_two(3 + 1) = roundup_pow_of_two(4)", "Flag bits per pageblock.");
        if (s.Model == Model.Sparse)
        {
            SectionBlockflagsBits = DefineCount("SECTION_BLOCKFLAGS_BITS", "SectionBlockflagsBits", (1UL << (PfnSectionShift - PageblockOrder)) * (ulong)NrPageblockBits,
                $"(1 << (PFN_SECTION_SHIFT - pageblock_order)) * NR_PAGEBLOCK_BITS = (1 << ({PfnSectionShift} - {PageblockOrder})) * {NrPageblockBits}", "Pageblock flag bits per section.");
            ulong longBytes = (ulong)BitsPerLong / 8;
            UsemapSize = (SectionBlockflagsBits + (ulong)BitsPerLong - 1) / (ulong)BitsPerLong * longBytes;
            ulong rcuHead = 2 * longBytes;
            ulong subsectionMap = Spec.Vmemmap ? (ulong)SubsectionMapLongs * longBytes : 0;
            MemSectionUsageSize = rcuHead + subsectionMap + UsemapSize;
        }
    }

    private void CalculatePageFlags(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        int bpl = BitsPerLong;
        MaxNrZones = DefineInt("MAX_NR_ZONES", "MaxNrZones", s.MaxNrZones != 0 ? s.MaxNrZones : PopCount((int)s.Zones), s.MaxNrZones != 0 ? null : $"zones configured: {s.Zones}", "The number of zones.");
        NrPageflags = DefineInt("NR_PAGEFLAGS", "NrPageflags", s.NrPageflags, null, "Page-flag bits at the bottom of page->flags.");
        int zones = MaxNrZones;
        int zonesShift = zones < 2 ? 0 : zones <= 2 ? 1 : zones <= 4 ? 2 : zones <= 8 ? 3 : -1;
        if (zonesShift < 0)
        {
            problems.Add(Diag(DiagnosticCatalog.TooManyZones, new[] { Inputs.MaxNrZones, Inputs.Zones }, S(zones)));
            return;
        }

        ZonesShift = DefineInt("ZONES_SHIFT", "ZonesShift", zonesShift, $"bits for MAX_NR_ZONES = {zones}", "Bits of a zone number.");

        // include/linux/gfp.h: ZONE_DEVICE never enters the GFP zone table.
        int gfpZonesShift = s.ZoneDevice && zones - 1 <= 4 ? 2 : zonesShift;
        if (16 * gfpZonesShift > bpl)
        {
            problems.Add(Diag(DiagnosticCatalog.GfpZonesShiftTooLarge, new[] { Inputs.Zones, Inputs.MaxNrZones, Inputs.BitsPerLong }, S(gfpZonesShift), S(16 * gfpZonesShift), S(bpl), S(zones)));
            return;
        }

        if (!IsSparse)
        {
            SectionsShift = DefineInt("SECTIONS_SHIFT", "SectionsShift", 0, "0 without SPARSEMEM", "Bits of a section number.");
        }

        ZonesWidth = DefineInt("ZONES_WIDTH", "ZonesWidth", ZonesShift, $"ZONES_SHIFT = {ZonesShift}", "Bits of page->flags holding the zone.");
        SectionsWidth = DefineInt("SECTIONS_WIDTH", "SectionsWidth", SectionInPageFlags ? SectionsShift : 0,
            SectionInPageFlags ? $"SECTIONS_SHIFT = {SectionsShift} (classic SPARSEMEM)" : (IsSparse ? "0 with SPARSEMEM_VMEMMAP" : "0 without SPARSEMEM"), "Bits of page->flags holding the section number.");
        NodesShift = DefineInt("NODES_SHIFT", "NodesShift", s.NodesShift, null, "log2 of MAX_NUMNODES (CONFIG_NODES_SHIFT).");
        MaxNumnodes = DefineInt("MAX_NUMNODES", "MaxNumnodes", 1L << NodesShift, $"1 << NODES_SHIFT = 1 << {NodesShift}", "The most nodes the kernel supports.");
        LruGenWidth = DefineInt("LRU_GEN_WIDTH", "LruGenWidth", s.LruGen ? 3 : 0, s.LruGen ? "order_base_2(MAX_NR_GENS + 1) = order_base_2(4 + 1)" : "0 without CONFIG_LRU_GEN", "Bits of page->flags holding the LRU generation.");
        int lruRefs = DefineInt("__LRU_REFS_WIDTH", "LruRefsWidthWanted", s.LruGen ? 2 : 0, s.LruGen ? "MAX_NR_TIERS - 2 = 4 - 2" : "0 without CONFIG_LRU_GEN", "Reference bits the multi-generational LRU would like in page->flags.");

        int avail = bpl - NrPageflags;
        string availText = $"BITS_PER_LONG - NR_PAGEFLAGS = {bpl} - {NrPageflags}";
        int nodeTest = ZonesWidth + LruGenWidth + SectionsWidth + NodesShift;
        int nodesWidth = NodesShift;
        if (nodeTest > avail)
        {
            if (IsVmemmap)
            {
                problems.Add(Diag(DiagnosticCatalog.VmemmapNoSpaceForNodes, new[] { Inputs.NodesShift, Inputs.NrPageflags, Inputs.LruGen, Inputs.Zones },
                    S(ZonesWidth), S(LruGenWidth), S(SectionsWidth), S(NodesShift), S(nodeTest), S(bpl), S(NrPageflags), S(avail)));
                return;
            }

            if (!IsSparse)
            {
                problems.Add(Diag(DiagnosticCatalog.NodeNeedsSections, new[] { Inputs.NodesShift, Inputs.NrPageflags }, S(NodesShift), S(nodeTest), S(avail), Describe()));
                return;
            }

            nodesWidth = 0;
        }

        NodesWidth = DefineInt("NODES_WIDTH", "NodesWidth", nodesWidth,
            $"ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = {ZonesWidth} + {LruGenWidth} + {SectionsWidth} + {NodesShift} = {nodeTest} {(nodeTest <= avail ? "<=" : ">")} {availText} = {avail} ? NODES_SHIFT : 0",
            "Bits of page->flags holding the node.");
        NodeNotInPageFlags = DefineFlag("NODE_NOT_IN_PAGE_FLAGS", "NodeNotInPageFlags", NodesShift != 0 && NodesWidth == 0,
            $"NODES_SHIFT != 0 && NODES_WIDTH == 0 = {NodesShift} != 0 && {NodesWidth} == 0", "The node is kept in section_to_node_table rather than in page->flags.");
        if (NodeNotInPageFlags)
        {
            problems.Add(Diag(DiagnosticCatalog.NodeNotInPageFlags, new[] { Inputs.NodesShift }, S(NodesShift), S(nodeTest), S(avail)));
        }

        KasanTagWidth = DefineInt("KASAN_TAG_WIDTH", "KasanTagWidth", s.KasanTagWidth, null, "Bits of page->flags holding the KASAN tag.");
        NrCpusBits = DefineInt("NR_CPUS_BITS", "NrCpusBits", s.NrCpusBits, null, "Bits of a cpu number (kernel/bounds.c).");
        DefineInt("LAST__PID_SHIFT", "LastPidShift", 8, null, "Bits of the pid in last_cpupid.");
        DefineMask("LAST__PID_MASK", "LastPidMask", 0xFF, "(1 << LAST__PID_SHIFT) - 1 = (1 << 8) - 1", "The pid bits of last_cpupid.");
        DefineInt("LAST__CPU_SHIFT", "LastCpuShift", NrCpusBits, $"NR_CPUS_BITS = {NrCpusBits}", "Bits of the cpu in last_cpupid.");
        DefineMask("LAST__CPU_MASK", "LastCpuMask", LowBits(NrCpusBits), $"(1 << LAST__CPU_SHIFT) - 1 = (1 << {NrCpusBits}) - 1", "The cpu bits of last_cpupid.");
        LastCpupidShift = DefineInt("LAST_CPUPID_SHIFT", "LastCpupidShift", s.NumaBalancing ? 8 + NrCpusBits : 0,
            s.NumaBalancing ? $"LAST__PID_SHIFT + LAST__CPU_SHIFT = 8 + {NrCpusBits}" : "0 without CONFIG_NUMA_BALANCING", "Bits of last_cpupid.");
        int cpupidTest = ZonesWidth + LruGenWidth + SectionsWidth + NodesWidth + KasanTagWidth + LastCpupidShift;
        LastCpupidWidth = DefineInt("LAST_CPUPID_WIDTH", "LastCpupidWidth", cpupidTest <= avail ? LastCpupidShift : 0,
            $"ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_WIDTH + KASAN_TAG_WIDTH + LAST_CPUPID_SHIFT = {cpupidTest} {(cpupidTest <= avail ? "<=" : ">")} {avail} ? LAST_CPUPID_SHIFT : 0",
            "Bits of page->flags holding last_cpupid.");
        LastCpupidNotInPageFlags = DefineFlag("LAST_CPUPID_NOT_IN_PAGE_FLAGS", "LastCpupidNotInPageFlags", LastCpupidShift != 0 && LastCpupidWidth == 0,
            $"LAST_CPUPID_SHIFT != 0 && LAST_CPUPID_WIDTH == 0 = {LastCpupidShift} != 0 && {LastCpupidWidth} == 0", "last_cpupid is kept in the page's _last_cpupid field rather than in page->flags.");
        if (LastCpupidNotInPageFlags)
        {
            problems.Add(Diag(DiagnosticCatalog.LastCpupidNotInPageFlags, new[] { Inputs.NrCpusBits, Inputs.NumaBalancing }, S(LastCpupidShift), S(cpupidTest), S(avail)));
        }

        int total = ZonesWidth + LruGenWidth + SectionsWidth + NodesWidth + KasanTagWidth + LastCpupidWidth;
        if (total > avail)
        {
            problems.Add(Diag(DiagnosticCatalog.NotEnoughBits,
                new[] { Inputs.NrPageflags, Inputs.KasanTagWidth, Inputs.LruGen, Inputs.MaxPhysmemBits, Inputs.SectionSizeBits, Inputs.Zones, Inputs.NodesShift },
                S(total), S(bpl), S(NrPageflags), S(avail)));
            return;
        }

        LruRefsWidth = DefineInt("LRU_REFS_WIDTH", "LruRefsWidth", Math.Min(lruRefs, avail - total),
            $"min(__LRU_REFS_WIDTH, BITS_PER_LONG - NR_PAGEFLAGS - ZONES_WIDTH - LRU_GEN_WIDTH - SECTIONS_WIDTH - NODES_WIDTH - KASAN_TAG_WIDTH - LAST_CPUPID_WIDTH) = min({lruRefs}, {avail} - {total})",
            "Bits of page->flags holding the LRU reference count.");

        SectionsPgoff = DefineInt("SECTIONS_PGOFF", "SectionsPgoff", bpl - SectionsWidth, $"BITS_PER_LONG - SECTIONS_WIDTH = {bpl} - {SectionsWidth}", "Bit offset of the section field.");
        NodesPgoff = DefineInt("NODES_PGOFF", "NodesPgoff", SectionsPgoff - NodesWidth, $"SECTIONS_PGOFF - NODES_WIDTH = {SectionsPgoff} - {NodesWidth}", "Bit offset of the node field.");
        ZonesPgoff = DefineInt("ZONES_PGOFF", "ZonesPgoff", NodesPgoff - ZonesWidth, $"NODES_PGOFF - ZONES_WIDTH = {NodesPgoff} - {ZonesWidth}", "Bit offset of the zone field.");
        LastCpupidPgoff = DefineInt("LAST_CPUPID_PGOFF", "LastCpupidPgoff", ZonesPgoff - LastCpupidWidth, $"ZONES_PGOFF - LAST_CPUPID_WIDTH = {ZonesPgoff} - {LastCpupidWidth}", "Bit offset of the last_cpupid field.");
        KasanTagPgoff = DefineInt("KASAN_TAG_PGOFF", "KasanTagPgoff", LastCpupidPgoff - KasanTagWidth, $"LAST_CPUPID_PGOFF - KASAN_TAG_WIDTH = {LastCpupidPgoff} - {KasanTagWidth}", "Bit offset of the KASAN tag field.");
        LruGenPgoff = DefineInt("LRU_GEN_PGOFF", "LruGenPgoff", KasanTagPgoff - LruGenWidth, $"KASAN_TAG_PGOFF - LRU_GEN_WIDTH = {KasanTagPgoff} - {LruGenWidth}", "Bit offset of the LRU generation field.");
        LruRefsPgoff = DefineInt("LRU_REFS_PGOFF", "LruRefsPgoff", LruGenPgoff - LruRefsWidth, $"LRU_GEN_PGOFF - LRU_REFS_WIDTH = {LruGenPgoff} - {LruRefsWidth}", "Bit offset of the LRU reference field.");

        SectionsPgshift = DefinePgshift("SECTIONS", "Sections", SectionsWidth, SectionsPgoff);
        NodesPgshift = DefinePgshift("NODES", "Nodes", NodesWidth, NodesPgoff);
        ZonesPgshift = DefinePgshift("ZONES", "Zones", ZonesWidth, ZonesPgoff);
        LastCpupidPgshift = DefinePgshift("LAST_CPUPID", "LastCpupid", LastCpupidWidth, LastCpupidPgoff);
        KasanTagPgshift = DefinePgshift("KASAN_TAG", "KasanTag", KasanTagWidth, KasanTagPgoff);

        if (NodeNotInPageFlags)
        {
            ZoneidShift = DefineInt("ZONEID_SHIFT", "ZoneidShift", SectionsShift + ZonesShift, $"SECTIONS_SHIFT + ZONES_SHIFT = {SectionsShift} + {ZonesShift}", "Bits of the zone id (section and zone, as the node is not in the flags).");
            ZoneidPgoff = DefineInt("ZONEID_PGOFF", "ZoneidPgoff", Math.Min(SectionsPgoff, ZonesPgoff), $"min(SECTIONS_PGOFF, ZONES_PGOFF) = min({SectionsPgoff}, {ZonesPgoff})", "Bit offset of the zone id.");
        }
        else
        {
            ZoneidShift = DefineInt("ZONEID_SHIFT", "ZoneidShift", NodesShift + ZonesShift, $"NODES_SHIFT + ZONES_SHIFT = {NodesShift} + {ZonesShift}", "Bits of the zone id (node and zone).");
            ZoneidPgoff = DefineInt("ZONEID_PGOFF", "ZoneidPgoff", Math.Min(NodesPgoff, ZonesPgoff), $"min(NODES_PGOFF, ZONES_PGOFF) = min({NodesPgoff}, {ZonesPgoff})", "Bit offset of the zone id.");
        }

        ZoneidPgshift = DefineInt("ZONEID_PGSHIFT", "ZoneidPgshift", ZoneidShift != 0 ? ZoneidPgoff : 0, $"ZONEID_SHIFT != 0 ? ZONEID_PGOFF : 0 = {ZoneidShift} != 0 ? {ZoneidPgoff} : 0", "Shift that brings the zone id down to bit 0.");

        ZonesMask = DefineMask("ZONES_MASK", "ZonesMask", LowBits(ZonesWidth), $"(1 << ZONES_WIDTH) - 1 = (1 << {ZonesWidth}) - 1", "The zone field, once shifted down.");
        NodesMask = DefineMask("NODES_MASK", "NodesMask", LowBits(NodesWidth), $"(1 << NODES_WIDTH) - 1 = (1 << {NodesWidth}) - 1", "The node field, once shifted down.");
        SectionsMask = DefineMask("SECTIONS_MASK", "SectionsMask", LowBits(SectionsWidth), $"(1 << SECTIONS_WIDTH) - 1 = (1 << {SectionsWidth}) - 1", "The section field, once shifted down.");
        LastCpupidMask = DefineMask("LAST_CPUPID_MASK", "LastCpupidMask", LowBits(LastCpupidShift), $"(1 << LAST_CPUPID_SHIFT) - 1 = (1 << {LastCpupidShift}) - 1", "The last_cpupid field, once shifted down (built from the SHIFT, as the kernel does).");
        KasanTagMask = DefineMask("KASAN_TAG_MASK", "KasanTagMask", LowBits(KasanTagWidth), $"(1 << KASAN_TAG_WIDTH) - 1 = (1 << {KasanTagWidth}) - 1", "The KASAN tag field, once shifted down.");
        ZoneidMask = DefineMask("ZONEID_MASK", "ZoneidMask", LowBits(ZoneidShift), $"(1 << ZONEID_SHIFT) - 1 = (1 << {ZoneidShift}) - 1", "The zone id, once shifted down.");
        LruGenMask = DefineMask("LRU_GEN_MASK", "LruGenMask", Word(LruGenWidth == 0 ? 0 : LowBits(LruGenWidth) << LruGenPgoff), $"((1 << LRU_GEN_WIDTH) - 1) << LRU_GEN_PGOFF = ((1 << {LruGenWidth}) - 1) << {LruGenPgoff}", "The LRU generation field, in place.");
        LruRefsMask = DefineMask("LRU_REFS_MASK", "LruRefsMask", Word(LruRefsWidth == 0 ? 0 : LowBits(LruRefsWidth) << LruRefsPgoff), $"((1 << LRU_REFS_WIDTH) - 1) << LRU_REFS_PGOFF = ((1 << {LruRefsWidth}) - 1) << {LruRefsPgoff}", "The LRU reference field, in place.");

        NrNonPageflagBits = DefineInt("NR_NON_PAGEFLAG_BITS", "NrNonPageflagBits", SectionsWidth + NodesWidth + ZonesWidth + LastCpupidShift + KasanTagWidth + LruGenWidth + LruRefsWidth,
            $"SECTIONS_WIDTH + NODES_WIDTH + ZONES_WIDTH + LAST_CPUPID_SHIFT + KASAN_TAG_WIDTH + LRU_GEN_WIDTH + LRU_REFS_WIDTH = {SectionsWidth} + {NodesWidth} + {ZonesWidth} + {LastCpupidShift} + {KasanTagWidth} + {LruGenWidth} + {LruRefsWidth}",
            "Bits of page->flags the kernel counts as fields (last_cpupid by its SHIFT, as the kernel does).");
        NrUnusedPageflagBits = DefineInt("NR_UNUSED_PAGEFLAG_BITS", "NrUnusedPageflagBits", bpl - (NrNonPageflagBits + NrPageflags),
            $"BITS_PER_LONG - (NR_NON_PAGEFLAG_BITS + NR_PAGEFLAGS) = {bpl} - ({NrNonPageflagBits} + {NrPageflags})", "Bits of page->flags nobody uses (negative when last_cpupid was moved out).");
    }

    private int DefinePgshift(string kernelPrefix, string namePrefix, int width, int pgoff) =>
        DefineInt(kernelPrefix + "_PGSHIFT", namePrefix + "Pgshift", width != 0 ? pgoff : 0,
            $"{kernelPrefix}_WIDTH != 0 ? {kernelPrefix}_PGOFF : 0 = {width} != 0 ? {pgoff} : 0", "Shift that brings the field down to bit 0.");

    private static int PopCount(int value)
    {
        int count = 0;
        for (uint v = (uint)value; v != 0; v &= v - 1)
        {
            count++;
        }

        return count;
    }

    /// <summary>The most memory PhysMem lets a model's static section table take (the flat array of sections, or EXTREME's array of root pointers): 1 GiB.</summary>
    public const ulong MaxStaticSectionTableBytes = 1UL << 30;

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
        // CalculateSections: four, and TAINT_ZONE_DEVICE with ZONE_DEVICE) sit below the memmap pointer.
        int flags = s.PageShift + 4 + (s.ZoneDevice ? 1 : 0);
        int low = System.Math.Max(System.Math.Max(SubsectionShift, flags), order);
        string why = $"at least SUBSECTION_SHIFT = {SubsectionShift}, PAGE_SHIFT + SECTION_MAP_LAST_BIT = {flags} and MAX_PAGE_ORDER + PAGE_SHIFT = {s.MaxPageOrder} + {s.PageShift} = {order}; at most MAX_PHYSMEM_BITS = {s.MaxPhysmemBits}";
        return low <= s.MaxPhysmemBits
            ? $"SECTION_SIZE_BITS may run from {low} to {s.MaxPhysmemBits} here ({why})"
            : $"no SECTION_SIZE_BITS fits this model ({why})";
    }
}
