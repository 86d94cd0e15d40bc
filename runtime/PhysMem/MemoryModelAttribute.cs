using System;

namespace PhysMem;

/// <summary>
/// Makes a partial class or struct a Linux-style physical memory model: the PhysMem source
/// generator adds compile-time constants for exactly this configuration, pfn &lt;-&gt; page
/// conversions specialised to the model, <c>page-&gt;flags</c> accessors, a <c>Layout</c>
/// manifest, and a constructor that builds the model's storage from a <c>MemoryMap</c>.
/// </summary>
/// <remarks>
/// Every property left unset takes PhysMem's default (see <see cref="LayoutDefaults"/>): the sizes
/// of an x86-64 kernel with 4 KiB pages and 4-level paging, with every option off (no
/// <see cref="Vmemmap"/>, no <see cref="Extreme"/>, <see cref="NodesShift"/> 0). The kernel x86-64
/// builds has EXTREME, VMEMMAP and <c>NODES_SHIFT</c> 6: for it, name the preset
/// (<c>[MemoryModel(Arch.X86_64)]</c>). The generated file's header lists every input and
/// says whether it came from here, a preset or the defaults. Values the kernel would refuse are
/// reported as <c>PMEMnnnn</c> diagnostics on the offending argument.
/// <code>
/// [MemoryModel(Model.Sparse, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true)]
/// public partial class Arm64Memory { }
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MemoryModelAttribute : Attribute
{
    /// <summary>
    /// Declares a memory model whose inputs all come from elsewhere: a kernel configuration named by
    /// <see cref="Kconfig"/> (or the MSBuild property <c>PhysMem_Kconfig</c>), the <c>PhysMem_*</c>
    /// MSBuild properties, and the named properties set here; unset inputs take the defaults.
    /// </summary>
    public MemoryModelAttribute()
    {
        Model = Model.Sparse;
    }

    /// <summary>Declares a memory model.</summary>
    /// <param name="model">The model: FLATMEM, DISCONTIGMEM or SPARSEMEM.</param>
    public MemoryModelAttribute(Model model)
    {
        Model = model;
    }

    /// <summary>Declares a memory model with an architecture's values (see <see cref="PhysMem.Arch"/>); the named properties override them.</summary>
    /// <param name="arch">The architecture preset.</param>
    public MemoryModelAttribute(Arch arch)
    {
        Arch = arch;
        Model = Model.Sparse;
    }

    /// <summary>The model given to the constructor (every preset is SPARSEMEM; without one, see the generated header).</summary>
    public Model Model { get; }

    /// <summary>The architecture preset, or 0 when the model was declared by <see cref="Model"/>.</summary>
    public Arch Arch { get; }

    /// <summary>
    /// A kernel <c>.config</c> to take the inputs from (also the decompressed text of
    /// <c>/proc/config.gz</c>): the path of one of the project's <c>AdditionalFiles</c>, or the end of
    /// it (<c>"linux.config"</c>). The architecture, model, page size, section size, physical address
    /// width, nodes, cpus, zones, the optional <c>page-&gt;flags</c> fields and <c>NR_PAGEFLAGS</c> are
    /// derived as that kernel derives them. Precedence: properties set on this attribute, then the
    /// <c>PhysMem_*</c> MSBuild properties, then the <c>.config</c>, then the architecture preset, then
    /// the defaults; the generated header says where each input came from.
    /// </summary>
    public string? Kconfig { get; set; }

    /// <summary>
    /// A kernel's <c>VMCOREINFO</c> note to take the inputs it settles from (the text of the note as a
    /// dump or <c>/sys/kernel/vmcoreinfo</c> holds it, <c>KEY=value</c> lines): the path of one of the
    /// project's <c>AdditionalFiles</c>, or the end of it (<c>"vmcoreinfo.txt"</c>). The note is what
    /// the kernel booted with: SPARSEMEM, the page size, <c>SECTION_SIZE_BITS</c>,
    /// <c>MAX_PHYSMEM_BITS</c> (52 with 5-level paging, 46 without, whatever the <c>.config</c> allows),
    /// SPARSEMEM_EXTREME and PAGE_EXTENSION, and SPARSEMEM_VMEMMAP on kernels that write
    /// <c>SYMBOL(vmemmap)</c>. The rest (zones, nodes, the <c>page-&gt;flags</c> fields) comes from
    /// <see cref="Kconfig"/>. Precedence: this attribute, then MSBuild, then the note, then the
    /// <c>.config</c>, then the preset; a property here or in MSBuild that contradicts the note is an
    /// error (PMEM0007).
    /// </summary>
    public string? VmcoreInfo { get; set; }

    /// <summary>
    /// The frame descriptor, <c>struct page</c> (default <see cref="Page"/>, 64 bytes): any unmanaged
    /// struct with an accessible, writable field <c>ulong Flags</c> (<c>uint Flags</c> will do for a
    /// layout with <see cref="BitsPerLong"/> = 32) and, when the layout keeps last_cpupid outside the
    /// flags, a <c>uint</c> or <c>int</c> field <c>LastCpupid</c>. The generated conversions, the
    /// storage and its memmaps use <c>sizeof</c> of this type; the generated <c>page-&gt;flags</c>
    /// accessors read and write its <c>Flags</c> field wherever it lies in the struct.
    /// </summary>
    public Type? PageType { get; set; }

    /// <summary>
    /// A memory map whose memory the model holds from the start, as <c>[MemoryBank]</c>s would
    /// declare it: the path of one of the project's <c>AdditionalFiles</c>, or the end of it
    /// (<c>"board.iomem"</c>). The file is <c>/proc/iomem</c> text — its top-level <c>System RAM</c>
    /// lines are the memory — with an optional comment line <c># numa: SPEC</c> giving the nodes
    /// (<c>0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff</c>: <c>node:start-end</c> items, end
    /// inclusive); other lines starting with <c>#</c> are comments, and without a NUMA line all
    /// memory is on node 0. <see cref="MemoryMap.ParseIomem(string)"/> reads the same format at run
    /// time. The generator then emits a static <c>Banks</c> map, a parameterless constructor and, for
    /// DISCONTIGMEM, <c>PfnToNid</c> and <c>PfnValid</c> as constant comparisons. A model takes its
    /// banks from a file or from <c>[MemoryBank]</c> attributes, not both (PMEM0021).
    /// </summary>
    public string? MemoryMapFile { get; set; }

    /// <summary><c>PAGE_SHIFT</c>, 12 to 18 (default 12: 4 KiB pages).</summary>
    public int PageShift { get; set; } = LayoutDefaults.PageShift;

    /// <summary><c>BITS_PER_LONG</c>, 32 or 64 (default 64): the width of <c>page-&gt;flags</c>.</summary>
    public int BitsPerLong { get; set; } = LayoutDefaults.BitsPerLong;

    /// <summary><c>SECTION_SIZE_BITS</c> (SPARSEMEM; default 27: 128 MiB sections).</summary>
    public int SectionSizeBits { get; set; } = LayoutDefaults.SectionSizeBits;

    /// <summary><c>MAX_PHYSMEM_BITS</c> (SPARSEMEM; default 46).</summary>
    public int MaxPhysmemBits { get; set; } = LayoutDefaults.MaxPhysmemBits;

    /// <summary><c>CONFIG_SPARSEMEM_VMEMMAP</c> (SPARSEMEM; default false): one virtually contiguous memmap.</summary>
    public bool Vmemmap { get; set; }

    /// <summary><c>CONFIG_SPARSEMEM_EXTREME</c> (SPARSEMEM; default false): section table roots allocated on demand.</summary>
    public bool Extreme { get; set; }

    /// <summary><c>ARCH_PFN_OFFSET</c> (FLATMEM; default 0): the pfn of the first entry of <c>mem_map</c>.</summary>
    public ulong ArchPfnOffset { get; set; }

    /// <summary><c>CONFIG_ARCH_HAS_HOLES_MEMORYMODEL</c> (FLATMEM; default false): release <c>mem_map</c> over holes and make <c>PfnValid</c> false there.</summary>
    public bool HolesInMemmap { get; set; }

    /// <summary><c>CONFIG_NODES_SHIFT</c>, 0 to 10 (default 0: no NUMA).</summary>
    public int NodesShift { get; set; }

    /// <summary>The zones configured (default: DMA, DMA32, Normal, Movable on 64-bit; DMA, Normal, HighMem, Movable on 32-bit).</summary>
    public Zones Zones { get; set; }

    /// <summary><c>MAX_NR_ZONES</c> as a bare number, instead of <see cref="Zones"/> (default: the number of zones).</summary>
    public int MaxNrZones { get; set; }

    /// <summary><c>CONFIG_ZONE_DEVICE</c> (default false): adds <see cref="Zones.Device"/> and the <c>SECTION_TAINT_ZONE_DEVICE</c> bit.</summary>
    public bool ZoneDevice { get; set; }

    /// <summary>
    /// <c>CONFIG_SPARSEMEM_VMEMMAP_PREINIT</c> (SPARSEMEM with <see cref="Vmemmap"/>, 6.15+; default
    /// false): adds the <c>SECTION_IS_VMEMMAP_PREINIT</c> bit, which moves <c>SECTION_MAP_MASK</c> up by one.
    /// </summary>
    public bool VmemmapPreinit { get; set; }

    /// <summary>
    /// <c>CONFIG_DEFERRED_STRUCT_PAGE_INIT</c> (64-bit SPARSEMEM; default false): the model's storage
    /// returns from its constructor once each node's pages up to <c>first_deferred_pfn</c> are
    /// initialized and initializes the rest on worker threads (see <c>SparseMemory.WaitForDeferredInit</c>).
    /// </summary>
    public bool DeferredStructPageInit { get; set; }

    /// <summary><c>NR_PAGEFLAGS</c> (default 25 on 64-bit, 22 on 32-bit, as 6.17 counts them for x86).</summary>
    public int NrPageflags { get; set; }

    /// <summary><c>CONFIG_NUMA_BALANCING</c> (default false): keep last_cpupid in the page.</summary>
    public bool NumaBalancing { get; set; }

    /// <summary><c>NR_CPUS_BITS</c>, 0 to 16 (default 0); or give <see cref="NrCpus"/>.</summary>
    public int NrCpusBits { get; set; }

    /// <summary><c>CONFIG_NR_CPUS</c>; sets <c>NR_CPUS_BITS = order_base_2(NR_CPUS)</c> (default: unset).</summary>
    public int NrCpus { get; set; }

    /// <summary><c>KASAN_TAG_WIDTH</c>: 0, 4 (hardware tags) or 8 (software tags); default 0.</summary>
    public int KasanTagWidth { get; set; }

    /// <summary><c>CONFIG_LRU_GEN</c> (default false).</summary>
    public bool LruGen { get; set; }

    /// <summary><c>CONFIG_PAGE_EXTENSION</c> (default false): doubles <c>sizeof(struct mem_section)</c>, halving <c>SECTIONS_PER_ROOT</c>.</summary>
    public bool PageExtension { get; set; }

    /// <summary><c>MAX_PAGE_ORDER</c> (default 10).</summary>
    public int MaxPageOrder { get; set; } = LayoutDefaults.MaxPageOrder;

    /// <summary>
    /// <c>CONFIG_PAGE_BLOCK_MAX_ORDER</c> (6.16+), 1 to <see cref="MaxPageOrder"/>: the upper limit of
    /// <c>pageblock_order</c> (default 0: <c>MAX_PAGE_ORDER</c>, as before 6.16).
    /// </summary>
    public int PageBlockMaxOrder { get; set; }

    /// <summary><c>pageblock_order</c> (default: one PMD of pages, at most <see cref="MaxPageOrder"/>).</summary>
    public int PageblockOrder { get; set; }

    /// <summary><c>CONFIG_MEMORY_ISOLATION</c> (default true): 8 pageblock bits rather than 4.</summary>
    public bool MemoryIsolation { get; set; } = true;
}
