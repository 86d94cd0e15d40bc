using System;
using Xunit;

namespace PhysMem.Tests;

public class LifetimeTests
{
    [Fact]
    public void VmemmapTooLargeForTheAddressSpace_ThrowsWithSizeAndPurpose()
    {
        if (!OperatingSystem.IsLinux() || Environment.Is64BitProcess is false)
        {
            return;
        }

        // 56-bit physical addresses (riscv64): the vmemmap needs 2^29 sections * 2 MiB = 1 PiB, more
        // than the 128 TiB a process's mmap hands out without an address hint.
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true, maxPhysmemBits: 56));

        var e = Assert.Throws<VirtualMemoryException>(() => new SparseMemory(layout, MemoryMap.Example));

        Assert.Contains("vmemmap", e.Message);
        Assert.Contains("(1 PiB)", e.Message);
        Assert.Contains((1UL << 50).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Finalizers_ReleaseUndisposedStorage()
    {
        static WeakReference Abandon()
        {
            var map = MemoryMap.FromRanges(new MemoryRange(0, 256UL << 20));
            var sparse = new SparseMemory(MemoryLayout.Create(Specs.X86_64(vmemmap: false, extreme: true)), map);
            _ = new FlatMemory(MemoryLayout.Create(Specs.Flat()), map);
            _ = VirtualMemoryReservation.Reserve(1UL << 30, "abandoned");
            return new WeakReference(sparse);
        }

        WeakReference weak = Abandon();
        for (int i = 0; i < 3 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(weak.IsAlive);
    }
}
