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

// The storage's side of deferred reclamation (see GracePeriodReclaimer): read sections, the
// grace period on demand, and giving back the memmaps whose grace period ended.
public unsafe partial class SparseMemory<TPage>
{
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
        if (!_reclaimer.TryEnter(out ReadSection section))
        {
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

            EnsureDeferredInit(pfn, pfn + 1);
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

            EnsureDeferredInit(pfn, pfn + 1);
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
            return _reclaimer.Synchronize(timeout);
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
                ReservedBytes: (_vmemmapReservation?.Size ?? 0) + _sections.ReservedBytes,
                MemmapBytes: _vmemmap ? _vmemmapReservation!.CommittedBytes : _classicMemmapBytes,
                PendingMemmapBytes: _reclaimer.PendingMemmapBytes,
                SectionTableBytes: _sections.Bytes,
                RootBytes: _sections.RootBytes,
                AllocatedRoots: _sections.AllocatedRoots,
                UsageBytes: _reclaimer.UsageBytes,
                CachedUsageBytes: _reclaimer.CachedUsageBytes,
                HeapBytes: _blocks.Bytes,
                HeapAllocations: _blocks.Count,
                PresentSections: _presentSections.Length,
                OnlineSections: online)
            {
                SelfHostedMemmapBytes = _vmemmap ? _vmemmapReservation!.HostedBytes : 0,
            };
        }
    }

    // VMEMMAP: a range leaves the live set when it is retired, so that its pages can be decommitted.
    private void RetireVmemmap(ulong offset, ulong length)
    {
        _liveMemmap.Remove(offset, offset + length);
        _reclaimer.RetireVmemmap(offset, length);
    }

    // Classic: the word of a removed section still points at this memmap: it becomes 0 now.
    private void GiveBackClassicMemmap(ulong sectionNr, nint block, ulong length)
    {
        MemSection* ms = NrToSectionCore(sectionNr);
        if ((ulong)ms->SectionMemMap == (ulong)EncodeCore((TPage*)block, sectionNr))
        {
            Volatile.Write(ref ms->SectionMemMap, 0);
        }

        _blocks.Free((void*)block);
        _classicMemmapBytes -= length;
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
    // period (in operating-system pages of the vmemmap, or sections).
    private void WaitForPendingMemmap(ulong startPfn, ulong endPfn)
    {
        ulong page = _vmemmap ? _vmemmapReservation!.OsPageSize : 1;
        ulong start = startPfn * (ulong)sizeof(TPage) & ~(page - 1);
        ulong end = (endPfn * (ulong)sizeof(TPage) + page - 1) & ~(page - 1);
        _reclaimer.WaitForRetiredOverlapping(start, end, page, startPfn >> _pfnSectionShift, (endPfn - 1) >> _pfnSectionShift);
    }
}
