using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace PhysMem;

// RS0022: the public constructors make PageStorage<TPage> derivable through this class, but the
// base shares nothing with derived types except through private protected members, so nothing is exposed.
#pragma warning disable RS0022

/// <summary>
/// The storage of a FLATMEM model configured at run time: one <c>mem_map</c> array describing
/// every pfn from <c>ARCH_PFN_OFFSET</c> up to the end of the highest range
/// (include/asm-generic/memory_model.h, mm/mm_init.c).
/// </summary>
/// <remarks>
/// The array lives in reserved address space committed as a whole, so it is backed by memory only
/// where it is touched. With <see cref="LayoutSpec.HolesInMemmap"/> every operating-system page of
/// <c>mem_map</c> that describes only holes is released again, as architectures with holes in the
/// memory model free the unused parts of their memmap, and <see cref="PfnValid"/> also checks that
/// the pfn lies in a range. Pages inside the ranges get their zone and node links; pages in holes
/// stay zero. <see cref="FlatMemory"/> is this class over the default 64-byte <see cref="Page"/>.
/// </remarks>
/// <typeparam name="TPage">The frame descriptor: an unmanaged struct with a <c>Flags</c> field (see <see cref="PageDescriptor{TPage}"/>).</typeparam>
public unsafe class FlatMemory<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage> : PageStorage<TPage>
    where TPage : unmanaged
{
    private readonly ulong _archPfnOffset;
    private readonly ulong _maxMapnr;
    private readonly bool _holesInMemmap;
    private readonly ulong[] _rangeStarts;
    private readonly ulong[] _rangeEnds;
    private VirtualMemoryReservation? _reservation;
    private TPage* _memMap;

    /// <summary>Builds <c>mem_map</c> for <paramref name="map"/>, with the x86 <see cref="ZoneRule"/>.</summary>
    /// <param name="layout">A FLATMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <exception cref="ArgumentException">The layout is not FLATMEM, the map has no whole page, a range lies below <c>ARCH_PFN_OFFSET</c>, a node is beyond <c>MAX_NUMNODES</c>, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for <c>mem_map</c> could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public FlatMemory(MemoryLayout layout, MemoryMap map)
        : this(layout, map, null)
    {
    }

    /// <summary>Builds <c>mem_map</c> for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A FLATMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <exception cref="ArgumentException">The layout is not FLATMEM, the map has no whole page, a range lies below <c>ARCH_PFN_OFFSET</c>, a node is beyond <c>MAX_NUMNODES</c>, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for <c>mem_map</c> could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <see cref="StorageLimits.Default"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public FlatMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule)
        : this(layout, map, zoneRule, null)
    {
    }

    /// <summary>Builds <c>mem_map</c> for <paramref name="map"/>, assigning zones with <paramref name="zoneRule"/>.</summary>
    /// <param name="layout">A FLATMEM layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <param name="limits">What the storage may allocate; null for <see cref="StorageLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">The layout is not FLATMEM, the map has no whole page, a range lies below <c>ARCH_PFN_OFFSET</c>, a node is beyond <c>MAX_NUMNODES</c>, or <typeparamref name="TPage"/> cannot hold the layout's <c>page-&gt;flags</c>.</exception>
    /// <exception cref="VirtualMemoryException">The address space for <c>mem_map</c> could not be reserved.</exception>
    /// <exception cref="StorageLimitException">The map would cost more than a limit of <paramref name="limits"/> allows (the message names the cost and the limit); nothing is allocated.</exception>
    public FlatMemory(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, StorageLimits? limits)
        : base(layout, map, zoneRule, static l => l.Model == Model.Flat, "FlatMemory needs a FLATMEM layout", "; use SparseMemory for SPARSEMEM", nameof(FlatMemory))
    {
        _archPfnOffset = layout.ArchPfnOffset;
        _holesInMemmap = layout.Spec.HolesInMemmap;

        IReadOnlyList<PfnRange> runs = map.Pfns(layout.PageShift);
        if (runs.Count == 0)
        {
            throw new ArgumentException("The memory map holds no whole page of " + ByteSize.Format(layout.PageSize) + ", so mem_map would be empty.", nameof(map));
        }

        _rangeStarts = new ulong[runs.Count];
        _rangeEnds = new ulong[runs.Count];
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (run.Start < _archPfnOffset)
            {
                throw new ArgumentException(
                    "The memory range starting at pfn 0x" + Hex(run.Start) + " lies below ARCH_PFN_OFFSET = 0x" + Hex(_archPfnOffset)
                    + "; mem_map cannot describe it. Lower ArchPfnOffset or drop the range.", nameof(map));
            }

            if (run.Node >= layout.MaxNumnodes)
            {
                throw new ArgumentException(
                    "A memory range is on node " + run.Node.ToString(CultureInfo.InvariantCulture) + ", but the layout has MAX_NUMNODES = "
                    + layout.MaxNumnodes.ToString(CultureInfo.InvariantCulture) + ".", nameof(map));
            }

            _rangeStarts[i] = run.Start;
            _rangeEnds[i] = run.End;
        }

        ulong endPfn = _rangeEnds[runs.Count - 1];
        _maxMapnr = endPfn - _archPfnOffset;
        if (_maxMapnr > ulong.MaxValue / (ulong)sizeof(TPage))
        {
            throw new ArgumentException("mem_map for " + _maxMapnr + " pages does not fit in a 64-bit address space.", nameof(map));
        }

        (limits ?? StorageLimits.Default).Check(StorageCost.For<TPage>(layout, map));

        try
        {
            ulong bytes = _maxMapnr * (ulong)sizeof(TPage);
            _reservation = VirtualMemoryReservation.Reserve(bytes, "mem_map");
            _reservation.Commit(0, bytes);
            _reservation.AdviseHugePages(0, bytes, populate: false); // huge pages when free; each piece is populated by the thread that fills it
            _memMap = (TPage*)_reservation.Base;
            if (_holesInMemmap)
            {
                ReleaseHoles();
            }

            var links = new List<(nint, PfnRange)>(runs.Count);
            foreach (var run in runs)
            {
                links.Add(((nint)(_memMap + (run.Start - _archPfnOffset)), run));
            }

            PfnRuns.SetLinks<TPage>(links, ZoneRule, PageFlags, populate: true);
        }
        catch
        {
            Dispose(false);
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary><c>mem_map</c>: entry <c>i</c> describes pfn <c>ARCH_PFN_OFFSET + i</c>.</summary>
    public TPage* MemMap
    {
        get
        {
            ThrowIfDisposed();
            return _memMap;
        }
    }

    /// <summary><c>max_mapnr</c>: the number of entries of <c>mem_map</c>.</summary>
    public ulong MaxMapnr
    {
        get
        {
            ThrowIfDisposed();
            return _maxMapnr;
        }
    }

    /// <summary><c>ARCH_PFN_OFFSET</c>: the pfn of <c>mem_map[0]</c>.</summary>
    public ulong ArchPfnOffset
    {
        get
        {
            ThrowIfDisposed();
            return _archPfnOffset;
        }
    }

    /// <summary>Address space reserved for <c>mem_map</c>.</summary>
    public ulong ReservedBytes
    {
        get
        {
            ThrowIfDisposed();
            return _reservation!.Size;
        }
    }

    /// <summary>Bytes of <c>mem_map</c> committed (less than reserved when holes were released).</summary>
    public ulong CommittedMemmapBytes
    {
        get
        {
            ThrowIfDisposed();
            return _reservation!.CommittedBytes;
        }
    }

    /// <summary>
    /// <c>pfn_to_page</c>: <c>mem_map + (pfn - ARCH_PFN_OFFSET)</c>. Like the kernel it does not check
    /// the pfn; a page over a released hole must not be touched, so call <see cref="PfnValid"/> first.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The page.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TPage* PfnToPage(ulong pfn)
    {
        ThrowIfDisposed();
        return _memMap + (pfn - _archPfnOffset);
    }

    /// <summary><c>page_to_pfn</c>: <c>(page - mem_map) + ARCH_PFN_OFFSET</c>.</summary>
    /// <param name="page">A page of <c>mem_map</c>.</param>
    /// <returns>Its pfn.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(TPage* page)
    {
        ThrowIfDisposed();
        // Unsigned: the division by sizeof(TPage) is one shift for a power-of-two size.
        return ((ulong)page - (ulong)_memMap) / (ulong)sizeof(TPage) + _archPfnOffset;
    }

    /// <summary>
    /// <c>pfn_valid</c> of FLATMEM: <c>pfn - ARCH_PFN_OFFSET &lt; max_mapnr</c> (unsigned, so pfns below
    /// the offset fail too), and with holes in the memmap also that the pfn lies in a range.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when <see cref="PfnToPage"/> gives a usable page.</returns>
    public bool PfnValid(ulong pfn)
    {
        ThrowIfDisposed();
        return pfn - _archPfnOffset < _maxMapnr && (!_holesInMemmap || !InHoleCore(pfn));
    }

    /// <summary>True when the pfn lies outside every range of the map (binary search).</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True for a hole.</returns>
    public bool InHole(ulong pfn)
    {
        ThrowIfDisposed();
        return InHoleCore(pfn);
    }

    private bool InHoleCore(ulong pfn)
    {
        // The last range starting at or below pfn is the only one that can hold it.
        int i = PfnRuns.LastStartAtOrBelow(_rangeStarts, pfn);
        return i < 0 || pfn >= _rangeEnds[i];
    }


    /// <inheritdoc/>
    internal override bool NextMemmapPiece(ulong pfn, ulong endPfn, out ulong start, out ulong end, out TPage* first)
    {
        ThrowIfDisposed();
        start = Math.Max(pfn, _archPfnOffset);
        end = Math.Min(endPfn, _archPfnOffset + _maxMapnr);

        // Without released holes every pfn of mem_map is valid, so the whole of it is one piece.
        bool any = _holesInMemmap ? PfnRuns.FirstRunPart(_rangeStarts, _rangeEnds, start, end, out start, out end) : start < end;
        first = any ? _memMap + (start - _archPfnOffset) : null;
        return any;
    }

    // Decommits every operating-system page of mem_map whose entries all describe holes.
    private void ReleaseHoles()
    {
        ulong entry = (ulong)sizeof(TPage);
        ulong page = _reservation!.OsPageSize;
        ulong holeStart = _archPfnOffset;
        for (int i = 0; i <= _rangeStarts.Length; i++)
        {
            ulong holeEnd = i < _rangeStarts.Length ? _rangeStarts[i] : _archPfnOffset + _maxMapnr;
            if (holeEnd > holeStart)
            {
                ulong first = ((holeStart - _archPfnOffset) * entry + page - 1) & ~(page - 1);
                ulong last = ((holeEnd - _archPfnOffset) * entry) & ~(page - 1);
                if (last > first)
                {
                    _reservation.Decommit(first, last - first);
                }
            }

            if (i < _rangeEnds.Length)
            {
                holeStart = Math.Max(holeStart, _rangeEnds[i]);
            }
        }
    }

    /// <summary>Releases <c>mem_map</c>, once.</summary>
    /// <param name="disposing">True from <see cref="PageStorage{TPage}.Dispose()"/>; the release is the same from the finalizer.</param>
    private protected override void Dispose(bool disposing)
    {
        if (!TryMarkDisposed())
        {
            return;
        }

        _reservation?.Dispose();
        _reservation = null;
        _memMap = null;
    }

    private static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);
}
