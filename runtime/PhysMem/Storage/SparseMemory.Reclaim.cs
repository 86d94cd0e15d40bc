using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace PhysMem;

/// <summary>Works on one page inside a read section (<see cref="SparseMemory{TPage}.TryWithPage"/>).</summary>
/// <typeparam name="TPage">The frame descriptor type.</typeparam>
/// <param name="page">The page; the reference must not be kept beyond the call.</param>
public delegate void PageAction<TPage>(ref TPage page)
    where TPage : unmanaged;

// Deferred reclamation. A removal unpublishes memory, then retires it: the items of one hotplug call
// share the epoch the call ends. An item is given back (vmemmap decommitted to no-access, a classic
// memmap freed, a usage block put in the reuse pool) once no reader inside a read section entered
// before that epoch. Reclaiming is tried at the end of every hotplug call without waiting;
// Synchronize waits. Usage blocks are never freed before Dispose: a lock-free lookup outside any
// read section may still hold a stale pointer to one, and must find memory there (the kernel gets
// the same from SLAB_TYPESAFE_BY_RCU-like reuse and RCU freeing).
public unsafe partial class SparseMemory<TPage>
{
    private enum RetiredKind
    {
        Vmemmap,
        ClassicMemmap,
        Usage,
    }

    // VMEMMAP: byte offsets of the vmemmap that must stay committed (boot sections whole, hot-added
    // ranges exactly). A retired range is decommitted only in operating-system pages no live range
    // touches, which matters when one page holds the memmaps of two subsections.
    private readonly IntervalSet _liveMemmap = new();
    private readonly List<Retired> _retired = new();
    private readonly List<Retired> _retiring = new();
    private readonly Stack<nint> _usagePool = new();
    private readonly HashSet<nint> _hotUsage = new();

    /// <summary>
    /// Enters a read section (see <see cref="ReadSection"/>): until it is disposed, no page, memmap or
    /// usage block this thread reaches through the storage is decommitted or freed, even if a
    /// concurrent <see cref="RemoveMemory"/> takes it out of the tables. Cheap: one store with a full
    /// fence, no lock. Use it around every lookup-then-dereference that may race a removal.
    /// </summary>
    /// <returns>The section; dispose it on this thread.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ReadSection EnterReadSection()
    {
        ThrowIfDisposed();
        ReadSection section = _readers.Enter();
        if (_closing)
        {
            section.Dispose();
            ThrowDisposed();
        }

        return section;
    }

    /// <summary>
    /// Copies the page of <paramref name="pfn"/> inside a read section, so it is safe against any
    /// concurrent removal.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <param name="page">The copy, or default when the pfn has no page.</param>
    /// <returns>True when <see cref="PfnValid"/> held and the page was copied.</returns>
    public bool TryReadPage(ulong pfn, out TPage page)
    {
        using (EnterReadSection())
        {
            if (!PfnValid(pfn))
            {
                page = default;
                return false;
            }

            page = *PfnToPageCore(pfn);
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the page of <paramref name="pfn"/> inside a read section: the
    /// page stays committed for the whole call, and no reference outlives it.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <param name="action">What to do with the page. It runs inside the read section: no hotplug calls from it.</param>
    /// <returns>True when <see cref="PfnValid"/> held and the action ran.</returns>
    public bool TryWithPage(ulong pfn, PageAction<TPage> action)
    {
        if (action is null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        using (EnterReadSection())
        {
            if (!PfnValid(pfn))
            {
                return false;
            }

            action(ref *PfnToPageCore(pfn));
            return true;
        }
    }

    /// <summary>
    /// <c>synchronize_rcu</c> for this storage: waits until every read section that began before the
    /// call has ended, then gives back everything removals retired. Afterwards
    /// <see cref="GetAccounting"/> shows no pending memmap.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside a read section of this storage (it would wait for itself).</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public void Synchronize() => Synchronize(Timeout.InfiniteTimeSpan);

    /// <summary>As <see cref="Synchronize()"/>, giving up after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait for readers; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>True when the grace period ended and everything retired was given back; false on timeout (what was already safe is given back).</returns>
    /// <exception cref="InvalidOperationException">Called from inside a read section of this storage.</exception>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool Synchronize(TimeSpan timeout)
    {
        lock (_hotplugLock)
        {
            CheckHotplugCall();
            long epoch = _readers.Advance();
            bool done = _readers.WaitForReadersBefore(epoch, timeout);
            TryReclaim();
            return done;
        }
    }

    /// <summary>Everything the storage holds now, in one consistent record (taken under the hotplug lock).</summary>
    /// <returns>The accounting.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemoryAccounting GetAccounting()
    {
        lock (_hotplugLock)
        {
            ThrowIfDisposed();
            int online = 0;
            foreach (ulong nr in _presentSections)
            {
                online += ((ulong)NrToSectionCore(nr)->SectionMemMap & IsOnline) != 0 ? 1 : 0;
            }

            return new MemoryAccounting(
                ReservedBytes: (_vmemmapReservation?.Size ?? 0) + (_tableReservation?.Size ?? 0),
                MemmapBytes: _vmemmap ? _vmemmapReservation!.CommittedBytes : _classicMemmapBytes,
                PendingMemmapBytes: PendingMemmapBytes(),
                SectionTableBytes: _extreme ? _rootBytes : _tableReservation!.CommittedBytes,
                RootBytes: _extreme ? _rootBytes - _nrSectionRoots * (ulong)sizeof(MemSection*) : 0,
                AllocatedRoots: _allocatedRoots,
                UsageBytes: _usageBytes,
                CachedUsageBytes: CachedUsageBytes(),
                HeapBytes: _blocks.Bytes,
                HeapAllocations: _blocks.Count,
                PresentSections: _presentSections.Length,
                OnlineSections: online);
        }
    }

    private void RetireVmemmap(ulong offset, ulong length)
    {
        _liveMemmap.Remove(offset, offset + length);
        _retiring.Add(new Retired(RetiredKind.Vmemmap, offset, length, 0));
    }

    private void RetireClassicMemmap(TPage* memmap, ulong sectionNr) => _retiring.Add(new Retired(RetiredKind.ClassicMemmap, sectionNr, _memmapBytesPerSection, (nint)memmap));

    private void RetireUsage(ulong* usage)
    {
        _hotUsage.Remove((nint)usage);
        _retiring.Add(new Retired(RetiredKind.Usage, 0, _usageStride, (nint)usage));
    }

    // The end of a removal: everything it retired gets one new epoch, taken after all its
    // unpublishing stores (the increment is a full fence).
    private void EndRemoval()
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

    private void TryReclaim()
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
                    DecommitUnused(r.Offset, r.Length);
                    break;
                case RetiredKind.ClassicMemmap:
                    // The word of a removed section still points at this memmap: it becomes 0 now.
                    MemSection* ms = NrToSectionCore(r.Offset);
                    if ((ulong)ms->SectionMemMap == (ulong)EncodeCore((TPage*)r.Block, r.Offset))
                    {
                        Volatile.Write(ref ms->SectionMemMap, 0);
                    }

                    _blocks.Free((void*)r.Block);
                    _classicMemmapBytes -= r.Length;
                    break;
                default:
                    _usagePool.Push(r.Block);
                    break;
            }
        }

        _retired.RemoveRange(kept, _retired.Count - kept);
    }

