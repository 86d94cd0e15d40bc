using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace PhysMem;

/// <summary>
/// A kernel's crash dump (an x86-64 ELF vmcore: a kdump <c>/proc/vmcore</c> copy, or QEMU's
/// <c>dump-guest-memory</c>) opened read-only, with the memory model its <c>VMCOREINFO</c> note
/// describes and its memmap read through its own page tables, without debug information.
/// </summary>
/// <remarks>
/// Single pages are copied out of the mapping (<see cref="ReadPage{TPage}"/>, <see cref="CopyPage"/>,
/// <see cref="DescribePage"/>); whole memmaps are lent, the dump's own bytes with no copy, to a visitor
/// for the length of one call (<see cref="WalkMemmap{TPage}"/>), as read-only spans that cannot be kept
/// past it. So nothing a caller holds can outlive <see cref="Dispose"/>, and the file is never written.
/// Reads may run on several threads at once; <see cref="Dispose"/> waits for those in progress. Where node and zone sit in <c>page-&gt;flags</c> is not in the note: pass the
/// kernel's <c>.config</c> to read them (<see cref="FlagsLayoutKnown"/>).
/// </remarks>
public sealed partial class KernelDump : IDisposable
{
    private readonly VmcoreReader _reader;
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.SupportsRecursion);
    private bool _disposed;

    private KernelDump(VmcoreReader reader)
    {
        _reader = reader;
        PageFlags = reader.Model.PageFlags;
    }

    /// <summary>The kernel's release, from the note's <c>OSRELEASE</c>.</summary>
    public string Release => _reader.Dump.Info.OsRelease ?? string.Empty;

    /// <summary>The memory model the dump's kernel booted with: the note's values over the configuration's.</summary>
    public MemoryLayout Layout => _reader.Model.Layout;

    /// <summary>The <c>page-&gt;flags</c> accessors of <see cref="Layout"/>.</summary>
    public PageFlags PageFlags { get; }

    /// <summary>Whether a kernel configuration said where node and zone sit in <c>page-&gt;flags</c>; without one <see cref="PageFlags"/> has the layout's defaults there.</summary>
    public bool FlagsLayoutKnown => _reader.Model.FlagsLayoutKnown;

    /// <summary>The size of the dump's <c>struct page</c> (<c>SIZE(page)</c>), the stride of its memmap.</summary>
    public int StructPageSize => _reader.Memmap.StructPageSize;

    /// <summary>What was assumed or left out in reading the dump, in words.</summary>
    public IReadOnlyList<string> Notes => _reader.Notes;

    /// <summary>Opens a dump read-only.</summary>
    /// <param name="path">The dump.</param>
    /// <param name="kconfigPath">The kernel's <c>.config</c> (where node and zone sit in <c>page-&gt;flags</c>), or null.</param>
    /// <returns>The open dump; dispose it to unmap the file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="VmcoreException">The dump cannot be read as an x86-64 kernel's dump; the message says why, with the values.</exception>
    /// <exception cref="IOException">The configuration cannot be read.</exception>
    /// <exception cref="FormatException">The configuration is not a kernel configuration PhysMem can read (the message names the line), or is over 16 MiB.</exception>
    public static KernelDump Open(string path, string? kconfigPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        KconfigResult? kconfig = null;
        if (kconfigPath is not null)
        {
            kconfig = KconfigReader.Read(ReadConfiguration(kconfigPath), Path.GetFileName(kconfigPath));
            foreach (var problem in kconfig.Problems)
            {
                if (problem.Diagnostic.Descriptor.Severity == LayoutSeverity.Error)
                {
                    throw new FormatException(kconfigPath + ":" + problem.Line + ": " + problem.Diagnostic.Message);
                }
            }
        }

        return new KernelDump(VmcoreReader.Open(path, kconfig));
    }

    /// <summary><c>pfn_valid</c>: whether the dump's kernel has a struct page for <paramref name="pfn"/>.</summary>
    /// <param name="pfn">The page frame number.</param>
    /// <returns>True when the pfn has a page.</returns>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public bool PfnValid(ulong pfn) => Read(() => _reader.Memmap.PfnValid(pfn));

    /// <summary>Copies the struct page of <paramref name="pfn"/> out of the dump.</summary>
    /// <param name="pfn">A valid pfn.</param>
    /// <param name="destination">Receives <see cref="StructPageSize"/> bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="StructPageSize"/>.</exception>
    /// <exception cref="VmcoreException">The page's memory is not in the dump (a trimmed or partial dump).</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public void CopyPage(ulong pfn, Span<byte> destination)
    {
        if (destination.Length < StructPageSize)
        {
            throw new ArgumentException("The destination holds " + destination.Length + " bytes; a struct page of this dump is " + StructPageSize + ".", nameof(destination));
        }

        _gate.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            CheckValid(pfn);
            _reader.Memmap.PfnToPage(pfn).CopyTo(destination);
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    /// <summary>The struct page of <paramref name="pfn"/>, copied into a <typeparamref name="TPage"/> (such as <see cref="Page"/>).</summary>
    /// <typeparam name="TPage">An unmanaged type of exactly <see cref="StructPageSize"/> bytes.</typeparam>
    /// <param name="pfn">A valid pfn.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TPage"/> is not <see cref="StructPageSize"/> bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="VmcoreException">The page's memory is not in the dump.</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public unsafe TPage ReadPage<TPage>(ulong pfn)
        where TPage : unmanaged
    {
        if (sizeof(TPage) != StructPageSize)
        {
            throw new ArgumentException(typeof(TPage).Name + " is " + sizeof(TPage) + " bytes; a struct page of this dump (SIZE(page)) is " + StructPageSize + ".", nameof(TPage));
        }

        TPage page = default;
        CopyPage(pfn, new Span<byte>(&page, sizeof(TPage)));
        return page;
    }

    /// <summary>The <c>page-&gt;flags</c> word of <paramref name="pfn"/> (read it with <see cref="PageFlags"/>).</summary>
    /// <param name="pfn">A valid pfn.</param>
    /// <returns>The word.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn has no page.</exception>
    /// <exception cref="VmcoreException">The page's memory is not in the dump.</exception>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public ulong PageFlagsWord(ulong pfn) => DescribePage(pfn).Flags;

    /// <summary><c>for_each_present_section_nr</c>: the numbers of the dump's present sections, ascending.</summary>
    /// <returns>A list taken now.</returns>
    /// <exception cref="ObjectDisposedException">The dump was disposed.</exception>
    public IReadOnlyList<ulong> PresentSections() => Read(() =>
    {
        var numbers = new List<ulong>();
        foreach (var s in _reader.Memmap.PresentSections)
        {
            numbers.Add(s.Number);
        }

        return numbers;
    });

    /// <summary>Unmaps the dump, after the reads in progress. Calling it again does nothing.</summary>
    /// <exception cref="InvalidOperationException">Called on a thread inside a read of this dump (a <see cref="WalkMemmap{TPage}"/> visitor, or the progress of <see cref="ComputeStatistics"/>), which would wait for itself.</exception>
    public void Dispose()
    {
        if (_gate.IsReadLockHeld)
        {
            throw new InvalidOperationException("Dispose was called from inside a read of this dump on the same thread (a WalkMemmap visitor or a ComputeStatistics progress report); dispose it after the read returns.");
        }

        _gate.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _reader.Dispose();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private T Read<T>(Func<T> read)
    {
        _gate.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return read();
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    // A kernel's .config is well under 1 MiB; reading stops at 16 MiB so that a device such as
    // /dev/zero named by mistake is refused instead of read until memory runs out.
    private static string ReadConfiguration(string path)
    {
        const int Limit = 16 << 20;
        using var reader = new StreamReader(path);
        var buffer = new char[Limit + 1];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        if (read > Limit)
        {
            throw new FormatException(path + ": over 16 MiB, which no kernel configuration is");
        }

        return new string(buffer, 0, read);
    }

    private void CheckValid(ulong pfn)
    {
        if (!_reader.Memmap.PfnValid(pfn))
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), pfn, "pfn 0x" + pfn.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + " has no struct page in this dump (PfnValid is false).");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
