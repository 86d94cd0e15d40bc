using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PhysMem;

// Aligned unmanaged blocks owned by one storage object, freed together. The list itself is managed
// and has no finalizer, so the owner's finalizer may still walk it.
internal sealed unsafe class NativeBlocks
{
    private readonly List<nint> _blocks = new();

    internal ulong Bytes { get; private set; }

    // A zeroed block of 'bytes' bytes aligned to 'alignment' (a power of two).
    internal void* AllocateZeroed(ulong bytes, nuint alignment)
    {
        void* block = NativeMemory.AlignedAlloc((nuint)bytes, alignment);
        NativeMemory.Clear(block, (nuint)bytes);
        _blocks.Add((nint)block);
        Bytes += bytes;
        return block;
    }

    internal void FreeAll()
    {
        foreach (nint block in _blocks)
        {
            NativeMemory.AlignedFree((void*)block);
        }

        _blocks.Clear();
        Bytes = 0;
    }
}
