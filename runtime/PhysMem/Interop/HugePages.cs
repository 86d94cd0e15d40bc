using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace PhysMem;

// How memory that is about to be filled whole (a memmap) is backed, on Linux: with transparent huge
// pages when the kernel has free 2 MiB blocks for it, with 4 KiB pages otherwise, and faulted in with
// one MADV_POPULATE_WRITE call instead of a fault per page. Measured with benchmarks/native's
// start-up program (RESULTS.md, "Start-up"): filling a memmap advised MADV_HUGEPAGE costs one fault
// per 2 MiB and runs 5-40x faster than 4 KiB faults when huge pages are free; when they are not, an
// advised region stalls in direct compaction (THP defrag 'madvise', the distributions' default) and
// took 2.5-3.3 s for 1 GiB against 0.6 s with 4 KiB pages. So the advice is only given while
// /proc/buddyinfo shows enough free blocks of 2 MiB and more; MADV_POPULATE_WRITE (5.14) took the
// 4 KiB path from 1.1 s to 0.44 s for 64 MiB and does no harm to the huge one.
internal static unsafe class HugePages
{
    // PMD size on x86-64, arm64 with 4 KiB pages, riscv, loongarch: where the advice pays.
    internal const ulong Size = 2UL << 20;

    // Blocks left to the rest of the machine: advice stops before the last 128 MiB of free huge pages.
    private const long Margin = 64;

    private const int LinuxMadvPopulateWrite = 23;

    private static readonly object s_gate = new();
    private static long s_budget;
    private static long s_readAt = long.MinValue;

    // True when this is a Linux whose kernel may back anonymous memory with huge pages.
    internal static bool Supported => (OperatingSystem.IsLinux() || OperatingSystem.IsAndroid()) && Environment.SystemPageSize == 4096;

    // Advises huge pages for [address, address + bytes) if the kernel has free 2 MiB blocks for
    // them now, then, if 'populate', faults the whole part in with one call. Hints only: refusals
    // (an old kernel, THP 'never') leave the memory as it was, to be faulted in 4 KiB at a time.
    internal static void Prepare(void* address, ulong bytes, bool populate)
    {
        if (!Supported || bytes == 0)
        {
            return;
        }

        if (bytes >= Size && TakeBudget((long)((bytes + Size - 1) / Size)))
        {
            _ = NativeMethods.Madvise(address, (nuint)bytes, NativeMethods.LinuxMadvHugePage);
        }

        if (populate)
        {
            _ = NativeMethods.Madvise(address, (nuint)bytes, LinuxMadvPopulateWrite);
        }
    }

    // Advises huge pages for the first of 'count' parts of 'partBytes' bytes each, back to back from
    // 'address', as many as the kernel has free 2 MiB blocks for now, with one madvise call: the same
    // parts as Prepare called part by part would advise, at the cost of one call instead of one per
    // part (boot advises every section's memmap, 2048 of them for 256 GiB, on the constructing thread,
    // and a call that splits and merges the mapping took 1-2 us). Never faults anything in.
    internal static void AdviseParts(void* address, ulong partBytes, int count)
    {
        if (!Supported || partBytes < Size || count <= 0)
        {
            return;
        }

        long perPart = (long)((partBytes + Size - 1) / Size);
        long parts = TakeBudget(perPart * count, perPart) / perPart;
        if (parts > 0)
        {
            _ = NativeMethods.Madvise(address, (nuint)(partBytes * (ulong)parts), NativeMethods.LinuxMadvHugePage);
        }
    }

    // Takes 'blocks' free 2 MiB blocks from a budget read from /proc/buddyinfo at most every 100 ms
    // (blocks and hot-added sections ask one by one, thousands of times for a large map).
    private static bool TakeBudget(long blocks) => TakeBudget(blocks, blocks) == blocks;

    // As above, but when the budget holds fewer than 'blocks', takes what it holds in whole multiples
    // of 'unit' blocks; returns the blocks taken.
    private static long TakeBudget(long blocks, long unit)
    {
        lock (s_gate)
        {
            long now = Stopwatch.GetTimestamp();
            if (s_budget < blocks || now - s_readAt > Stopwatch.Frequency / 10)
            {
                s_budget = FreeBlocks() - Margin;
                s_readAt = now;
            }

            long taken = s_budget >= blocks ? blocks : Math.Max(0, s_budget) / unit * unit;
            s_budget -= taken;
            return taken;
        }
    }

    // Free blocks of order 9 and above over every zone, in 2 MiB units; 0 when unreadable.
    private static long FreeBlocks()
    {
        try
        {
            long total = 0;
            foreach (string line in File.ReadLines("/proc/buddyinfo"))
            {
                // "Node 0, zone   Normal  <free blocks of order 0> <order 1> ..."
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int zone = Array.IndexOf(parts, "zone");
                for (int i = zone + 2, order = 0; zone >= 0 && i < parts.Length; i++, order++)
                {
                    if (order >= 9 && long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                    {
                        total += n << (order - 9);
                    }
                }
            }

            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    // Faults in the whole operating-system pages inside [address, address + bytes) with one call, as
    // Prepare does with 'populate'. The boot memmaps are populated here, by the thread that fills them
    // (in parallel, and for deferred sections on the deferred init workers), not where they are mapped.
    internal static void Populate(void* address, ulong bytes)
    {
        if (!Supported)
        {
            return;
        }

        ulong start = ((ulong)address + 4095) & ~4095UL;
        ulong end = ((ulong)address + bytes) & ~4095UL;
        if (end > start)
        {
            _ = NativeMethods.Madvise((void*)start, (nuint)(end - start), LinuxMadvPopulateWrite);
        }
    }

    // An anonymous, zeroed mapping of 'bytes' aligned to Size, prepared as above (faulted in now only
    // when 'populate'); null when mmap refuses.
    internal static void* Map(ulong bytes, bool populate)
    {
        void* block = MapAligned(bytes);
        if (block != null)
        {
            Prepare(block, bytes, populate);
        }

        return block;
    }

    // An anonymous, zeroed mapping of 'bytes' aligned to Size, neither advised nor faulted in; null
    // when mmap refuses.
    internal static void* MapAligned(ulong bytes)
    {
        nuint length = (nuint)(bytes + Size);
        byte* raw = (byte*)NativeMethods.Mmap(null, length, NativeMethods.ProtReadWrite, NativeMethods.MapPrivate | NativeMethods.LinuxMapAnonymous, -1, 0);
        if (raw == NativeMethods.MapFailed)
        {
            return null;
        }

        // Trim to a Size-aligned start, so that every 2 MiB of the block can be one huge page.
        byte* block = (byte*)(((nuint)raw + (nuint)(Size - 1)) & ~(nuint)(Size - 1));
        nuint head = (nuint)(block - raw);
        nuint tail = length - head - (nuint)bytes;
        if (head != 0)
        {
            _ = NativeMethods.Munmap(raw, head);
        }

        if (tail != 0)
        {
            _ = NativeMethods.Munmap(block + bytes, tail);
        }

        return block;
    }

    // Unmaps a block from Map.
    internal static void Unmap(void* block, ulong bytes) => _ = NativeMethods.Munmap(block, (nuint)bytes);
}
