using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace PhysMem;

/// <summary>
/// Deferred reclamation for a SPARSEMEM storage: the reader registry behind its read sections, the
/// memmaps and usage blocks removals retired, and the pool of usage blocks.
/// </summary>
/// <remarks>
/// A removal unpublishes memory, then retires it: the items of one hotplug call share the epoch the
/// call ends (<see cref="EndRemoval"/>). An item is given back (vmemmap decommitted, a classic memmap
/// freed, a usage block put in the reuse pool) once no reader inside a read section entered before
/// that epoch. The storage gives back memmaps itself, through the two callbacks it passes in, since
/// only it knows the vmemmap and the section words. Usage blocks are never freed before the storage
/// is: a lock-free lookup outside any read section may still hold a stale pointer to one, and must
/// find memory there (the kernel gets the same from SLAB_TYPESAFE_BY_RCU-like reuse and RCU freeing).
/// Every call but <see cref="TryEnter"/> runs under the storage's hotplug lock.
/// </remarks>
internal sealed unsafe class GracePeriodReclaimer
{
    private readonly ReaderRegistry _readers = new();
    private readonly List<Retired> _retired = new();
    private readonly List<Retired> _retiring = new();
    private readonly Stack<nint> _usagePool = new();
    private readonly HashSet<nint> _hotUsage = new();
    private readonly NativeBlocks _blocks;
    private readonly ulong _usageStride;
    private readonly ulong _memmapBytesPerSection;
    private readonly Action<ulong, ulong> _giveBackVmemmap;
    private readonly Action<ulong, nint, ulong> _giveBackClassicMemmap;
    private ulong _usageBytes;

    // Set by Close before it waits for readers; a reader entering after that backs out.
    private volatile bool _closing;

    /// <summary>Creates the reclaimer of one storage.</summary>
    /// <param name="blocks">The storage's heap, where usage blocks are allocated.</param>
    /// <param name="usageStride">The bytes of one usage block (subsection map and pageblock flags, 8-byte aligned).</param>
    /// <param name="memmapBytesPerSection">The bytes of one section's memmap.</param>
    /// <param name="giveBackVmemmap">Decommits a retired vmemmap range (byte offset, length) whose grace period ended.</param>
    /// <param name="giveBackClassicMemmap">Frees a retired classic memmap (section number, block, length) whose grace period ended.</param>
    public GracePeriodReclaimer(NativeBlocks blocks, ulong usageStride, ulong memmapBytesPerSection, Action<ulong, ulong> giveBackVmemmap, Action<ulong, nint, ulong> giveBackClassicMemmap)
    {
        _blocks = blocks;
        _usageStride = usageStride;
        _memmapBytesPerSection = memmapBytesPerSection;
        _giveBackVmemmap = giveBackVmemmap;
        _giveBackClassicMemmap = giveBackClassicMemmap;
    }

    private enum RetiredKind
    {
        Vmemmap,
        ClassicMemmap,
        Usage,
    }

    /// <summary>Whether the calling thread is inside a read section of this storage.</summary>
    public bool CurrentThreadInside => _readers.CurrentThreadInside;

    /// <summary>Bytes of usage blocks allocated: the boot buffers and the blocks hot-add allocated.</summary>
    public ulong UsageBytes => Volatile.Read(ref _usageBytes);

    /// <summary>Bytes of memmap retired and not yet given back.</summary>
    public ulong PendingMemmapBytes
    {
        get
        {
            ulong bytes = 0;
            foreach (var r in _retired)
            {
                bytes += r.Kind == RetiredKind.Usage ? 0 : r.Length;
            }

            return bytes;
        }
    }

    /// <summary>Bytes of usage blocks waiting for reuse: in the pool, or retired.</summary>
    public ulong CachedUsageBytes
    {
        get
        {
            ulong blocks = (ulong)_usagePool.Count;
            foreach (var r in _retired)
            {
                blocks += r.Kind == RetiredKind.Usage ? 1UL : 0;
            }

            return blocks * _usageStride;
        }
    }

    /// <summary>Enters a read section, unless the storage is closing.</summary>
    /// <param name="section">The section; dispose it on this thread.</param>
    /// <returns>False when the storage is being disposed (nothing is entered then).</returns>
    public bool TryEnter(out ReadSection section)
    {
        section = _readers.Enter();
        if (_closing)
        {
            section.Dispose();
            section = default;
            return false;
        }

        return true;
    }

    /// <summary>
    /// <c>synchronize_rcu</c>: waits until every read section that began before the call has ended,
    /// then gives back everything retired.
    /// </summary>
    /// <param name="timeout">How long to wait for readers.</param>
    /// <returns>False on timeout (what was already safe is given back).</returns>
    public bool Synchronize(TimeSpan timeout)
    {
        long epoch = _readers.Advance();
        bool done = _readers.WaitForReadersBefore(epoch, timeout);
        TryReclaim();
        return done;
    }

