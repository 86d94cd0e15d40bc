using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace PhysMem;

/// <summary>
/// A range of virtual address space reserved without memory behind it, whose pieces are committed
/// (made readable and writable) and decommitted (given back) on demand: how PhysMem builds a
/// vmemmap that spans the whole physical address space but costs only what is present.
/// </summary>
/// <remarks>
/// Linux and macOS: <c>mmap(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)</c>, then
/// <c>mprotect</c> to commit; anonymous memory is only backed by RAM once touched, and reads as
/// zeros. Decommit drops the pages (<c>madvise(MADV_DONTNEED)</c> on Linux, a fresh
/// <c>MAP_FIXED</c> mapping on macOS) and makes them inaccessible again. Windows:
/// <c>VirtualAlloc(MEM_RESERVE)</c>, <c>MEM_COMMIT</c>, <c>MEM_DECOMMIT</c>. Offsets and lengths are
/// rounded out to the operating system's page size. Committing is serialised; reading and writing
/// committed memory needs no lock.
/// <para>A part can be committed as <em>hosted</em> (<see cref="CommitHosted"/>): memory that stands
/// for pages of the memory being described rather than for host RAM, as a vmemmap part backed by a
/// <c>vmem_altmap</c>. A simulator has no device memory, so the operating system commits those pages
/// like any other (the process-wide native accounting counts them); the reservation counts them in
/// <see cref="HostedBytes"/> instead of <see cref="CommittedBytes"/>.</para>
/// </remarks>
internal sealed unsafe class VirtualMemoryReservation : IDisposable
{
    private readonly IntervalSet _committed = new();

    // The committed parts that stand for the described memory itself; always a subset of _committed.
    private readonly IntervalSet _hosted = new();
    private readonly object _gate = new();
    private readonly ulong _osPageSize;
    private byte* _base;
    private int _disposed;

    private VirtualMemoryReservation(byte* address, ulong size, string purpose, ulong osPageSize)
    {
        _base = address;
        Size = size;
        Purpose = purpose;
        _osPageSize = osPageSize;
    }

    /// <summary>Releases the address space if <see cref="Dispose"/> was not called.</summary>
    ~VirtualMemoryReservation()
    {
        Release();
    }

    /// <summary>The first byte of the reservation.</summary>
    /// <exception cref="ObjectDisposedException">The reservation was released.</exception>
    public byte* Base
    {
        get
        {
            ThrowIfDisposed();
            return _base;
        }
    }

    /// <summary>Bytes reserved: the size asked for, rounded up to the operating system's page size.</summary>
    public ulong Size { get; }

    /// <summary>What the reservation is for (shown in error messages).</summary>
    public string Purpose { get; }

    /// <summary>The operating system's page size: the granularity of commit and decommit.</summary>
    public ulong OsPageSize => _osPageSize;

    /// <summary>Bytes committed now for host memory, each operating-system page counted once however often it was committed; hosted parts (<see cref="HostedBytes"/>) are not counted.</summary>
    public ulong CommittedBytes
    {
        get
        {
            ThrowIfDisposed();
            lock (_gate)
            {
                return _committed.Total - _hosted.Total;
            }
        }
    }

    /// <summary>Bytes committed by <see cref="CommitHosted"/> and not decommitted since.</summary>
    public ulong HostedBytes
    {
        get
        {
            ThrowIfDisposed();
            lock (_gate)
            {
                return _hosted.Total;
            }
        }
    }

    /// <summary>Reserves address space without committing any of it.</summary>
    /// <param name="bytes">Bytes to reserve (rounded up to the operating system's page size).</param>
    /// <param name="purpose">What it is for, e.g. <c>"vmemmap"</c>; named in error messages.</param>
    /// <returns>The reservation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is 0.</exception>
    /// <exception cref="VirtualMemoryException">The operating system refused.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux, macOS or Windows.</exception>
    public static VirtualMemoryReservation Reserve(ulong bytes, string purpose)
    {
        if (bytes == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "A reservation needs at least one byte.");
        }

        purpose ??= "unnamed reservation";
        ulong page = (ulong)Environment.SystemPageSize;
        if (bytes > ulong.MaxValue - (page - 1))
        {
            throw new VirtualMemoryException("reserve", bytes, purpose, 0, "the size is beyond any address space", string.Empty);
        }

        ulong size = (bytes + page - 1) & ~(page - 1);
        if (size > nuint.MaxValue)
        {
            throw new VirtualMemoryException("reserve", bytes, purpose, 0, "the size does not fit this process's address space", string.Empty);
        }

