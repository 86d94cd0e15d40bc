using System;
using System.Threading;

namespace PhysMem;

/// <summary>
/// A read-side critical section of one storage (<see cref="SparseMemory{TPage}.EnterReadSection"/>): while it
/// lasts, no memory that this thread could have reached through the storage is taken away — a memmap
/// or usage block unpublished by a concurrent removal is reclaimed only after every read section that
/// began before the removal has ended. Dispose it once, on the thread that entered it (a
/// <c>using</c> statement does both).
/// </summary>
/// <remarks>
/// The rules are those of RCU readers in the kernel: keep the section short, do not wait for anything
/// inside it (a thread inside a read section that waits for a grace period would wait for itself, so
/// the storage refuses hotplug calls from inside one), do not <c>await</c> across it. Sections nest.
/// </remarks>
public readonly struct ReadSection : IDisposable
{
    private readonly ReaderSlot? _slot;
    private readonly int _depth;

    internal ReadSection(ReaderSlot slot, int depth)
    {
        _slot = slot;
        _depth = depth;
    }

    /// <summary>Leaves the section.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread, twice, or out of nesting order.</exception>
    public void Dispose() => _slot?.Exit(_depth);
}

// One thread's state for one storage: the epoch it entered at (0 when outside any read section) and
// how deeply its sections nest.
internal sealed class ReaderSlot
{
    internal long Epoch;
    internal int Depth;
    internal readonly int ThreadId = Environment.CurrentManagedThreadId;

    internal void Exit(int depth)
    {
        if (Environment.CurrentManagedThreadId != ThreadId || Depth != depth)
        {
            throw new InvalidOperationException("A read section must be left once, on the thread that entered it, innermost first.");
        }

        Depth = depth - 1;
        if (depth == 1)
        {
            // Release: every read inside the section happens before the writer can see it has left.
            Volatile.Write(ref Epoch, 0);
        }
    }
}

// The epoch-based reclamation of one storage. Readers publish the epoch they entered at; a writer
// unpublishes memory, advances the epoch, and frees what it unpublished only once no reader remains
// with an older epoch (one that might have read the old state). Entering is one full fence: the
// reader's slot store and the writer's unpublish are ordered against each other's later reads, so
// either the writer sees the reader, or the reader sees the memory already gone from the tables.
internal sealed class ReaderRegistry : IDisposable
{
    [ThreadStatic]
    private static ReaderRegistry? t_registry;

    [ThreadStatic]
    private static ReaderSlot? t_slot;

    private readonly ThreadLocal<ReaderSlot> _slots = new(() => new ReaderSlot(), trackAllValues: true);
    private long _epoch = 1;

    internal ReadSection Enter()
    {
        ReaderSlot slot = CurrentSlot();
        int depth = ++slot.Depth;
        if (depth == 1)
        {
            Interlocked.Exchange(ref slot.Epoch, Volatile.Read(ref _epoch));
        }

        return new ReadSection(slot, depth);
    }

    internal bool CurrentThreadInside => (t_registry == this ? t_slot! : _slots.IsValueCreated ? _slots.Value! : null)?.Depth > 0;

    // Ends the current epoch: what was unpublished before this call is reclaimable once no reader
    // has an epoch below the value returned.
    internal long Advance() => Interlocked.Increment(ref _epoch);

    // The smallest epoch of a reader inside a section, or long.MaxValue when there is none.
    internal long OldestReader()
    {
        Interlocked.MemoryBarrier();
        long oldest = long.MaxValue;
        foreach (var slot in _slots.Values)
        {
            long e = Volatile.Read(ref slot.Epoch);
            if (e != 0 && e < oldest)
            {
                oldest = e;
            }
        }

        return oldest;
    }

    // Waits until no reader entered before 'epoch' is still inside; false on timeout.
    internal bool WaitForReadersBefore(long epoch, TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var spin = default(SpinWait);
        while (OldestReader() < epoch)
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }

        return true;
    }

    public void Dispose()
    {
        if (t_registry == this)
        {
            t_registry = null;
            t_slot = null;
        }

        _slots.Dispose();
    }

    private ReaderSlot CurrentSlot()
    {
        if (t_registry == this)
        {
            return t_slot!;
        }

        ReaderSlot slot = _slots.Value!;
        t_registry = this;
        t_slot = slot;
        return slot;
    }
}
