using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

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
/// <para>Afterwards memory can be hot-added and hot-removed (<see cref="AddMemory"/>,
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
public unsafe partial class SparseMemory<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage> : IDisposable
    where TPage : unmanaged
{
    // The section_mem_map flag bits of the 6.0+ enum (include/linux/mmzone.h); MemoryLayout gives
    // the same bits for every model, which the constructor checks.
    private const ulong MarkedPresent = 1UL << 0;
    private const ulong HasMemMap = 1UL << 1;
    private const ulong IsOnline = 1UL << 2;
    private const ulong IsEarly = 1UL << 3;

    private readonly MemoryLayout _layout;
    private readonly MemoryMap _map;
    private readonly PageFlags _pageFlags;
    private readonly ZoneRule _zoneRule;
    private readonly int _pageShift;
    private readonly int _pfnSectionShift;
    private readonly int _pfnSubsectionShift;
    private readonly int _sectionRootShift;
    private readonly int _sectionNidShift;
    private readonly int _sectionsPgshift;
    private readonly ulong _sectionsMask;
    private readonly ulong _nrMemSections;
    private readonly ulong _nrSectionRoots;
    private readonly ulong _sectionRootMask;
    private readonly ulong _pagesPerSection;
    private readonly ulong _sectionMapMask;
    private readonly ulong _subsectionIndexMask;
    private readonly ulong _maxPfn;
    private readonly bool _extreme;
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
    private readonly ReaderRegistry _readers = new();
    private readonly StorageLimits _limits;
    private VirtualMemoryReservation? _vmemmapReservation;
    private VirtualMemoryReservation? _tableReservation;
    private TPage* _vmemmapBase;
    private MemSection* _table;
    private MemSection** _roots;
    private ulong[] _presentSections = Array.Empty<ulong>();
    private SectionNodeTable _sectionToNode = SectionNodeTable.Empty;
    private ulong _highestPresentSectionNr;
    private ulong _classicMemmapBytes;
    private ulong _usageBytes;
    private ulong _rootBytes;
    private int _allocatedRoots;
    // Plain, not volatile: it is read by every conversion, and a volatile read there would stop the
    // JIT keeping the layout fields in registers across a loop. Dispose is not meant to race lookups.
    private bool _disposed;

    // Set by Dispose before it waits for readers; a reader entering after that backs out.
    private volatile bool _closing;

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
    {
        if (layout is null)
        {
            throw new ArgumentNullException(nameof(layout));
        }

        if (map is null)
        {
            throw new ArgumentNullException(nameof(map));
        }

        if (!layout.IsSparse)
        {
            throw new ArgumentException("SparseMemory needs a SPARSEMEM layout, but this one is " + layout.Describe() + "; use FlatMemory for FLATMEM.", nameof(layout));
        }

        PageDescriptor<TPage>.EnsureUsable(layout, nameof(TPage));
        if (layout.SectionMarkedPresent != MarkedPresent || layout.SectionHasMemMap != HasMemMap || layout.SectionIsOnline != IsOnline || layout.SectionIsEarly != IsEarly)
        {
            throw new InvalidOperationException("The layout's section_mem_map flag bits differ from the ones SparseMemory was written for.");
        }

        map.CheckFits(layout);
        _limits = limits ?? StorageLimits.Default;
        _limits.Check(StorageCost.Sparse(layout, map.Pfns(layout.PageShift), (ulong)sizeof(TPage), (ulong)sizeof(MemSection), (ulong)sizeof(MemSection*)));
        _layout = layout;
        _map = map;
        _pageFlags = new PageFlags(layout);
        _zoneRule = zoneRule ?? new ZoneRule(layout);
        _pageShift = layout.PageShift;
        _pfnSectionShift = layout.PfnSectionShift;
        _pfnSubsectionShift = layout.PfnSubsectionShift;
        _sectionRootShift = Log2(layout.SectionsPerRoot);
        _sectionNidShift = layout.SectionNidShift;
        _sectionsPgshift = layout.SectionsPgshift;
        _sectionsMask = layout.SectionsMask;
        _nrMemSections = layout.NrMemSections;
        _nrSectionRoots = layout.NrSectionRoots;
        _sectionRootMask = layout.SectionRootMask;
        _pagesPerSection = layout.PagesPerSection;

        // The host keeps pointers in 64-bit words even for a 32-bit model (see HostSectionMapMask).
        _sectionMapMask = layout.HostSectionMapMask;
        _subsectionIndexMask = layout.SubsectionsPerSection - 1;
        _maxPfn = layout.MaxPfn;
        _extreme = layout.IsExtreme;
        _vmemmap = layout.IsVmemmap;
        _nodeNotInPageFlags = layout.NodeNotInPageFlags;
        _subsectionWords = layout.HostSubsectionMapWords;
        _usageStride = ((ulong)_subsectionWords * 8 + layout.UsemapSize + 7) & ~7UL;
        _sectionTaintZoneDevice = layout.SectionTaintZoneDevice;
        _pagesPerSubsection = layout.PagesPerSubsection;
        _memmapBytesPerSection = _pagesPerSection * (ulong)sizeof(TPage);
        _pageblockOrder = layout.PageblockOrder;
        _nrPageblockBits = layout.NrPageblockBits;
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
            Free();
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary>Frees the unmanaged memory if <see cref="Dispose"/> was not called.</summary>
    ~SparseMemory()
    {
        Free();
    }

    /// <summary>The layout the storage was built for.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemoryLayout Layout => Checked(_layout);

    /// <summary>The memory map the storage was built from.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemoryMap Map => Checked(_map);

    /// <summary>The <c>page-&gt;flags</c> accessors of <see cref="Layout"/>.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public PageFlags PageFlags => Checked(_pageFlags);

    /// <summary>The rule that gave each page its zone.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ZoneRule ZoneRule => Checked(_zoneRule);

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
            return _table;
        }
    }

    /// <summary>The <c>NR_SECTION_ROOTS</c> root pointers of SPARSEMEM_EXTREME (null entries for roots never needed); null otherwise.</summary>
    public MemSection** Roots
    {
        get
        {
            ThrowIfDisposed();
            return _roots;
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
            return _allocatedRoots;
        }
    }

    /// <summary>Address space reserved: the vmemmap plus the static section table.</summary>
    public ulong ReservedBytes
    {
        get
        {
            ThrowIfDisposed();
            return (_vmemmapReservation?.Size ?? 0) + (_tableReservation?.Size ?? 0);
        }
    }

    /// <summary>Bytes of memmap committed: the vmemmap's committed pages, or the classic per-section blocks (including memmap a removal gave up that waits for its grace period).</summary>
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
            return _extreme ? _rootBytes : _tableReservation!.CommittedBytes;
        }
    }

    /// <summary>Bytes of usage blocks (subsection maps and pageblock flags): the boot buffers and the blocks hot-add allocated (see <see cref="MemoryAccounting.UsageBytes"/>).</summary>
    public ulong UsageBytes
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref _usageBytes);
        }
    }

    /// <summary>
    /// Frees every table, usage block and memmap, after waiting for every read section to end.
    /// Calling it again does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The calling thread is inside a read section of this storage.</exception>
    public void Dispose()
    {
        lock (_hotplugLock)
        {
            if (_disposed)
            {
                return;
            }

            if (_readers.CurrentThreadInside)
            {
                throw new InvalidOperationException("The storage cannot be disposed from inside one of its read sections: leave the section first.");
            }

            _closing = true;
            Interlocked.MemoryBarrier();
            _readers.WaitForReadersBefore(long.MaxValue, Timeout.InfiniteTimeSpan);
            Free();
        }

        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _vmemmapReservation?.Dispose();
        _tableReservation?.Dispose();
        _vmemmapReservation = null;
        _tableReservation = null;
        _blocks.FreeAll();
        _retired.Clear();
        _usagePool.Clear();
        _vmemmapBase = null;
        _table = null;
        _roots = null;
        _readers.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    // A value that needs no lock, read only while the storage is alive.
    private T Checked<T>(T value)
    {
        ThrowIfDisposed();
        return value;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(SparseMemory));

    private static int Log2(ulong powerOfTwo)
    {
        int shift = 0;
        while ((1UL << shift) < powerOfTwo)
        {
            shift++;
        }

        return shift;
    }
}