        void* address;
        if (OperatingSystem.IsWindows())
        {
            address = NativeMethods.VirtualAlloc(null, (nuint)size, NativeMethods.MemReserve, NativeMethods.PageNoAccess);
            if (address == null)
            {
                throw Failure("reserve", size, purpose, string.Empty);
            }
        }
        else
        {
            address = NativeMethods.Mmap(null, (nuint)size, NativeMethods.ProtNone, NativeMethods.MapPrivate | AnonymousNoReserveFlags(), -1, 0);
            if (address == NativeMethods.MapFailed)
            {
                throw Failure("reserve", size, purpose, "The address space of this process may be too small, or limited by 'ulimit -v'.");
            }
        }

        NativeAccounting.Reserved(size);
        return new VirtualMemoryReservation((byte*)address, size, purpose, page);
    }

    /// <summary>Makes a part of the reservation readable and writable. New memory reads as zeros.</summary>
    /// <param name="offset">Where the part starts, from <see cref="Base"/> (rounded down to a page).</param>
    /// <param name="length">Its length (the end is rounded up to a page).</param>
    /// <exception cref="ArgumentOutOfRangeException">The part does not lie inside the reservation.</exception>
    /// <exception cref="VirtualMemoryException">The operating system refused.</exception>
    public void Commit(ulong offset, ulong length) => Commit(offset, length, hosted: false);

    /// <summary>
    /// Commits a part that stands for the described memory itself (see the remarks): readable and
    /// writable like <see cref="Commit(ulong, ulong)"/>, counted in <see cref="HostedBytes"/>. The part must start
    /// and end on operating-system pages and none of it may be committed already, so that no page is
    /// both host and hosted memory.
    /// </summary>
    /// <param name="offset">Where the part starts, from <see cref="Base"/>; a multiple of <see cref="OsPageSize"/>.</param>
    /// <param name="length">Its length; a multiple of <see cref="OsPageSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The part does not lie inside the reservation.</exception>
    /// <exception cref="ArgumentException">The part is not page-aligned or is committed in part already.</exception>
    /// <exception cref="VirtualMemoryException">The operating system refused.</exception>
    public void CommitHosted(ulong offset, ulong length) => Commit(offset, length, hosted: true);

    private void Commit(ulong offset, ulong length, bool hosted)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!RoundOut(offset, length, out ulong start, out ulong end))
            {
                return;
            }

            if (hosted && (start != offset || end != offset + length || _committed.Overlaps(start, end)))
            {
                throw new ArgumentException(
                    "A hosted part of the " + Purpose + " reservation must cover whole, uncommitted pages of " + ByteSize.Describe(_osPageSize) + "; [0x"
                    + offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ", +0x" + length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ") does not.",
                    nameof(length));
            }

            bool ok = OperatingSystem.IsWindows()
                ? NativeMethods.VirtualAlloc(_base + start, (nuint)(end - start), NativeMethods.MemCommit, NativeMethods.PageReadWrite) != null
                : NativeMethods.Mprotect(_base + start, (nuint)(end - start), NativeMethods.ProtReadWrite) == 0;
            if (!ok)
            {
                throw Failure("commit", end - start, Purpose, "The part started at offset 0x" + start.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + " of a reservation of " + ByteSize.Describe(Size) + ".");
            }

            NativeAccounting.CommitChanged((long)_committed.Add(start, end));
            if (hosted)
            {
                _hosted.Add(start, end);
            }
        }
    }

    /// <summary>
    /// Gives a part of the reservation back to the operating system and makes it inaccessible; its
    /// contents are lost (it reads as zeros once committed again).
    /// </summary>
    /// <param name="offset">Where the part starts, from <see cref="Base"/> (rounded down to a page).</param>
    /// <param name="length">Its length (the end is rounded up to a page).</param>
    /// <exception cref="ArgumentOutOfRangeException">The part does not lie inside the reservation.</exception>
    /// <exception cref="VirtualMemoryException">The operating system refused.</exception>
    public void Decommit(ulong offset, ulong length)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!RoundOut(offset, length, out ulong start, out ulong end))
            {
                return;
            }

            byte* address = _base + start;
            nuint size = (nuint)(end - start);
            bool ok;
            if (OperatingSystem.IsWindows())
            {
                ok = NativeMethods.VirtualFree(address, size, NativeMethods.MemDecommit) != 0;
            }
            else if (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst())
            {
                // A fresh mapping over the part drops its pages at once (MADV_FREE would be lazy).
                ok = NativeMethods.Mmap(address, size, NativeMethods.ProtNone, NativeMethods.MapPrivate | NativeMethods.MapFixed | AnonymousNoReserveFlags(), -1, 0) == address;
            }
            else
            {
                ok = NativeMethods.Madvise(address, size, NativeMethods.LinuxMadvDontNeed) == 0
                    && NativeMethods.Mprotect(address, size, NativeMethods.ProtNone) == 0;
            }

            if (!ok)
            {
                throw Failure("decommit", end - start, Purpose, string.Empty);
            }

            NativeAccounting.CommitChanged(-(long)_committed.Remove(start, end));
            _hosted.Remove(start, end);
        }
    }

    /// <summary>
    /// Prepares a committed part that is about to be filled whole (a memmap): on Linux it is backed
    /// with transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>, as the kernel maps its own vmemmap
    /// with PMD-sized pages) while the kernel has free 2 MiB blocks for it, and with 4 KiB pages when
    /// it has not (an advised part would then stall in direct compaction), and it is faulted in with
    /// one <c>MADV_POPULATE_WRITE</c> call; see <c>HugePages</c> for the measurements. Hints only; does
    /// nothing elsewhere or when refused.
    /// </summary>
    /// <param name="offset">Where the part starts, from <see cref="Base"/>.</param>
    /// <param name="length">Its length.</param>
    /// <exception cref="ArgumentOutOfRangeException">The part does not lie inside the reservation.</exception>
    public void AdviseHugePages(ulong offset, ulong length) => AdviseHugePages(offset, length, populate: true);

    // As above; without 'populate' the part is only advised, and whoever fills it faults it in.
    internal void AdviseHugePages(ulong offset, ulong length, bool populate)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (RoundOut(offset, length, out ulong start, out ulong end) && _committed.Contains(start, end))
            {
                HugePages.Prepare(_base + start, end - start, populate);
            }
        }
    }

    // As AdviseHugePages without 'populate' for 'count' parts of 'partBytes' bytes back to back from
    // 'offset', part by part in order while free huge pages last, with one call when the parts are
    // whole pages (a boot stretch of section memmaps).
    internal void AdviseHugePageParts(ulong offset, ulong partBytes, int count)
    {
        if (offset % _osPageSize != 0 || partBytes % _osPageSize != 0)
        {
            for (int i = 0; i < count; i++)
            {
                AdviseHugePages(offset + (ulong)i * partBytes, partBytes, populate: false);
            }

            return;
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            if (RoundOut(offset, partBytes * (ulong)count, out ulong start, out ulong end) && _committed.Contains(start, end))
            {
                HugePages.AdviseParts(_base + start, partBytes, count);
            }
        }
    }

    /// <summary>True when every byte of the part is committed.</summary>
    /// <param name="offset">Where the part starts.</param>
    /// <param name="length">Its length.</param>
    /// <returns>True when the whole part (rounded out to pages) is committed.</returns>
    public bool IsCommitted(ulong offset, ulong length)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return RoundOut(offset, length, out ulong start, out ulong end) && _committed.Contains(start, end);
        }
    }

    /// <summary>Releases the whole reservation. Calling it again does nothing.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private static int AnonymousNoReserveFlags()
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
        {
            return NativeMethods.MacMapAnon | NativeMethods.MacMapNoReserve;
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsAndroid())
        {
            return NativeMethods.LinuxMapAnonymous
                | (RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le ? NativeMethods.LinuxPowerPcMapNoReserve : NativeMethods.LinuxMapNoReserve);
        }

        throw new PlatformNotSupportedException("VirtualMemoryReservation supports Linux, macOS and Windows; this is " + RuntimeInformation.OSDescription + ".");
    }

    private static VirtualMemoryException Failure(string operation, ulong bytes, string purpose, string detail)
    {
        int error = Marshal.GetLastPInvokeError();
        return new VirtualMemoryException(operation, bytes, purpose, error, Marshal.GetPInvokeErrorMessage(error), detail);
    }

    private bool RoundOut(ulong offset, ulong length, out ulong start, out ulong end)
    {
        if (offset > Size || length > Size - offset)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length),
                "The part [0x" + offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ", +0x" + length.ToString("x", System.Globalization.CultureInfo.InvariantCulture)
                + ") does not lie inside the " + Purpose + " reservation of " + ByteSize.Describe(Size) + ".");
        }

        start = offset & ~(_osPageSize - 1);
        end = (offset + length + _osPageSize - 1) & ~(_osPageSize - 1);
        return length != 0;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        byte* address = _base;
        _base = null;
        if (address == null)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            NativeMethods.VirtualFree(address, 0, NativeMethods.MemRelease);
        }
        else
        {
            NativeMethods.Munmap(address, (nuint)Size);
        }

        // Release runs once (the exchange above); the committed total is only changed under the gate,
        // and nothing commits after _disposed is set.
        ulong committed;
        lock (_gate)
        {
            committed = _committed.Total;
        }

        NativeAccounting.Released(Size, committed);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed != 0)
        {
            throw new ObjectDisposedException(nameof(VirtualMemoryReservation), "The " + Purpose + " reservation was released.");
        }
    }
}
