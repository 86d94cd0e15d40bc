using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace PhysMem;

/// <summary>
/// Writes a small ELF core from a large one: every note, and of physical memory only the 4 KiB frames
/// a reader recorded (see <see cref="ElfCore.Recorder"/>), merged into runs, one <c>PT_LOAD</c> each.
/// Reading the copy the same way reads the same bytes, so it gives the same report: a test fixture of a
/// few MiB instead of a gigabyte. The copy goes to a new file; the source is only read.
/// </summary>
internal static class VmcoreTrimmer
{
    private const int Frame = 4096;

    /// <summary>Writes the copy.</summary>
    /// <param name="core">The source dump.</param>
    /// <param name="frames">The frames to keep (physical address &gt;&gt; 12).</param>
    /// <param name="path">The new file; it must not exist.</param>
    /// <returns>The bytes written.</returns>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static long Write(ElfCore core, IEnumerable<ulong> frames, string path)
    {
        var saved = core.Recorder;
        core.Recorder = null;
        try
        {
            var pieces = Pieces(core, frames);
            var notes = new MemoryStream();
            foreach (var n in core.Notes)
            {
                WriteNote(notes, n.Name, n.Type, core.FileBytes(n.Offset, n.Size));
            }

            int phnum = pieces.Count + 1;
            ulong dataStart = (ulong)(64 + (56 * phnum));
            ulong notesAt = dataStart;
            ulong at = Align(notesAt + (ulong)notes.Length, Frame);
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            var header = new byte[64];
            header[0] = 0x7f;
            header[1] = (byte)'E';
            header[2] = (byte)'L';
            header[3] = (byte)'F';
            header[4] = 2;
            header[5] = 1;
            header[6] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), 4);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(18), 62);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), 64);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(52), 64);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(54), 56);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(56), checked((ushort)phnum));
            stream.Write(header);
            stream.Write(Phdr(4, notesAt, 0, (ulong)notes.Length));
            var offsets = new List<ulong>();
            foreach (var (phys, length) in pieces)
            {
                offsets.Add(at);
                stream.Write(Phdr(1, at, phys, length));
                at += length;
            }

            notes.Position = 0;
            notes.CopyTo(stream);
            var buffer = new byte[1 << 20];
            for (int i = 0; i < pieces.Count; i++)
            {
                stream.Position = (long)offsets[i];
                var (phys, length) = pieces[i];
                for (ulong done = 0; done < length;)
                {
                    int n = (int)Math.Min((ulong)buffer.Length, length - done);
                    core.Read(phys + done, buffer.AsSpan(0, n));
                    stream.Write(buffer, 0, n);
                    done += (ulong)n;
                }
            }

            return stream.Length;
        }
        finally
        {
            core.Recorder = saved;
        }
    }

    // Runs of adjacent frames, cut where the source's segments end so that every byte written is one the source holds.
    private static List<(ulong Phys, ulong Length)> Pieces(ElfCore core, IEnumerable<ulong> frames)
    {
        var sorted = new List<ulong>(frames);
        sorted.Sort();
        var pieces = new List<(ulong, ulong)>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i + 1;
            while (j < sorted.Count && sorted[j] == sorted[j - 1] + 1)
            {
                j++;
            }

            ulong start = sorted[i] * Frame;
            ulong end = (sorted[j - 1] + 1) * Frame;
            while (start < end)
            {
                int s = core.FindSegment(start);
                if (s < 0)
                {
                    start += Frame - (start % Frame);
                    continue;
                }

                ulong stop = Math.Min(end, core.Segments[s].PhysEnd);
                pieces.Add((start, stop - start));
                start = stop;
            }

            i = j;
        }

        return pieces;
    }

    /// <summary>One Elf64_Phdr: <c>PT_LOAD</c> (1, readable, writable, executable as QEMU writes them) or <c>PT_NOTE</c> (4).</summary>
    internal static byte[] Phdr(uint type, ulong offset, ulong phys, ulong size)
    {
        var p = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(p, type);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), type == 1 ? 7u : 0u);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(8), offset);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(24), phys);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(32), size);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(40), size);
        return p;
    }

    /// <summary>Appends one ELF note (name with its NUL, both parts padded to 4 bytes).</summary>
    internal static void WriteNote(Stream to, string name, uint type, ReadOnlySpan<byte> desc)
    {
        var head = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)name.Length + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), (uint)desc.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), type);
        to.Write(head);
        var n = new byte[Align((ulong)name.Length + 1, 4)];
        System.Text.Encoding.ASCII.GetBytes(name, 0, name.Length, n, 0);
        to.Write(n);
        to.Write(desc);
        to.Write(new byte[Align((ulong)desc.Length, 4) - (ulong)desc.Length]);
    }

    private static ulong Align(ulong value, ulong to) => (value + to - 1) / to * to;
}
