using System;
using System.Globalization;
using System.IO;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// Boot advises huge pages for many section memmaps with one call (a stretch of the vmemmap, a run of
/// classic blocks): every part must carry the advice (<c>hg</c> in the mapping's VmFlags in
/// /proc/self/smaps) as if advised one by one, and nothing outside the parts. Checked only on Linux and
/// only while the kernel has enough free 2 MiB blocks, as the advice is given only then.
/// </summary>
public unsafe class HugePageAdviceTests
{
    private const ulong Huge = 2UL << 20;

    [Fact]
    public void Parts_of_a_reservation_advised_together_carry_the_advice_and_their_neighbours_do_not()
    {
        using var r = VirtualMemoryReservation.Reserve(64UL << 20, "advice test");
        r.Commit(0, 32UL << 20);

        r.AdviseHugePageParts(2 * Huge, Huge, 5);

        if (!CanCheck(5))
        {
            return;
        }

        Assert.False(Advised(r.Base + Huge));
        for (ulong part = 2; part < 7; part++)
        {
            Assert.True(Advised(r.Base + part * Huge), "part at " + part * Huge);
            Assert.True(Advised(r.Base + ((part + 1) * Huge) - 1), "end of part at " + part * Huge);
        }

        Assert.False(Advised(r.Base + 7 * Huge));
    }

    [Fact]
    public void Parts_smaller_than_a_huge_page_are_not_advised()
    {
        using var r = VirtualMemoryReservation.Reserve(64UL << 20, "advice test");
        r.Commit(0, 32UL << 20);

        r.AdviseHugePageParts(0, Huge / 2, 16);

        if (!CanCheck(1))
        {
            return;
        }

        Assert.False(Advised(r.Base));
        Assert.False(Advised(r.Base + (8 * Huge) - 1));
    }

    [Fact]
    public void Every_block_of_a_classic_boot_run_carries_the_advice()
    {
        var blocks = new NativeBlocks();
        byte* run = blocks.AllocateUnpopulatedRun(Huge, 3);
        try
        {
            if (run == null || !CanCheck(3))
            {
                return;
            }

            Assert.True(Advised(run));
            Assert.True(Advised(run + Huge + 4096));
            Assert.True(Advised(run + (3 * Huge) - 1));
        }
        finally
        {
            blocks.FreeAll();
        }
    }

    // Whether the advice can be seen: Linux with 4 KiB pages, and free 2 MiB blocks enough for
    // 'blocks' beyond the 64 the advice leaves to the rest of the machine (with room for other tests).
    private static bool CanCheck(int blocks) =>
        OperatingSystem.IsLinux() && Environment.SystemPageSize == 4096 && File.Exists("/proc/buddyinfo") && FreeHugeBlocks() >= blocks + 64 + 256;

    // Free blocks of order 9 and above, in 2 MiB units, as /proc/buddyinfo gives them.
    private static long FreeHugeBlocks()
    {
        long total = 0;
        foreach (string line in File.ReadLines("/proc/buddyinfo"))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int counts = Array.IndexOf(fields, "zone") + 2;
            for (int order = 9; counts > 1 && counts + order < fields.Length; order++)
            {
                total += long.Parse(fields[counts + order], CultureInfo.InvariantCulture) << (order - 9);
            }
        }

        return total;
    }

    // Whether the mapping holding 'address' has VM_HUGEPAGE ("hg" in its VmFlags line).
    private static bool Advised(void* address)
    {
        ulong a = (ulong)address;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = a >= start && a < end;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return Array.IndexOf(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), "hg") > 0;
            }
        }

        throw new InvalidOperationException("No mapping holds 0x" + a.ToString("x", CultureInfo.InvariantCulture) + ".");
    }
}
