using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace PhysMem;

/// <summary>One <c>PT_LOAD</c> segment of a core: physical memory from <see cref="PhysStart"/>, held in the file from <see cref="FileOffset"/>.</summary>
/// <param name="PhysStart">The guest physical address (<c>p_paddr</c>).</param>
/// <param name="FileOffset">Where its bytes start in the file (<c>p_offset</c>).</param>
/// <param name="FileSize">How many bytes the file holds (<c>p_filesz</c>).</param>
/// <param name="MemSize">How much memory it covers (<c>p_memsz</c>); beyond <see cref="FileSize"/> it reads as zeros.</param>
internal readonly record struct CoreSegment(ulong PhysStart, ulong FileOffset, ulong FileSize, ulong MemSize)
{
    /// <summary>The first physical address after the segment.</summary>
    public ulong PhysEnd => PhysStart + MemSize;
}

/// <summary>
/// An ELF64 core file (a kdump <c>/proc/vmcore</c> copy, or QEMU's <c>dump-guest-memory</c> output)
/// mapped read-only: its notes, and its <c>PT_LOAD</c> segments sorted by physical address so that a
/// physical address finds its segment by binary search (QEMU's paging dumps hold tens of thousands).
/// The file is opened and mapped for reading only; nothing is ever written to it.
/// </summary>
internal sealed unsafe class ElfCore : IDisposable
{
    private const int ElfHeaderSize = 64;
    private const int PhdrSize = 56;
    private const uint PtLoad = 1;
    private const uint PtNote = 4;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly CoreSegment[] _segments;
    private readonly ulong[] _starts;
    private bool _disposed;

    private ElfCore(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* basePointer, long length)
    {
        Path = path;
        _file = file;
        _view = view;
        _base = basePointer;
        Length = length;
        try
        {
            (_segments, Notes) = ReadHeaders();
        }
        catch
        {
            Dispose();
            throw;
        }

        _starts = new ulong[_segments.Length];
        for (int i = 0; i < _segments.Length; i++)
        {
            _starts[i] = _segments[i].PhysStart;
        }
    }

    /// <summary>The file's name, used in messages.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The <c>PT_LOAD</c> segments, sorted by physical address.</summary>
    public IReadOnlyList<CoreSegment> Segments => _segments;

    /// <summary>Every note, in file order: its name (without the NUL), type and the file range of its descriptor.</summary>
    public IReadOnlyList<(string Name, uint Type, long Offset, int Size)> Notes { get; }

    /// <summary>Receives the frame (<c>address &gt;&gt; 12</c>) of every physical read, when set: what a trimmed copy must keep.</summary>
    public HashSet<ulong>? Recorder { get; set; }

    /// <summary>Maps <paramref name="path"/> for reading and checks its headers.</summary>
    /// <exception cref="VmcoreException">The file is not an ELF64 little-endian x86-64 core, or is truncated.</exception>
    public static ElfCore Open(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET reports a directory as "access denied"; say what it is.
            string why = Directory.Exists(path) ? "it is a directory, not a dump file" : e.Message;
            throw new VmcoreException(path + ": cannot open the dump: " + why, e);
        }

