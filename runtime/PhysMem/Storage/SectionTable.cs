using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

/// <summary>
/// The <c>mem_section</c> table of a SPARSEMEM storage (mm/sparse.c, include/linux/mmzone.h): either
/// the static array of <c>NR_MEM_SECTIONS</c> entries, or (SPARSEMEM_EXTREME) the array of
/// <c>NR_SECTION_ROOTS</c> root pointers whose roots are allocated on first use; with the address
/// space reserved for it and what it costs.
/// </summary>
/// <remarks>
/// A struct held in one field of <see cref="SparseMemory{TPage}"/>, never copied: the lookup
/// (<see cref="NrToSection"/>) then reads its fields at fixed offsets from the storage, as it did when
/// they were the storage's own, with no extra object to load on the conversions' path. Roots are
/// never freed before <see cref="Free"/>, so a lock-free lookup racing a removal reads memory that
/// exists.
/// </remarks>
internal unsafe struct SectionTable
{
    private readonly NativeBlocks _blocks;
    private readonly bool _extreme;
    private readonly int _rootShift;
    private readonly ulong _nrMemSections;
    private readonly ulong _nrRoots;
    private readonly ulong _rootMask;
    private VirtualMemoryReservation? _reservation;
    private MemSection* _table;
    private MemSection** _roots;
    private ulong _rootBytes;
    private int _allocatedRoots;

    /// <summary>Takes the table's shape from <paramref name="layout"/>; nothing is allocated yet (see <see cref="Allocate"/>).</summary>
    /// <param name="layout">A SPARSEMEM layout.</param>
    /// <param name="blocks">Where the root-pointer array and the roots are allocated (the storage's heap, which its accounting counts).</param>
    public SectionTable(MemoryLayout layout, NativeBlocks blocks)
    {
        _blocks = blocks;
        _extreme = layout.IsExtreme;
        _rootShift = Log2(layout.SectionsPerRoot);
        _nrMemSections = layout.NrMemSections;
        _nrRoots = layout.NrSectionRoots;
        _rootMask = layout.SectionRootMask;
    }

    /// <summary>The static table of <c>NR_MEM_SECTIONS</c> entries; null with SPARSEMEM_EXTREME or once freed.</summary>
    public readonly MemSection* Table => _table;

    /// <summary>The <c>NR_SECTION_ROOTS</c> root pointers of SPARSEMEM_EXTREME; null otherwise or once freed.</summary>
    public readonly MemSection** Roots => _roots;

    /// <summary>Roots that were allocated (0 without EXTREME).</summary>
    public readonly int AllocatedRoots => _allocatedRoots;

    /// <summary>Address space reserved for the static table (0 with EXTREME).</summary>
    public readonly ulong ReservedBytes => _reservation?.Size ?? 0;

    /// <summary>Bytes of table: the committed static table, or the root-pointer array plus the allocated roots.</summary>
    public readonly ulong Bytes => _extreme ? _rootBytes : _reservation!.CommittedBytes;

    /// <summary>Bytes of allocated roots, without the root-pointer array (0 without EXTREME).</summary>
    public readonly ulong RootBytes => _extreme ? _rootBytes - _nrRoots * (ulong)sizeof(MemSection*) : 0;

    /// <summary>The bytes of one root (<c>SECTIONS_PER_ROOT</c> entries).</summary>
    public readonly ulong BytesPerRoot => (_rootMask + 1) * (ulong)sizeof(MemSection);

    /// <summary>
    /// Allocates the table at boot: with EXTREME the root-pointer array, all null (memblocks_present);
    /// otherwise the static <c>mem_section[NR_MEM_SECTIONS][1]</c> array, which, like the kernel's BSS,
    /// gets memory behind it only where it is touched.
    /// </summary>
    public void Allocate()
    {
        if (_extreme)
        {
            ulong bytes = _nrRoots * (ulong)sizeof(MemSection*);
            _roots = (MemSection**)_blocks.AllocateZeroed(bytes, 64);
            _rootBytes = bytes;
        }
        else
        {
            ulong bytes = _nrMemSections * (ulong)sizeof(MemSection);
            _reservation = VirtualMemoryReservation.Reserve(bytes, "mem_section table");
            _reservation.Commit(0, bytes);
            _table = (MemSection*)_reservation.Base;
        }
    }

    /// <summary>
    /// <c>sparse_index_init</c>: the entry of section <paramref name="nr"/>, allocating (zeroed) the
    /// EXTREME root that holds it on first use. Called under the hotplug lock or at boot.
    /// </summary>
    /// <param name="nr">A section number below <c>NR_MEM_SECTIONS</c>.</param>
    /// <returns>The entry.</returns>
    public MemSection* Ensure(ulong nr)
    {
        if (!_extreme)
        {
            return _table + nr;
        }

        // The kernel allocates the root on the range's node; the host has one pool.
        ulong root = nr >> _rootShift;
        if (_roots[root] == null)
        {
            var block = (MemSection*)_blocks.AllocateZeroed(BytesPerRoot, 64);

            // Published after it is zeroed: a lock-free lookup sees no root, or an empty one.
            Volatile.Write(ref *(nint*)(_roots + root), (nint)block);
            _rootBytes += BytesPerRoot;
            _allocatedRoots++;
        }

        return _roots[root] + (nr & _rootMask);
    }

    /// <summary>
    /// <c>__nr_to_section</c>: the entry of a section, or null when its root is beyond
    /// <c>NR_SECTION_ROOTS</c> or (EXTREME) was never allocated. The root pointer is read with acquire
    /// semantics, pairing with the release store of <see cref="Ensure"/>.
    /// </summary>
    /// <param name="sectionNr">A section number.</param>
    /// <returns>The entry, or null.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly MemSection* NrToSection(ulong sectionNr)
    {
        ulong root = sectionNr >> _rootShift;
        if (root >= _nrRoots)
        {
            return null;
        }

        if (_extreme)
        {
            var block = (MemSection*)Volatile.Read(ref *(nint*)(_roots + root));
            return block == null ? null : block + (sectionNr & _rootMask);
        }

        return _table + sectionNr;
    }

    /// <summary>Whether a missing entry of section <paramref name="nr"/> would need a root allocated, one not counted yet (not <paramref name="lastRoot"/>).</summary>
    /// <param name="nr">A section number whose entry is missing.</param>
    /// <param name="lastRoot">The root last counted; updated when this one is new.</param>
    /// <returns>True when a new root is needed.</returns>
    public readonly bool NeedsNewRoot(ulong nr, ref ulong lastRoot)
    {
        if (!_extreme || nr >> _rootShift == lastRoot)
        {
            return false;
        }

        lastRoot = nr >> _rootShift;
        return true;
    }

    /// <summary>The first section of the root after the one holding <paramref name="nr"/>: where a walk resumes past a missing root.</summary>
    /// <param name="nr">A section number.</param>
    /// <returns>The section number.</returns>
    public readonly ulong NextRootStart(ulong nr) => ((nr >> _rootShift) + 1) << _rootShift;

    /// <summary>Gives the static table's address space back and forgets the pointers (the roots are freed with the storage's heap).</summary>
    public void Free()
    {
        _reservation?.Dispose();
        _reservation = null;
        _table = null;
        _roots = null;
    }

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
