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

    // A zeroed block of 'bytes' bytes aligned to 'alignment' (a power of two). A mapped block is
    // faulted in at once unless 'populate' is false: then the caller populates it when it fills it
    // (HugePages.Populate), and until then it costs no memory and reads as zeros.
    internal void* AllocateZeroed(ulong bytes, nuint alignment, bool populate = true)
    {
        // A fresh mapping reads as zeros and is aligned to 2 MiB, which satisfies any alignment asked here.
        void* block = bytes >= HugePages.Size && alignment <= HugePages.Size && HugePages.Supported ? HugePages.Map(bytes, populate) : null;
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

    // 'count' zeroed blocks of 'bytes' bytes each, back to back in one mapping, as sparse_init_nid
    // carves a node's memmaps from one buffer: one mmap for a boot run instead of one per section.
    // Each block is still its own (advised for huge pages like one of AllocateZeroed while free ones
    // last, the run's blocks with one call; freed alone by unmapping its part), and none is faulted
    // in: the caller populates a block when it fills it.
    // Null when this cannot be one mapping (not Linux, or blocks that are not whole 4 KiB pages);
    // then the caller allocates block by block.
    internal byte* AllocateUnpopulatedRun(ulong bytes, int count)
    {
        if (!HugePages.Supported || count <= 0 || bytes % 4096 != 0 || bytes < HugePages.Size)
        {
            return null;
        }

        byte* run = (byte*)HugePages.MapAligned(bytes * (ulong)count);
        if (run != null)
        {
            HugePages.AdviseParts(run, bytes, count);
        }

        for (int i = 0; run != null && i < count; i++)
        {
            byte* block = run + (ulong)i * bytes;
            _blocks.Add((nint)block, (bytes, true));
            Bytes += bytes;
            NativeAccounting.HeapAllocated(bytes);
        }

        return run;
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
