using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PhysMem;

// Aligned unmanaged blocks owned by one storage object: freed one by one, or all together. The
// table itself is managed and has no finalizer, so the owner's finalizer may still walk it. Every
// block is counted in NativeAccounting while it lives.
internal sealed unsafe class NativeBlocks
{
    private readonly Dictionary<nint, ulong> _blocks = new();

    internal ulong Bytes { get; private set; }

    internal int Count => _blocks.Count;

    // A zeroed block of 'bytes' bytes aligned to 'alignment' (a power of two).
    internal void* AllocateZeroed(ulong bytes, nuint alignment)
    {
        void* block = NativeMemory.AlignedAlloc((nuint)bytes, alignment);
        NativeMemory.Clear(block, (nuint)bytes);
        _blocks.Add((nint)block, bytes);
        Bytes += bytes;
        NativeAccounting.HeapAllocated(bytes);
        return block;
    }

    // Frees one block this object allocated.
    internal void Free(void* block)
    {
        if (!_blocks.Remove((nint)block, out ulong bytes))
        {
            throw new InvalidOperationException("The block was not allocated here, or was freed already.");
        }

        NativeMemory.AlignedFree(block);
        Bytes -= bytes;
        NativeAccounting.HeapFreed(bytes);
    }

    internal void FreeAll()
    {
        foreach (var (block, bytes) in _blocks)
        {
            NativeMemory.AlignedFree((void*)block);
            NativeAccounting.HeapFreed(bytes);
        }

        _blocks.Clear();
        Bytes = 0;
    }
}
