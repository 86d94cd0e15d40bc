namespace PhysMem;

/// <summary>
/// Every diagnostic PhysMem reports, in one catalog. IDs are never reused. <c>PMEM00xx</c> are
/// misuses of the attribute, <c>PMEM01xx</c> are the kernel's own build-time rules
/// (<c>#error</c>, <c>BUILD_BUG_ON</c> and Kconfig <c>depends on</c>).
/// </summary>
internal static class DiagnosticCatalog
{
    private const string Usage = "Usage";
    private const string LayoutCategory = "Layout";
    private const string Kconfig = "Kconfig";

    /// <summary>PMEM0001: the annotated type (or a type containing it) is not partial.</summary>
    public static readonly DiagnosticDescriptorInfo NotPartial = new(
        "PMEM0001", "Memory model type must be partial",
        "The type '{0}' carries [MemoryModel] but '{1}' is not declared partial; add the 'partial' modifier so the generated half can be added",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0002: the annotated type is generic.</summary>
    public static readonly DiagnosticDescriptorInfo GenericType = new(
        "PMEM0002", "Memory model type must not be generic",
        "The type '{0}' {1}; a memory model's constants and storage belong to one non-generic type",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0003: an input is outside the values the kernel allows.</summary>
    public static readonly DiagnosticDescriptorInfo OutOfRange = new(
        "PMEM0003", "Memory model value out of range",
        "{0} = {1} is out of range: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0004: an option is used without an option it depends on (a Kconfig 'depends on').</summary>
    public static readonly DiagnosticDescriptorInfo DependencyNotMet = new(
        "PMEM0004", "Memory model option needs another option",
        "{0} needs {1}, but {2} ({3})",
        LayoutSeverity.Error, Kconfig);

    /// <summary>PMEM0005: the project does not allow unsafe code, which the generated pointer forms need.</summary>
    public static readonly DiagnosticDescriptorInfo UnsafeRequired = new(
        "PMEM0005", "Memory models need unsafe code",
        "The memory model '{0}' works on raw pages and needs unsafe code: set <AllowUnsafeBlocks>true</AllowUnsafeBlocks> in the project file",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0006: a model this version does not build yet.</summary>
    public static readonly DiagnosticDescriptorInfo NotSupported = new(
        "PMEM0006", "Memory model not supported yet",
        "{0} is not supported by this version of PhysMem: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0007: two inputs say different things.</summary>
    public static readonly DiagnosticDescriptorInfo Conflict = new(
        "PMEM0007", "Memory model options contradict each other",
        "{0} and {1} contradict each other: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0008: an attribute argument is not a usable constant.</summary>
    public static readonly DiagnosticDescriptorInfo InvalidArgument = new(
        "PMEM0008", "Memory model argument is not valid",
        "The value given for {0} is not valid: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0009: the annotated type is a record.</summary>
    public static readonly DiagnosticDescriptorInfo RecordType = new(
        "PMEM0009", "Memory model type must not be a record",
        "The type '{0}' is a record; a memory model owns unmanaged storage and raw page pointers, which records cannot hold or compare by value: declare it as a partial class",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0010: a [MemoryBank] that the model cannot hold.</summary>
    public static readonly DiagnosticDescriptorInfo InvalidBank = new(
        "PMEM0010", "Memory bank is not valid",
        "[MemoryBank(0x{0}, 0x{1}, Node = {2})] {3}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0011: the kernel configuration named by Kconfig (or PhysMem_Kconfig) is not an AdditionalFile.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigNotFound = new(
        "PMEM0011", "Kernel configuration not found",
        "The kernel configuration '{0}' named by {1} is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"{0}\" /> to the project file",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0012: the kernel configuration could not be read.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigUnreadable = new(
        "PMEM0012", "Kernel configuration cannot be read",
        "The kernel configuration '{0}' cannot be read: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0013: the file named as a kernel configuration is not one.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigNotKernelConfig = new(
        "PMEM0013", "Not a kernel configuration",
        "{0}:{1}: not a kernel configuration: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0014: the kernel configuration is for an architecture PhysMem cannot lay out.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigUnknownArch = new(
        "PMEM0014", "Kernel configuration for an unknown architecture",
        "{0}:{1}: the architecture '{2}' is not one PhysMem knows: {3}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0015: the kernel version has no rules of its own; the nearest known version's are used.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigVersionApproximated = new(
        "PMEM0015", "Kernel version approximated",
        "{0}:{1}: PhysMem knows the page flags of kernels {2}, not of {3}; it uses those of {4}",
        LayoutSeverity.Warning, Usage);

    /// <summary>PMEM0016: an MSBuild property PhysMem_* has a value that is not valid.</summary>
    public static readonly DiagnosticDescriptorInfo BuildPropertyInvalid = new(
        "PMEM0016", "MSBuild property is not valid",
        "The MSBuild property {0} = '{1}' is not valid: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0017: PageType does not name an unmanaged struct.</summary>
    public static readonly DiagnosticDescriptorInfo PageTypeNotUnmanaged = new(
        "PMEM0017", "Page type is not an unmanaged struct",
        "PageType = typeof({0}) cannot be a frame descriptor: {1}; a page type is an unmanaged struct (no references, no open type parameters) laid out in memmap {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0018: the page type lacks a field the layout needs (Flags, or LastCpupid), has it in an unusable form, or is less accessible than the model.</summary>
    public static readonly DiagnosticDescriptorInfo PageTypeField = new(
        "PMEM0018", "Page type does not fit the model",
        "Page type {0}: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0019: a line of the memory map named by MemoryMapFile is malformed.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapMalformed = new(
        "PMEM0019", "Memory map line is malformed",
        "{0}:{1}: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0020: the memory map named by MemoryMapFile is not an AdditionalFile.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapNotFound = new(
        "PMEM0020", "Memory map file not found",
        "The memory map '{0}' named by MemoryMapFile is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"{0}\" /> to the project file",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0021: a model names a memory map file and also carries [MemoryBank]s.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapAndBanks = new(
        "PMEM0021", "Memory map file and memory banks together",
        "The type '{0}' takes its memory from the memory map '{1}' and from {2} [MemoryBank] attribute(s); give the banks in one place: remove the attributes or MemoryMapFile",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0022: ranges of the memory map (System RAM lines, or the parts of its NUMA line) overlap.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapOverlap = new(
        "PMEM0022", "Memory map ranges overlap",
        "{0}:{1}: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0023: a range of the memory map reaches beyond MAX_PHYSMEM_BITS.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapBeyondMaxPhysmem = new(
        "PMEM0023", "Memory map range beyond MAX_PHYSMEM_BITS",
        "{0}:{1}: the memory range {2} {3}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0024: the memory map puts memory on a node beyond MAX_NUMNODES.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapNodeTooLarge = new(
        "PMEM0024", "Memory map node beyond MAX_NUMNODES",
        "{0}:{1}: the memory range {2} is on node {3}, but MAX_NUMNODES = 1 << NodesShift = 1 << {4} = {5}: nodes run from 0 to {6}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0025: the memory map could not be read.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapUnreadable = new(
        "PMEM0025", "Memory map file cannot be read",
        "The memory map '{0}' cannot be read: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0026: memory of the memory map lies in no part of its NUMA line.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapNoNode = new(
        "PMEM0026", "Memory map memory on no node",
        "{0}:{1}: {2} Extend the '# numa:' line so that every System RAM range lies in a node's part.",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0027: the memory map shows every address as zero (read from /proc/iomem without root).</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapHiddenAddresses = new(
        "PMEM0027", "Memory map addresses are hidden",
        "{0}:{1}: {2}; copy the file as root ('sudo cat /proc/iomem')",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0028: DISCONTIGMEM and a memory map whose node spans interleave.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapNodesInterleave = new(
        "PMEM0028", "Memory map node spans interleave",
        "{0}:{1}: the memory range {2} of node {3} lies inside the span of node {4} ({5}); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0029: a type carries [MemoryModel] more than once (on one declaration or on several partial declarations).</summary>
    public static readonly DiagnosticDescriptorInfo DuplicateModel = new(
        "PMEM0029", "Memory model declared twice",
        "The type '{0}' already carries [MemoryModel] at {1}; a type is one memory model: remove this attribute",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0030: the generator failed unexpectedly on one model; the others are unaffected.</summary>
    public static readonly DiagnosticDescriptorInfo GeneratorFailed = new(
        "PMEM0030", "Memory model could not be generated",
        "PhysMem failed while {0} the memory model '{1}': {2}: {3}. This is a bug in PhysMem; the other models are generated as usual",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0031: the annotated type is of a kind that cannot hold a model (a struct, a static class, a file-local type).</summary>
    public static readonly DiagnosticDescriptorInfo TypeKind = new(
        "PMEM0031", "Memory model type must be a class",
        "The type '{0}' {1}: declare the model as a partial, non-static class",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0032: a member the user declared (or inherits) has the name or signature of a member the generator writes.</summary>
    public static readonly DiagnosticDescriptorInfo MemberConflict = new(
        "PMEM0032", "Member collides with a generated member",
        "{0} of '{1}' collides with the generated member '{2}': rename or remove it",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0037: a constructor the user wrote does not chain to the generated one, so the model's storage would stay null.</summary>
    public static readonly DiagnosticDescriptorInfo ConstructorWithoutStorage = new(
        "PMEM0037", "Constructor does not build the storage",
        "The constructor '{0}' of '{1}' does not call this(map) (or another constructor that does), so the model's storage would never be built: chain it with ': this(map)'",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0038: the VMCOREINFO note named by VmcoreInfo (or PhysMem_VmcoreInfo) is not an AdditionalFile.</summary>
    public static readonly DiagnosticDescriptorInfo VmcoreInfoNotFound = new(
        "PMEM0038", "VMCOREINFO note not found",
        "The VMCOREINFO note '{0}' named by {1} is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"{0}\" /> to the project file",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0039: the VMCOREINFO note could not be read.</summary>
    public static readonly DiagnosticDescriptorInfo VmcoreInfoUnreadable = new(
        "PMEM0039", "VMCOREINFO note cannot be read",
        "The VMCOREINFO note '{0}' cannot be read: {1}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0040: a line of the VMCOREINFO note is not KEY=value, or a value the model needs is not written as the kernel writes it.</summary>
    public static readonly DiagnosticDescriptorInfo VmcoreInfoMalformed = new(
        "PMEM0040", "VMCOREINFO line is malformed",
        "{0}:{1}: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0041: the VMCOREINFO note lacks a key the model is read from.</summary>
    public static readonly DiagnosticDescriptorInfo VmcoreInfoKeyMissing = new(
        "PMEM0041", "VMCOREINFO note lacks a key the model needs",
        "{0}: {1} is missing; it is needed for {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0042: keys of the VMCOREINFO note describe no one section table.</summary>
    public static readonly DiagnosticDescriptorInfo VmcoreInfoKeysDisagree = new(
        "PMEM0042", "VMCOREINFO keys disagree",
        "{0}:{1}: {2}",
        LayoutSeverity.Error, Usage);

    /// <summary>PMEM0035: an option that means nothing for the chosen model.</summary>
    public static readonly DiagnosticDescriptorInfo OptionIgnored = new(
        "PMEM0035", "Memory model option has no effect",
        "{0} is ignored: {1}",
        LayoutSeverity.Warning, Usage);

    /// <summary>PMEM0036: SPARSEMEM's section table (the static array, or EXTREME's array of roots) would be too large to reserve.</summary>
    public static readonly DiagnosticDescriptorInfo StaticSectionTableTooLarge = new(
        "PMEM0036", "Static section table too large",
        "The section table needs {0} ({1}), more than the {2} PhysMem allows it: {3}",
        LayoutSeverity.Error, LayoutCategory);
    /// <summary>PMEM0033: a value of a kernel configuration is not in the syntax of its Kconfig type, or outside the symbol's range.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigValueInvalid = new(
        "PMEM0033", "Kernel configuration value is not valid",
        "{0}:{1}:{2}: the value '{3}' of CONFIG_{4} is not valid: {5}",
        LayoutSeverity.Error, Kconfig);

    /// <summary>PMEM0115: the memory map lists no System RAM.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapEmpty = new(
        "PMEM0115", "Memory map has no memory",
        "The memory map '{0}' lists no System RAM: the model gets no banks, so there is no parameterless constructor and its lookups use the storage's table",
        LayoutSeverity.Warning, Usage);

    /// <summary>PMEM0116: a range of the memory map holds no whole page and is left out.</summary>
    public static readonly DiagnosticDescriptorInfo MemoryMapNoWholePage = new(
        "PMEM0116", "Memory map range holds no whole page",
        "{0}:{1}: the memory range {2} holds no whole page of {3} bytes and is left out, as the kernel leaves out partial pages",
        LayoutSeverity.Warning, Usage);

    /// <summary>PMEM0101: SECTION_SIZE_BITS is not between PAGE_SHIFT and MAX_PHYSMEM_BITS.</summary>
    public static readonly DiagnosticDescriptorInfo SectionSizeOutOfRange = new(
        "PMEM0101", "Section size does not fit the page size and the physical address width",
        "SECTION_SIZE_BITS = {0} is out of range: {1}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0102: MAX_PHYSMEM_BITS cannot be described with the word size.</summary>
    public static readonly DiagnosticDescriptorInfo PhysmemTooWide = new(
        "PMEM0102", "Physical address width too large",
        "MAX_PHYSMEM_BITS = {0} is too large: {1}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0103: include/linux/mmzone.h "Subsection size exceeds section size".</summary>
    public static readonly DiagnosticDescriptorInfo SubsectionExceedsSection = new(
        "PMEM0103", "Subsection size exceeds section size",
        "Subsection size exceeds section size: SUBSECTION_SHIFT = 21 > SECTION_SIZE_BITS = {0}; {1}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0104: include/linux/mmzone.h "Allocator MAX_PAGE_ORDER exceeds SECTION_SIZE".</summary>
    public static readonly DiagnosticDescriptorInfo OrderExceedsSection = new(
        "PMEM0104", "Allocator order exceeds section size",
        "Allocator MAX_PAGE_ORDER exceeds SECTION_SIZE: MAX_PAGE_ORDER + PAGE_SHIFT = {0} + {1} = {2} > SECTION_SIZE_BITS = {3}; {4}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0105: mm/sparse.c BUILD_BUG_ON(SECTION_MAP_LAST_BIT > PFN_SECTION_SHIFT).</summary>
    public static readonly DiagnosticDescriptorInfo SectionMapBitsDoNotFit = new(
        "PMEM0105", "Section map flag bits do not fit below the memmap pointer",
        "SECTION_MAP_LAST_BIT = {0} > PFN_SECTION_SHIFT = {1}: the flag bits of section_mem_map would overlap the encoded memmap pointer",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0106: include/linux/page-flags-layout.h "too many zones".</summary>
    public static readonly DiagnosticDescriptorInfo TooManyZones = new(
        "PMEM0106", "Too many zones",
        "MAX_NR_ZONES = {0} is too many zones: ZONES_SHIFT can describe at most 8",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0107: include/linux/page-flags-layout.h "Vmemmap: No space for nodes field in page flags".</summary>
    public static readonly DiagnosticDescriptorInfo VmemmapNoSpaceForNodes = new(
        "PMEM0107", "Vmemmap: no space for nodes field in page flags",
        "Vmemmap: no space for nodes field in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT = {0} + {1} + {2} + {3} = {4} > BITS_PER_LONG - NR_PAGEFLAGS = {5} - {6} = {7}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0108: include/linux/page-flags-layout.h "Not enough bits in page flags".</summary>
    public static readonly DiagnosticDescriptorInfo NotEnoughBits = new(
        "PMEM0108", "Not enough bits in page flags",
        "Not enough bits in page flags: ZONES_WIDTH + LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_WIDTH + KASAN_TAG_WIDTH + LAST_CPUPID_WIDTH = {0} > BITS_PER_LONG - NR_PAGEFLAGS = {1} - {2} = {3}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0109: include/linux/gfp.h "GFP_ZONES_SHIFT too large to create GFP_ZONE_TABLE integer".</summary>
    public static readonly DiagnosticDescriptorInfo GfpZonesShiftTooLarge = new(
        "PMEM0109", "GFP_ZONES_SHIFT too large",
        "GFP_ZONES_SHIFT too large to create GFP_ZONE_TABLE integer: 16 * GFP_ZONES_SHIFT = 16 * {0} = {1} > BITS_PER_LONG = {2} (MAX_NR_ZONES = {3})",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0110: include/linux/pageblock-flags.h, a pageblock larger than the largest allocation.</summary>
    public static readonly DiagnosticDescriptorInfo PageblockOrderTooLarge = new(
        "PMEM0110", "Pageblock order exceeds the allocator order",
        "pageblock_order = {0} > MAX_PAGE_ORDER = {1}: a pageblock cannot be larger than the largest buddy allocation",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0111: the node number does not fit in page->flags and moves to section_to_node_table.</summary>
    public static readonly DiagnosticDescriptorInfo NodeNotInPageFlags = new(
        "PMEM0111", "Node number moved out of page flags",
        "NODES_SHIFT = {0} does not fit in page->flags beside the other fields ({1} > {2} bits available), so NODE_NOT_IN_PAGE_FLAGS: a page's node is read from section_to_node_table, indexed by its section",
        LayoutSeverity.Info, LayoutCategory);

    /// <summary>PMEM0112: last_cpupid does not fit in page->flags and moves to the page's own field.</summary>
    public static readonly DiagnosticDescriptorInfo LastCpupidNotInPageFlags = new(
        "PMEM0112", "last_cpupid moved out of page flags",
        "LAST_CPUPID_SHIFT = {0} does not fit in page->flags beside the other fields ({1} > {2} bits available), so LAST_CPUPID_NOT_IN_PAGE_FLAGS: last_cpupid lives in the page's _last_cpupid field",
        LayoutSeverity.Info, LayoutCategory);

    /// <summary>PMEM0113: the node does not fit in page->flags, and only SPARSEMEM has a section_to_node_table to hold it.</summary>
    public static readonly DiagnosticDescriptorInfo NodeNeedsSections = new(
        "PMEM0113", "Node number does not fit and the model has no sections",
        "NODES_SHIFT = {0} does not fit in page->flags ({1} > {2} bits available) and {3} has no section_to_node_table to hold it (page_to_nid is only provided by mm/sparse.c)",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0114: a kernel configuration breaks one of Kconfig's rules between memory-model options.</summary>
    public static readonly DiagnosticDescriptorInfo KconfigRuleBroken = new(
        "PMEM0114", "Kernel configuration breaks a Kconfig rule",
        "{0}:{1}:{2}: {3} breaks a Kconfig rule: {4}",
        LayoutSeverity.Error, Kconfig);

    /// <summary>PMEM0117: include/linux/mmzone.h (6.16+), a pageblock limit above the largest allocation.</summary>
    public static readonly DiagnosticDescriptorInfo PageBlockMaxOrderTooLarge = new(
        "PMEM0117", "Pageblock order limit exceeds the allocator order",
        "MAX_PAGE_ORDER must be >= PAGE_BLOCK_MAX_ORDER: PAGE_BLOCK_MAX_ORDER = {0} > MAX_PAGE_ORDER = {1}",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>PMEM0118: include/linux/pageblock-flags.h (6.16+), a pageblock_order above its configured limit.</summary>
    public static readonly DiagnosticDescriptorInfo PageblockOrderAboveLimit = new(
        "PMEM0118", "Pageblock order exceeds its configured limit",
        "pageblock_order = {0} > PAGE_BLOCK_MAX_ORDER = {1}: the kernel takes pageblock_order as the smaller of the huge page order and PAGE_BLOCK_MAX_ORDER",
        LayoutSeverity.Error, LayoutCategory);

    /// <summary>Every entry, in ID order.</summary>
    public static readonly DiagnosticDescriptorInfo[] All =
    {
        NotPartial, GenericType, OutOfRange, DependencyNotMet, UnsafeRequired, NotSupported, Conflict, InvalidArgument, RecordType, InvalidBank,
        KconfigNotFound, KconfigUnreadable, KconfigNotKernelConfig, KconfigUnknownArch, KconfigVersionApproximated, BuildPropertyInvalid,
        PageTypeNotUnmanaged, PageTypeField,
        MemoryMapMalformed, MemoryMapNotFound, MemoryMapAndBanks, MemoryMapOverlap, MemoryMapBeyondMaxPhysmem, MemoryMapNodeTooLarge,
        MemoryMapUnreadable, MemoryMapNoNode, MemoryMapHiddenAddresses, MemoryMapNodesInterleave,
        DuplicateModel, GeneratorFailed, TypeKind, MemberConflict, KconfigValueInvalid, OptionIgnored, StaticSectionTableTooLarge, ConstructorWithoutStorage,
        VmcoreInfoNotFound, VmcoreInfoUnreadable, VmcoreInfoMalformed, VmcoreInfoKeyMissing, VmcoreInfoKeysDisagree,
        SectionSizeOutOfRange, PhysmemTooWide, SubsectionExceedsSection, OrderExceedsSection, SectionMapBitsDoNotFit,
        TooManyZones, VmemmapNoSpaceForNodes, NotEnoughBits, GfpZonesShiftTooLarge, PageblockOrderTooLarge,
        NodeNotInPageFlags, LastCpupidNotInPageFlags, NodeNeedsSections, KconfigRuleBroken, MemoryMapEmpty, MemoryMapNoWholePage,
        PageBlockMaxOrderTooLarge, PageblockOrderAboveLimit,
    };
}
