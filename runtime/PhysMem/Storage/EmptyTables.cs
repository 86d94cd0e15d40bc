using System;
using System.Runtime.InteropServices;

namespace PhysMem;

/// <summary>
/// Section tables with no section in them, shared by the whole process and never freed: what a
/// disposed model's table pointers are set to, so that a lookup after <c>Dispose</c> reads an
/// empty table instead of freed memory, takes its miss path, and throws
/// <see cref="ObjectDisposedException"/> there. The hot paths keep no disposed test of their own.
/// </summary>
/// <remarks>
/// One zeroed block serves every size asked for so far; a larger request allocates a larger one (the
/// smaller stays, since disposed models may still point at it). The blocks are allocated zeroed and
/// never written, so the operating system backs them with memory only where they are read (with
/// its shared zero page on Linux). They are not counted in a storage's accounting.
/// </remarks>
public static unsafe class EmptyTables
{
    private static readonly object Gate = new();
    private static byte* s_zeros;
    private static ulong s_bytes;

    /// <summary>A static section table of <paramref name="count"/> entries, every one empty (no flag bits, no memmap, no usage block).</summary>
    /// <param name="count">The entries needed: <c>NR_MEM_SECTIONS</c>.</param>
    /// <returns>The table; valid for the life of the process.</returns>
    /// <exception cref="OutOfMemoryException">The process cannot get that much address space.</exception>
    public static MemSection* Sections(ulong count) => (MemSection*)Zeros(checked(count * (ulong)sizeof(MemSection)));

    /// <summary>A SPARSEMEM_EXTREME root-pointer array of <paramref name="count"/> null roots.</summary>
    /// <param name="count">The roots needed: <c>NR_SECTION_ROOTS</c>.</param>
    /// <returns>The array; valid for the life of the process.</returns>
    /// <exception cref="OutOfMemoryException">The process cannot get that much address space.</exception>
    public static MemSection** Roots(ulong count) => (MemSection**)Zeros(checked(count * (ulong)sizeof(MemSection*)));

    private static byte* Zeros(ulong bytes)
    {
        lock (Gate)
        {
            if (bytes > s_bytes || s_zeros == null)
            {
                ulong size = Math.Max(Math.Max(bytes, 2 * s_bytes), 4096);
                s_zeros = (byte*)NativeMemory.AllocZeroed((nuint)size);
                s_bytes = size;
            }

            return s_zeros;
        }
    }
}
