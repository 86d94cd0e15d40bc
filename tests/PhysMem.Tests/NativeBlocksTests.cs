using System;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// The blocks behind classic SPARSEMEM's section memmaps: a block of 2 MiB or more is its own
/// mapping on Linux (huge pages when free, populated at once) and must still read as zeros, be
/// aligned as asked, hold what is written, and leave the process-wide counters where they were.
/// </summary>
[Collection(nameof(ProcessWideCounters))]
public unsafe class NativeBlocksTests
{
    [Fact]
    public void A_section_sized_block_reads_as_zeros_keeps_writes_and_is_given_back()
    {
        long heapBefore = NativeAccounting.HeapBytes;
        var blocks = new NativeBlocks();
        const ulong Bytes = 2UL << 20;

        byte* block = (byte*)blocks.AllocateZeroed(Bytes, 4096);
        byte* second = (byte*)blocks.AllocateZeroed(3 * Bytes, 64);

        Assert.Equal(0UL, (ulong)block % 4096);
        Assert.Equal(0UL, (ulong)second % 64);
        for (ulong i = 0; i < Bytes; i += 8)
        {
            Assert.Equal(0UL, *(ulong*)(block + i));
            *(ulong*)(block + i) = i;
        }

        for (ulong i = 0; i < 3 * Bytes; i += 4093)
        {
            Assert.Equal(0, second[i]);
        }

        Assert.Equal(8000UL, *(ulong*)(block + 8000));
        Assert.Equal(heapBefore + (long)(4 * Bytes), NativeAccounting.HeapBytes);

        blocks.Free(block);
        Assert.Equal(3 * Bytes, blocks.Bytes);
        blocks.FreeAll();

        Assert.Equal(0, blocks.Count);
        Assert.Equal(heapBefore, NativeAccounting.HeapBytes);
    }

    [Fact]
    public void A_small_block_still_comes_from_the_heap_zeroed()
    {
        var blocks = new NativeBlocks();

        byte* block = (byte*)blocks.AllocateZeroed(4096, 64);

        Assert.Equal(0UL, (ulong)block % 64);
        for (int i = 0; i < 4096; i++)
        {
            Assert.Equal(0, block[i]);
        }

        Assert.Throws<InvalidOperationException>(() => blocks.Free(block + 64));
        blocks.FreeAll();
    }
}
