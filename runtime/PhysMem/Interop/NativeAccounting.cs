using System.Threading;

namespace PhysMem;

/// <summary>
/// Process-wide counters of the unmanaged memory PhysMem holds: heap blocks (section roots, usage
/// blocks, classic memmaps, node tables) and virtual memory reservations with their committed parts.
/// </summary>
/// <remarks>
/// Every storage object allocates through the same two paths, so once every model is disposed (or
/// finalized) each counter is back where it started; tests use that to find leaks. The counters are
/// updated atomically and can be read from any thread; with several models changing at once a
/// reading is a moment's sum, not a consistent snapshot of all four.
/// </remarks>
internal static class NativeAccounting
{
    private static long s_heapBytes;
    private static long s_heapAllocations;
    private static long s_reservedBytes;
    private static long s_reservations;
    private static long s_committedBytes;

    /// <summary>Bytes of unmanaged heap blocks allocated by PhysMem and not yet freed.</summary>
    public static long HeapBytes => Volatile.Read(ref s_heapBytes);

    /// <summary>Unmanaged heap blocks allocated by PhysMem and not yet freed.</summary>
    public static long HeapAllocations => Volatile.Read(ref s_heapAllocations);

    /// <summary>Bytes of virtual address space reserved by live <see cref="VirtualMemoryReservation"/>s.</summary>
    public static long ReservedBytes => Volatile.Read(ref s_reservedBytes);

    /// <summary>Live <see cref="VirtualMemoryReservation"/>s.</summary>
    public static long Reservations => Volatile.Read(ref s_reservations);

    /// <summary>Bytes committed (readable and writable) inside live reservations.</summary>
    public static long CommittedBytes => Volatile.Read(ref s_committedBytes);

    internal static void HeapAllocated(ulong bytes)
    {
        Interlocked.Add(ref s_heapBytes, (long)bytes);
        Interlocked.Increment(ref s_heapAllocations);
    }

    internal static void HeapFreed(ulong bytes)
    {
        Interlocked.Add(ref s_heapBytes, -(long)bytes);
        Interlocked.Decrement(ref s_heapAllocations);
    }

    internal static void Reserved(ulong bytes)
    {
        Interlocked.Add(ref s_reservedBytes, (long)bytes);
        Interlocked.Increment(ref s_reservations);
    }

    internal static void Released(ulong bytes, ulong stillCommitted)
    {
        Interlocked.Add(ref s_reservedBytes, -(long)bytes);
        Interlocked.Decrement(ref s_reservations);
        Interlocked.Add(ref s_committedBytes, -(long)stillCommitted);
    }

    internal static void CommitChanged(long delta) => Interlocked.Add(ref s_committedBytes, delta);
}
