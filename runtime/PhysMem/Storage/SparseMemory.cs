using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

// RS0022: the public constructors make PageStorage<TPage> derivable through this class, but the
// base shares nothing with derived types except through private protected members, so nothing is exposed.
#pragma warning disable RS0022

/// <summary>
/// The storage of a SPARSEMEM model configured at run time: the section table (static, or
/// SPARSEMEM_EXTREME roots allocated on demand) with the kernel's encoded <c>section_mem_map</c>,
/// the per-section usage blocks, and the memmaps — one virtually contiguous vmemmap committed per
/// present section (SPARSEMEM_VMEMMAP), or one block per present section (classic SPARSEMEM).
/// </summary>
/// <remarks>
/// <para>The constructor builds everything as the kernel's <c>sparse_init</c> does at boot
/// (mm/sparse.c): every range of the map is marked present section by section, then the present
/// sections are taken in runs of one early node, and every run gets one buffer of usage blocks and
/// each of its sections a memmap and the encoded pointer with <c>SECTION_HAS_MEM_MAP</c> and
/// <c>SECTION_IS_EARLY</c>; with VMEMMAP the subsection maps are filled from the ranges; every page of
/// a present section gets its zone, node (and, classic, section) links, and every pageblock that
/// starts inside a range is marked <c>MIGRATE_MOVABLE</c>.</para>
/// <para>Afterwards memory can be hot-added and hot-removed (<see cref="AddMemory(ulong, ulong, int)"/>,
/// <see cref="RemoveMemory"/>), onlined and offlined, as mm/memory_hotplug.c and mm/sparse.c do.</para>
/// <para><b>Concurrency.</b> Lookups (<see cref="PfnValid"/>, <see cref="PfnToPage"/>,
/// <see cref="NrToSection"/>, the section predicates, <see cref="PfnToOnlinePage"/>, the walks) take
/// no lock and may run on any number of threads while one hotplug call changes the tables; they see
/// a section either as it was or as it becomes, never half built: a section word is written (with
/// release semantics) only after its memmap, usage block and pages are ready, and cleared before
/// anything behind it is given back. Hotplug calls are serialised by one lock, the kernel's
/// <c>mem_hotplug_lock</c>. Section roots and usage blocks are never returned to the system while the
/// storage lives (usage blocks are reused), so a lookup racing a removal reads only memory that exists.
/// Page memory, though, is given back: a thread that dereferences a page (reads or writes a
/// <see cref="Page"/>, or calls the classic <see cref="PageToPfn"/>, which reads <c>page-&gt;flags</c>)
/// while another thread may remove it must do so inside <see cref="EnterReadSection"/>, from the
/// lookup to its last use of the page. A removal decommits or frees memmap only after every read
/// section that began before it has ended (an epoch-based grace period, like RCU's); until then the
/// memory stays committed. <see cref="TryReadPage"/> and <see cref="TryWithPage"/> do this for the
/// caller and never hand out a reference. <see cref="Dispose"/> waits for read sections to end; lookups
/// outside read sections must not race it.</para>
/// <para>The conversions read the layout from fields: they are the generic baseline the generated,
/// constant-folded code is measured against. Several instances can live side by side.</para>
/// <para>The memmaps hold <typeparamref name="TPage"/> entries, <c>sizeof(TPage)</c> bytes apart;
/// <see cref="SparseMemory"/> is this class over the default 64-byte <see cref="Page"/>.</para>
/// </remarks>
/// <typeparam name="TPage">The frame descriptor: an unmanaged struct with a <c>Flags</c> field (see <see cref="PageDescriptor{TPage}"/>).</typeparam>
public unsafe partial class SparseMemory<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage> : PageStorage<TPage>
    where TPage : unmanaged
{
    // The section_mem_map flag bits of the 6.0+ enum (include/linux/mmzone.h); MemoryLayout gives
    // the same bits for every model, which the constructor checks.
    private const ulong MarkedPresent = 1UL << 0;
    private const ulong HasMemMap = 1UL << 1;
    private const ulong IsOnline = 1UL << 2;
    private const ulong IsEarly = 1UL << 3;

    private readonly int _pageShift;
    private readonly int _pfnSectionShift;
    private readonly int _pfnSubsectionShift;
    private readonly int _sectionNidShift;
    private readonly int _sectionsPgshift;
    private readonly ulong _sectionsMask;
    private readonly ulong _nrMemSections;
    private readonly ulong _pagesPerSection;
    private readonly ulong _sectionMapMask;
    private readonly ulong _subsectionIndexMask;
    private readonly ulong _maxPfn;
    private readonly bool _vmemmap;
    private readonly bool _nodeNotInPageFlags;
    private readonly int _subsectionWords;
    private readonly ulong _usageStride;
    private readonly ulong _sectionTaintZoneDevice;
    private readonly ulong _pagesPerSubsection;
    private readonly ulong _memmapBytesPerSection;
    private readonly int _pageblockOrder;
    private readonly int _nrPageblockBits;

    private readonly NativeBlocks _blocks = new();
    private readonly List<string> _warnings = new();

    // mem_hotplug_lock: every change to the tables after boot, and Dispose, hold it.
    private readonly object _hotplugLock = new();
    private readonly StorageLimits _limits;
    private readonly GracePeriodReclaimer _reclaimer;

    // The present sections as a set, changed under the hotplug lock; _presentSections is its snapshot.
    // Not readonly: boot builds it from the sorted present sections at once (MarkPresent).
    private SortedSet<ulong> _present = new();

    // VMEMMAP: byte offsets of the vmemmap that must stay committed (boot sections whole, hot-added
    // ranges exactly). A retired range is decommitted only in operating-system pages no live range
    // touches, which matters when one page holds the memmaps of two subsections.
    private readonly IntervalSet _liveMemmap = new();

    // Not readonly: a struct whose roots and counters change in place (see SectionTable).
    private SectionTable _sections;
    private VirtualMemoryReservation? _vmemmapReservation;
    private TPage* _vmemmapBase;
    private ulong[] _presentSections = Array.Empty<ulong>();
    private SectionNodeTable _sectionToNode = SectionNodeTable.Empty;
    private ulong _highestPresentSectionNr;
    private ulong _classicMemmapBytes;

    // memblock after boot: the RAM ranges by node (boot ranges, plus hot-added RAM as
    // memblock_add_node records it with ARCH_KEEP_MEMBLOCK). Read lock-free by EarlyPfnToNid.
    private PfnRangeSet _memblock = PfnRangeSet.Empty;

    // The ZONE_DEVICE page maps (the kernel's pgmap xarray), read lock-free by PfnToOnlinePage.
    private PfnRangeSet _devicePagemaps = PfnRangeSet.Empty;

    // first_online_node for early_pfn_to_nid's fallback: the lowest node with memory at boot.
    private int _firstOnlineNode;

    /// <summary>Builds the storage for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <exception cref="ArgumentException">The layout is not SPARSEMEM, a range's node is beyond <c>MAX_NUMNODES</c>, a range reaches beyond <c>MAX_PHYSMEM_BITS</c> (the message names the range and the limit; nothing is allocated), or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for the vmemmap or the section table could not be reserved or committed.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public SparseMemory(MemoryLayout layout, MemoryMap map)
        : this(layout, map, null)
    {
    }

    /// <summary>Builds the storage for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="ArgumentException">The layout is not SPARSEMEM, a range's node is beyond <c>MAX_NUMNODES</c>, a range reaches beyond <c>MAX_PHYSMEM_BITS</c> (the message names the range and the limit; nothing is allocated), or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for the vmemmap or the section table could not be reserved or committed.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public SparseMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : this(layout, map, zoneRule, null)
    {
    }

    /// <summary>Builds the storage for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <param name="limits">What the storage may allocate; null for <see cref="StorageLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">The layout is not SPARSEMEM, a range's node is beyond <c>MAX_NUMNODES</c>, a range reaches beyond <c>MAX_PHYSMEM_BITS</c> (the message names the range and the limit; nothing is allocated), or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for the vmemmap or the section table could not be reserved or committed.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <paramref name="limits"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public SparseMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, static l => l.IsSparse, "SparseMemory needs a SPARSEMEM layout", "; use FlatMemory for FLATMEM", nameof(SparseMemory))
    {
        if (layout.SectionMarkedPresent != MarkedPresent || layout.SectionHasMemMap != HasMemMap || layout.SectionIsOnline != IsOnline || layout.SectionIsEarly != IsEarly)
        {
            throw new InvalidOperationException("The layout's section_mem_map flag bits differ from the ones SparseMemory was written for.");
        }

        map.CheckFits(layout);
        _limits = limits ?? StorageLimits.Default;
        _limits.Check(StorageCost.Sparse(layout, map.Pfns(layout.PageShift), (ulong)sizeof(TPage), (ulong)sizeof(MemSection), (ulong)sizeof(MemSection*)));
        _pageShift = layout.PageShift;
        _pfnSectionShift = layout.PfnSectionShift;
        _pfnSubsectionShift = layout.PfnSubsectionShift;
        _sectionNidShift = layout.SectionNidShift;
        _sectionsPgshift = layout.SectionsPgshift;
        _sectionsMask = layout.SectionsMask;
        _nrMemSections = layout.NrMemSections;
        _pagesPerSection = layout.PagesPerSection;

        // The host keeps pointers in 64-bit words even for a 32-bit model (see HostSectionMapMask).
        _sectionMapMask = layout.HostSectionMapMask;
        _subsectionIndexMask = layout.SubsectionsPerSection - 1;
        _maxPfn = layout.MaxPfn;
        _vmemmap = layout.IsVmemmap;
        _nodeNotInPageFlags = layout.NodeNotInPageFlags;
        _subsectionWords = layout.HostSubsectionMapWords;
        _usageStride = ((ulong)_subsectionWords * 8 + layout.UsemapSize + 7) & ~7UL;
        _sectionTaintZoneDevice = layout.SectionTaintZoneDevice;
        _pagesPerSubsection = layout.PagesPerSubsection;
        _memmapBytesPerSection = _pagesPerSection * (ulong)sizeof(TPage);
        _pageblockOrder = layout.PageblockOrder;
        _nrPageblockBits = layout.NrPageblockBits;
        _sections = new SectionTable(layout, _blocks);
        _reclaimer = new GracePeriodReclaimer(_blocks, _usageStride, _memmapBytesPerSection, DecommitUnused, GiveBackClassicMemmap);
        if (layout.StructPageSize != sizeof(TPage))
        {
            _warnings.Add("The layout's sizeof(struct page) is " + layout.StructPageSize + " bytes; the storage holds " + sizeof(TPage) + "-byte " + typeof(TPage).Name + " entries, so memmap sizes here are in host bytes.");
        }

        try
        {
            Boot();
        }
        catch
        {
            Dispose(false);
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary>What was adjusted while building (ranges with no whole page, a layout whose <c>sizeof(struct page)</c> differs from the host's).</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            ThrowIfDisposed();
            return _warnings.AsReadOnly();
        }
    }

    /// <summary>The numbers of the present sections, ascending: a snapshot taken after the last hotplug change.</summary>
    public IReadOnlyList<ulong> PresentSections
    {
        get
        {
            ThrowIfDisposed();
            return Array.AsReadOnly(Volatile.Read(ref _presentSections));
        }
    }

    /// <summary><c>__highest_present_section_nr</c> (0 when no section is present). Like the kernel's, it only grows: hot-remove does not lower it.</summary>
    public ulong HighestPresentSectionNr
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref _highestPresentSectionNr);
        }
    }

    /// <summary>The static section table of <c>NR_MEM_SECTIONS</c> entries; null with SPARSEMEM_EXTREME.</summary>
    public MemSection* SectionTable
    {
        get
        {
            ThrowIfDisposed();
            return _sections.Table;
        }
    }

    /// <summary>The <c>NR_SECTION_ROOTS</c> root pointers of SPARSEMEM_EXTREME (null entries for roots never needed); null otherwise.</summary>
    public MemSection** Roots
    {
        get
        {
            ThrowIfDisposed();
            return _sections.Roots;
        }
    }

    /// <summary>The vmemmap: the page of pfn <c>n</c> is <c>Vmemmap + n</c> (SPARSEMEM_VMEMMAP); null for classic SPARSEMEM.</summary>
    public TPage* Vmemmap
    {
        get
        {
            ThrowIfDisposed();
            return _vmemmapBase;
        }
    }

    /// <summary>Roots of the EXTREME table that were allocated (0 without EXTREME).</summary>
    public int AllocatedRootCount
    {
        get
        {
            ThrowIfDisposed();
            return _sections.AllocatedRoots;
        }
    }

    /// <summary>Address space reserved: the vmemmap plus the static section table.</summary>
    public ulong ReservedBytes
    {
        get
        {
            ThrowIfDisposed();
            return (_vmemmapReservation?.Size ?? 0) + _sections.ReservedBytes;
        }
    }

    /// <summary>Bytes of memmap committed in host RAM: the vmemmap's committed pages, or the classic per-section blocks (including memmap a removal gave up that waits for its grace period); memmap that lives in the memory it describes is in <see cref="SelfHostedMemmapBytes"/>.</summary>
    public ulong CommittedMemmapBytes
    {
        get
        {
            ThrowIfDisposed();
            return _vmemmap ? _vmemmapReservation!.CommittedBytes : Volatile.Read(ref _classicMemmapBytes);
        }
    }

    /// <summary>Bytes of section table: the committed static table, or the root-pointer array plus the allocated roots.</summary>
    public ulong SectionTableBytes
    {
        get
        {
            ThrowIfDisposed();
            return _sections.Bytes;
        }
    }

    /// <summary>Bytes of usage blocks (subsection maps and pageblock flags): the boot buffers and the blocks hot-add allocated (see <see cref="MemoryAccounting.UsageBytes"/>).</summary>
    public ulong UsageBytes
    {
        get
        {
            ThrowIfDisposed();
            return _reclaimer.UsageBytes;
        }
    }

    /// <summary>
    /// Frees every table, usage block and memmap; from <see cref="PageStorage{TPage}.Dispose()"/>
    /// after waiting for every read section to end. Calling it again does nothing.
    /// </summary>
    /// <param name="disposing">True from <see cref="PageStorage{TPage}.Dispose()"/>; false from the finalizer, which frees at once.</param>
    /// <exception cref="InvalidOperationException">The calling thread is inside a read section of this storage.</exception>
    private protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            Free();
            return;
        }

        lock (_hotplugLock)
        {
            if (IsDisposed)
            {
                return;
            }

            if (_reclaimer.CurrentThreadInside)
            {
                throw new InvalidOperationException("The storage cannot be disposed from inside one of its read sections: leave the section first.");
            }

            StopDeferredInit();
            _reclaimer.Close();
            Free();
        }
    }

    private void Free()
    {
        if (!TryMarkDisposed())
        {
            return;
        }

        _vmemmapReservation?.Dispose();
        _vmemmapReservation = null;
        _sections.Free();
        _blocks.FreeAll();
        _vmemmapBase = null;

        // Null only when a check of the constructor failed before it was created.
        _reclaimer?.Free();
    }
}