    /// <summary>Stops new read sections and waits for every running one to end (the start of Dispose).</summary>
    public void Close()
    {
        _closing = true;
        Interlocked.MemoryBarrier();
        _readers.WaitForReadersBefore(long.MaxValue, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Retires a vmemmap range (byte offset, length).</summary>
    /// <param name="offset">The byte offset in the vmemmap.</param>
    /// <param name="length">The bytes.</param>
    public void RetireVmemmap(ulong offset, ulong length) => _retiring.Add(new Retired(RetiredKind.Vmemmap, offset, length, 0));

    /// <summary>Retires the classic memmap of a section.</summary>
    /// <param name="memmap">The memmap block.</param>
    /// <param name="sectionNr">The section.</param>
    public void RetireClassicMemmap(void* memmap, ulong sectionNr) => _retiring.Add(new Retired(RetiredKind.ClassicMemmap, sectionNr, _memmapBytesPerSection, (nint)memmap));

    /// <summary>Retires a hot-added usage block.</summary>
    /// <param name="usage">The block.</param>
    public void RetireUsage(ulong* usage)
    {
        _hotUsage.Remove((nint)usage);
        _retiring.Add(new Retired(RetiredKind.Usage, 0, _usageStride, (nint)usage));
    }

    /// <summary>
    /// The end of a removal: everything it retired gets one new epoch, taken after all its
    /// unpublishing stores (the increment is a full fence).
    /// </summary>
    public void EndRemoval()
    {
        if (_retiring.Count == 0)
        {
            return;
        }

        long epoch = _readers.Advance();
        foreach (var r in _retiring)
        {
            _retired.Add(r with { Epoch = epoch });
        }

        _retiring.Clear();
    }

    /// <summary>Gives back, without waiting, everything whose grace period has ended.</summary>
    public void TryReclaim()
    {
        if (_retired.Count == 0)
        {
            return;
        }

        long oldest = _readers.OldestReader();
        int kept = 0;
        for (int i = 0; i < _retired.Count; i++)
        {
            Retired r = _retired[i];
            if (r.Epoch > oldest)
            {
                _retired[kept++] = r;
                continue;
            }

            switch (r.Kind)
            {
                case RetiredKind.Vmemmap:
                    _giveBackVmemmap(r.Offset, r.Length);
                    break;
                case RetiredKind.ClassicMemmap:
                    _giveBackClassicMemmap(r.Offset, r.Block, r.Length);
                    break;
                default:
                    _usagePool.Push(r.Block);
                    break;
            }
        }

        _retired.RemoveRange(kept, _retired.Count - kept);
    }

    /// <summary>
    /// Before a hot-add reuses memmap a removal retired and is not yet given back, waits for its grace
    /// period: readers of the old life must be gone before the pages are initialised again or a
    /// section word points elsewhere.
    /// </summary>
    /// <param name="start">The first vmemmap byte the add will touch, rounded down to <paramref name="page"/>.</param>
    /// <param name="end">The end of that range, rounded up.</param>
    /// <param name="page">The operating-system page size of the vmemmap (1 for classic).</param>
    /// <param name="firstSection">The first section the add touches (classic).</param>
    /// <param name="lastSection">The last section the add touches (classic).</param>
    public void WaitForRetiredOverlapping(ulong start, ulong end, ulong page, ulong firstSection, ulong lastSection)
    {
        if (_retired.Count == 0)
        {
            return;
        }

        long epoch = 0;
        foreach (var r in _retired)
        {
            bool overlaps = r.Kind switch
            {
                RetiredKind.Vmemmap => (r.Offset & ~(page - 1)) < end && start < ((r.Offset + r.Length + page - 1) & ~(page - 1)),
                RetiredKind.ClassicMemmap => r.Offset >= firstSection && r.Offset <= lastSection,
                _ => false,
            };
            if (overlaps)
            {
                epoch = Math.Max(epoch, r.Epoch);
            }
        }

        if (epoch != 0)
        {
            _readers.WaitForReadersBefore(epoch, Timeout.InfiniteTimeSpan);
            TryReclaim();
        }
    }

    /// <summary>The usage blocks of one boot run of sections, in one zeroed buffer.</summary>
    /// <param name="count">How many blocks.</param>
    /// <returns>The buffer; block <c>i</c> starts <c>i * usageStride</c> bytes in.</returns>
    public byte* AllocateBootUsage(int count)
    {
        ulong bytes = (ulong)count * _usageStride;
        byte* usage = (byte*)_blocks.AllocateZeroed(bytes, 64);
        _usageBytes += bytes;
        return usage;
    }

    /// <summary>A zeroed usage block for a hot-added section: from the pool, or newly allocated.</summary>
    /// <returns>The block.</returns>
    public ulong* AllocateUsage()
    {
        ulong* usage;
        if (_usagePool.Count > 0)
        {
            usage = (ulong*)_usagePool.Pop();
            NativeMemory.Clear(usage, (nuint)_usageStride);
        }
        else
        {
            usage = (ulong*)_blocks.AllocateZeroed(_usageStride, 64);
            _usageBytes += _usageStride;
        }

        _hotUsage.Add((nint)usage);
        return usage;
    }

    /// <summary>A usage block that was never published goes straight back to the pool.</summary>
    /// <param name="usage">The block.</param>
    public void FreeUsage(ulong* usage)
    {
        _hotUsage.Remove((nint)usage);
        _usagePool.Push((nint)usage);
    }

    /// <summary>Whether a usage block was hot-added (boot blocks stay with their section).</summary>
    /// <param name="usage">The block.</param>
    /// <returns>True for a block from <see cref="AllocateUsage"/>.</returns>
    public bool IsHotUsage(ulong* usage) => _hotUsage.Contains((nint)usage);

    /// <summary>Forgets everything retired and pooled (their memory goes with the storage's heap) and ends the registry.</summary>
    public void Free()
    {
        _retired.Clear();
        _usagePool.Clear();
        _readers.Dispose();
    }

    // Offset: the vmemmap byte offset, or the section number of a classic memmap.
    private readonly record struct Retired(RetiredKind Kind, ulong Offset, ulong Length, nint Block)
    {
        public long Epoch { get; init; }
    }
}
