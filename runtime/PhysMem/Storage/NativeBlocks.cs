using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PhysMem;

// Aligned unmanaged blocks owned by one storage object: freed one by one, or all together. The
// table itself is managed and has no finalizer, so the owner's finalizer may still walk it. Every
// block is counted in NativeAccounting while it lives. On Linux a block of 2 MiB or more (a classic
// SPARSEMEM section's memmap) is its own anonymous mapping, backed with huge pages when they are free
// and populated in one call (HugePages says why, with the measurements); the heap would fault it in
// 4 KiB at a time and clear it by hand.
internal sealed unsafe class NativeBlocks
{
    // Block -> (bytes, whether it is a mapping of HugePages.Map rather than a heap block).
    private readonly Dictionary<nint, (ulong Bytes, bool Mapped)> _blocks = new();

    internal ulong Bytes { get; private set; }

    internal int Count => _blocks.Count;

    // A zeroed block of 'bytes' bytes aligned to 'alignment' (a power of two).
    internal void* AllocateZeroed(ulong bytes, nuint alignment)
    {
        // A fresh mapping reads as zeros and is aligned to 2 MiB, which satisfies any alignment asked here.
        void* block = bytes >= HugePages.Size && alignment <= HugePages.Size && HugePages.Supported ? HugePages.Map(bytes) : null;
        bool mapped = block != null;
        if (!mapped)
        {
            block = NativeMemory.AlignedAlloc((nuint)bytes, alignment);
            NativeMemory.Clear(block, (nuint)bytes);
        }

        _blocks.Add((nint)block, (bytes, mapped));
        Bytes += bytes;
        NativeAccounting.HeapAllocated(bytes);
        return block;
    }

    // Frees one block this object allocated.
    internal void Free(void* block)
    {
        if (!_blocks.Remove((nint)block, out var entry))
        {
            throw new InvalidOperationException("The block was not allocated here, or was freed already.");
        }

        Release(block, entry);
        ulong bytes = entry.Bytes;
        Bytes -= bytes;
        NativeAccounting.HeapFreed(bytes);
    }

    internal void FreeAll()
    {
        foreach (var (block, entry) in _blocks)
        {
            Release((void*)block, entry);
            NativeAccounting.HeapFreed(entry.Bytes);
        }

        _blocks.Clear();
        Bytes = 0;
    }

    private static void Release(void* block, (ulong Bytes, bool Mapped) entry)
    {
        if (entry.Mapped)
        {
            HugePages.Unmap(block, entry.Bytes);
        }
        else
        {
            NativeMemory.AlignedFree(block);
        }
    }
}