    // Decommits the operating-system pages of a retired vmemmap range that no live range touches.
    private void DecommitUnused(ulong offset, ulong length)
    {
        ulong page = _vmemmapReservation!.OsPageSize;
        ulong start = offset & ~(page - 1);
        ulong end = (offset + length + page - 1) & ~(page - 1);
        ulong run = start;
        for (ulong p = start; p <= end; p += page)
        {
            if (p == end || _liveMemmap.Overlaps(p, p + page))
            {
                if (p > run)
                {
                    _vmemmapReservation.Decommit(run, p - run);
                }

                run = p + page;
            }
        }
    }

    // Before a hot-add reuses vmemmap that a removal retired and is not yet given back, or (classic)
    // replaces the memmap pointer of a section whose old memmap is not yet freed, wait for the grace
    // period: readers of the old life must be gone before the pages are initialised again or the
    // word points elsewhere.
    private void WaitForPendingMemmap(ulong startPfn, ulong endPfn)
    {
        if (_retired.Count == 0)
        {
            return;
        }

        ulong page = _vmemmap ? _vmemmapReservation!.OsPageSize : 1;
        ulong start = startPfn * (ulong)sizeof(TPage) & ~(page - 1);
        ulong end = (endPfn * (ulong)sizeof(TPage) + page - 1) & ~(page - 1);
        long epoch = 0;
        foreach (var r in _retired)
        {
            bool overlaps = r.Kind switch
            {
                RetiredKind.Vmemmap => (r.Offset & ~(page - 1)) < end && start < ((r.Offset + r.Length + page - 1) & ~(page - 1)),
                RetiredKind.ClassicMemmap => r.Offset >= startPfn >> _pfnSectionShift && r.Offset <= (endPfn - 1) >> _pfnSectionShift,
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

    private ulong* AllocateUsage()
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

    // A usage block that was never published goes straight back to the pool.
    private void FreeUsage(ulong* usage)
    {
        _hotUsage.Remove((nint)usage);
        _usagePool.Push((nint)usage);
    }

    private ulong PendingMemmapBytes()
    {
        ulong bytes = 0;
        foreach (var r in _retired)
        {
            bytes += r.Kind == RetiredKind.Usage ? 0 : r.Length;
        }

        return bytes;
    }

    private ulong CachedUsageBytes()
    {
        ulong blocks = (ulong)_usagePool.Count;
        foreach (var r in _retired)
        {
            blocks += r.Kind == RetiredKind.Usage ? 1UL : 0;
        }

        return blocks * _usageStride;
    }

    // Offset: the vmemmap byte offset, or the section number of a classic memmap.
    private readonly record struct Retired(RetiredKind Kind, ulong Offset, ulong Length, nint Block)
    {
        public long Epoch { get; init; }
    }
}