        long length = stream.Length;
        if (length < ElfHeaderSize)
        {
            stream.Dispose();
            throw new VmcoreException(path + ": " + length + " bytes is too short for an ELF header (64 bytes): the dump is truncated or not an ELF core");
        }

        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        MemoryMappedViewAccessor view;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return new ElfCore(path, file, view, pointer + view.PointerOffset, length);
    }

    /// <summary>The descriptor of the first note named <paramref name="name"/>, as text, or null.</summary>
    public string? NoteText(string name)
    {
        foreach (var n in Notes)
        {
            if (n.Name == name)
            {
                return Encoding.ASCII.GetString(_base + n.Offset, n.Size);
            }
        }

        return null;
    }

    /// <summary>The index of the segment holding <paramref name="phys"/>, or -1.</summary>
    public int FindSegment(ulong phys)
    {
        int i = Array.BinarySearch(_starts, phys);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return i >= 0 && phys < _segments[i].PhysEnd ? i : -1;
    }

    /// <summary>Whether every byte of <c>[phys, phys + length)</c> is in the dump.</summary>
    public bool Holds(ulong phys, ulong length)
    {
        while (length > 0)
        {
            int i = FindSegment(phys);
            if (i < 0)
            {
                return false;
            }

            ulong run = Math.Min(length, _segments[i].PhysEnd - phys);
            phys += run;
            length -= run;
        }

        return true;
    }

    /// <summary>
    /// The dump's bytes at <paramref name="phys"/> when all <paramref name="length"/> of them lie in
    /// one segment's file bytes: a read-only view of the mapping, no copy. Empty when they do not.
    /// </summary>
    public ReadOnlySpan<byte> TryView(ulong phys, int length)
    {
        ThrowIfDisposed();
        int i = FindSegment(phys);
        if (i < 0)
        {
            return default;
        }

        var s = _segments[i];
        ulong within = phys - s.PhysStart;
        if (within + (ulong)length > s.FileSize)
        {
            return default;
        }

        Record(phys, (ulong)length);
        return new ReadOnlySpan<byte>(_base + (long)(s.FileOffset + within), length);
    }

    /// <summary>
    /// The dump's bytes from <paramref name="phys"/> up to <paramref name="maxLength"/> of them, as far as
    /// one segment's file bytes go: a read-only view of the mapping, no copy. Empty when
    /// <paramref name="phys"/> is in none; then <paramref name="gap"/> is how far it is to the next byte
    /// the dump holds (<see cref="ulong.MaxValue"/> when none follows), else 0.
    /// </summary>
    public ReadOnlySpan<byte> ViewPrefix(ulong phys, int maxLength, out ulong gap)
    {
        ThrowIfDisposed();
        gap = 0;
        int i = FindSegment(phys);
        if (i >= 0 && phys - _segments[i].PhysStart < _segments[i].FileSize)
        {
            var s = _segments[i];
            ulong within = phys - s.PhysStart;
            int length = (int)Math.Min((ulong)maxLength, s.FileSize - within);
            Record(phys, (ulong)length);
            return new ReadOnlySpan<byte>(_base + (long)(s.FileOffset + within), length);
        }

        // Not held: the gap ends at the end of this segment's memory (bytes beyond its file size), or
        // at the next segment's start.
        int next = Array.BinarySearch(_starts, phys);
        next = next < 0 ? ~next : next + 1;
        gap = i >= 0 ? _segments[i].PhysEnd - phys : next < _starts.Length ? _starts[next] - phys : ulong.MaxValue;
        return default;
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes of physical memory from <paramref name="phys"/>.</summary>
    /// <exception cref="VmcoreException">Some of the bytes are in no segment of the dump.</exception>
    public void Read(ulong phys, Span<byte> destination)
    {
        ThrowIfDisposed();
        ulong at = phys;
        while (destination.Length > 0)
        {
            int i = FindSegment(at);
            if (i < 0)
            {
                throw new VmcoreException(Path + ": physical address 0x" + at.ToString("x") + " (reading " + destination.Length + " bytes from 0x" + phys.ToString("x")
                    + ") is in no PT_LOAD segment of the dump");
            }

            var s = _segments[i];
            ulong within = at - s.PhysStart;
            int run = (int)Math.Min((ulong)destination.Length, s.MemSize - within);
            int fromFile = (int)Math.Min((ulong)run, s.FileSize > within ? s.FileSize - within : 0);
            new ReadOnlySpan<byte>(_base + (long)(s.FileOffset + within), fromFile).CopyTo(destination);
            destination.Slice(fromFile, run - fromFile).Clear();
            Record(at, (ulong)run);
            destination = destination.Slice(run);
            at += (ulong)run;
        }
    }

    /// <summary>Reads a little-endian 64-bit word of physical memory.</summary>
    public ulong ReadU64(ulong phys)
    {
        Span<byte> b = stackalloc byte[8];
        Read(phys, b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    /// <summary>The file's bytes from <paramref name="offset"/> (for copying a note or a segment out).</summary>
    public ReadOnlySpan<byte> FileBytes(long offset, int length) => new(_base + offset, length);

    /// <summary>
    /// Lets an abandoned dump's mapping go: the pointer taken at open holds a reference on the view's
    /// handle, which would otherwise keep the whole file mapped until the process ends. (The handle is
    /// a critical finalizer object, still alive here; its own finalizer then unmaps.)
    /// </summary>
    ~ElfCore()
    {
        if (!_disposed)
        {
            _disposed = true;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Record(ulong phys, ulong length)
    {
        if (Recorder is { } r && length > 0)
        {
            for (ulong f = phys >> 12; f <= (phys + length - 1) >> 12; f++)
            {
                r.Add(f);
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(Path);
        }
    }

    private (CoreSegment[] Segments, List<(string, uint, long, int)> Notes) ReadHeaders()
    {
        var h = new ReadOnlySpan<byte>(_base, ElfHeaderSize);
        if (h[0] != 0x7f || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F')
        {
            throw Bad("it does not start with the ELF magic \\x7fELF (first bytes " + Convert.ToHexString(h.Slice(0, 4)) + ")");
        }

        if (h[4] != 2)
        {
            throw Bad("EI_CLASS is " + h[4] + ", not 2 (ELFCLASS64): only 64-bit dumps are read");
        }

        if (h[5] != 1)
        {
            throw Bad("EI_DATA is " + h[5] + ", not 1 (little-endian)");
        }

        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(16));
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(18));
        if (type != 4)
        {
            throw Bad("e_type is " + type + ", not 4 (ET_CORE): it is not a core dump");
        }

        if (machine != 62)
        {
            throw Bad("e_machine is " + machine + ", not 62 (EM_X86_64): only x86-64 dumps are read");
        }

        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(h.Slice(32));
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(h.Slice(40));
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(54));
        ulong phnum = BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(56));
        if (phentsize != PhdrSize)
        {
            throw Bad("e_phentsize is " + phentsize + ", not 56 (Elf64_Phdr)");
        }

        // PN_XNUM: with 65535 or more program headers the count is in the first section header's sh_info.
        if (phnum == 0xffff)
        {
            CheckRange(shoff, 64, "the first section header (e_phnum is PN_XNUM)");
            phnum = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_base + (long)shoff + 44, 4));
        }

        CheckRange(phoff, phnum * PhdrSize, "the program headers (" + phnum + " of them)");
        var segments = new List<CoreSegment>((int)phnum);
        var notes = new List<(string, uint, long, int)>();
        for (ulong i = 0; i < phnum; i++)
        {
            var p = new ReadOnlySpan<byte>(_base + (long)(phoff + (i * PhdrSize)), PhdrSize);
            uint ptype = BinaryPrimitives.ReadUInt32LittleEndian(p);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(8));
            ulong paddr = BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(24));
            ulong filesz = BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(32));
            ulong memsz = BinaryPrimitives.ReadUInt64LittleEndian(p.Slice(40));
            if (ptype == PtLoad)
            {
                CheckRange(offset, filesz, "PT_LOAD segment " + i + " at physical 0x" + paddr.ToString("x"));
                if (filesz > memsz || paddr + memsz < paddr)
                {
                    throw Bad("PT_LOAD segment " + i + " has p_filesz 0x" + filesz.ToString("x") + " above p_memsz 0x" + memsz.ToString("x") + " or wraps the address space");
                }

                if (memsz > 0)
                {
                    segments.Add(new CoreSegment(paddr, offset, filesz, memsz));
                }
            }
            else if (ptype == PtNote)
            {
                CheckRange(offset, filesz, "PT_NOTE segment " + i);
                ReadNotes(offset, filesz, notes);
            }
        }

        segments.Sort((a, b) => a.PhysStart.CompareTo(b.PhysStart));
        for (int i = 1; i < segments.Count; i++)
        {
            if (segments[i].PhysStart < segments[i - 1].PhysEnd)
            {
                throw Bad("PT_LOAD segments overlap at physical 0x" + segments[i].PhysStart.ToString("x"));
            }
        }

        return (segments.ToArray(), notes);
    }

    private void ReadNotes(ulong offset, ulong size, List<(string, uint, long, int)> notes)
    {
        ulong at = offset;
        ulong end = offset + size;
        while (at + 12 <= end)
        {
            uint namesz = *(uint*)(_base + at);
            uint descsz = *(uint*)(_base + at + 4);
            uint type = *(uint*)(_base + at + 8);
            ulong name = at + 12;
            ulong desc = name + Align4(namesz);
            ulong next = desc + Align4(descsz);
            if (next > end || next < at)
            {
                throw Bad("the note at file offset 0x" + at.ToString("x") + " (namesz " + namesz + ", descsz " + descsz + ") runs past its PT_NOTE segment");
            }

            int nameLength = namesz > 0 && _base[name + namesz - 1] == 0 ? (int)namesz - 1 : (int)namesz;
            notes.Add((Encoding.ASCII.GetString(_base + name, nameLength), type, (long)desc, (int)descsz));
            at = next;
        }
    }

    private static ulong Align4(uint n) => ((ulong)n + 3) & ~3UL;

    private void CheckRange(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)Length || length > (ulong)Length - offset)
        {
            throw Bad(what + " lies at file offset 0x" + offset.ToString("x") + " + 0x" + length.ToString("x") + ", past the end of the file (" + Length
                + " bytes): the dump is truncated");
        }
    }

    private VmcoreException Bad(string why) => new(Path + ": not a readable ELF core: " + why);
}
