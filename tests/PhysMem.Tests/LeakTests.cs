using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// The process-wide counters are shared by every storage in the process, so these tests run alone,
// after the parallel ones.
[CollectionDefinition(nameof(ProcessWideCounters), DisableParallelization = true)]
public sealed class ProcessWideCounters
{
}

// No leaks: whatever a storage allocated, reserved or committed — at boot, by hotplug, or waiting
// for a grace period — is given back by Dispose (or by the finalizer of an abandoned storage).
[Collection(nameof(ProcessWideCounters))]
public unsafe class LeakTests
{
    private readonly ITestOutputHelper _output;

    public LeakTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Dispose_ReturnsEveryCounterToWhereItWas(bool vmemmap, bool extreme)
    {
        Settle();
        var before = Counters.Now;
        var mem = Create(vmemmap, extreme);
        mem.AddMemory(Pfn(8), 2 * PagesPerSection, 1);
        mem.AddMemory(Pfn(1280), PagesPerSection, 1); // a new EXTREME root
        mem.OnlineSections(Pfn(8), PagesPerSection);
        if (vmemmap)
        {
            mem.AddMemory(Pfn(10, 3), 5 * PagesPerSubsection, 2);
            mem.AddDeviceMemory(Pfn(32, 8), 8 * PagesPerSubsection, 1);
        }

        // Something still waiting for its grace period when the storage goes.
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            using (mem.EnterReadSection())
            {
                entered.Set();
                release.Wait();
            }
        });
        reader.Start();
        entered.Wait();
        mem.RemoveMemory(Pfn(9), PagesPerSection);
        release.Set();
        reader.Join();

        var accounting = mem.GetAccounting();
        var during = Counters.Now;
        Assert.True(accounting.PendingMemmapBytes > 0);
        Assert.Equal((long)accounting.HeapBytes, during.HeapBytes - before.HeapBytes);
        Assert.Equal(accounting.HeapAllocations, during.HeapAllocations - before.HeapAllocations);
        Assert.Equal((long)accounting.ReservedBytes, during.ReservedBytes - before.ReservedBytes);
        ulong committed = (vmemmap ? accounting.MemmapBytes : 0) + (extreme ? 0 : accounting.SectionTableBytes);
        Assert.Equal((long)committed, during.CommittedBytes - before.CommittedBytes);

        mem.Dispose();

        Assert.Equal(before, Counters.Now);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void RefusedMap_LeavesNothingBehind(bool vmemmap, bool extreme)
    {
        // A range beyond MAX_PHYSMEM_BITS after memory the storage could have started building.
        var map = MemoryMap.FromRanges(new MemoryRange(0x10_0000, 0xc000_0000), new MemoryRange(0x3FFF_F800_0000, 0x4000_0800_0000, 1));
        Settle();
        var before = Counters.Now;
        Assert.Throws<ArgumentException>(() => new SparseMemory(MemoryLayout.Create(Specs.X86_64(vmemmap, extreme, nodesShift: 6)), map));
        Assert.Equal(before, Counters.Now);
    }

    [Fact]
    public void AnAbandonedStorage_IsReleasedByItsFinalizer()
    {
        Settle();
        var before = Counters.Now;

        Abandon();
        Settle();

        Assert.Equal(before, Counters.Now);

        static void Abandon()
        {
            var mem = Create(vmemmap: true, extreme: true);
            mem.AddMemory(Pfn(8), PagesPerSection, 0);
            mem.AddMemory(Pfn(1280, 1), PagesPerSubsection, 0);
            mem.RemoveMemory(Pfn(8), PagesPerSection);
            using (mem.EnterReadSection())
            {
                Assert.True(mem.PfnValid(Pfn(1280, 1)));
            }
        }
    }

    [Fact]
    public void ThousandsOfModels_LeaveTheProcessAsItWas()
    {
        // Small sections keep each model cheap: 4 MiB sections (64 KiB of memmap, 2 subsections),
        // 36-bit physical addresses (a 1 GiB vmemmap reservation, 16384 sections).
        var layouts = new[] { (true, true), (true, false), (false, true), (false, false) };
        var specs = Array.ConvertAll(layouts, v => MemoryLayout.Create(Specs.X86_64(v.Item1, v.Item2, maxPhysmemBits: 36, nodesShift: 2) with { SectionSizeBits = 22 }));
        var map = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_f000), new MemoryRange(0x10_0000, 0x80_0000));
        const ulong Section = 1024;
        for (int i = 0; i < 40; i++)
        {
            Cycle(i);
        }

        Settle();
        var before = Counters.Now;
        var status = ProcStatus();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int Models = 2000;
        for (int i = 0; i < Models; i++)
        {
            Cycle(i);
        }

        Settle();
        var after = ProcStatus();
        _output.WriteLine($"{Models} models in {clock.Elapsed.TotalSeconds:0.00} s; VmRSS {status.Rss / 1024} -> {after.Rss / 1024} MiB, VmSize {status.Size / 1024} -> {after.Size / 1024} MiB");
        Assert.Equal(before, Counters.Now);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(after.Rss - status.Rss < 64 * 1024, $"VmRSS grew from {status.Rss} kB to {after.Rss} kB");
            Assert.True(after.Size - status.Size < 1024 * 1024, $"VmSize grew from {status.Size} kB to {after.Size} kB");
        }

        void Cycle(int i)
        {
            var layout = specs[i % specs.Length];
            using var mem = new SparseMemory(layout, map);
            mem.AddMemory(8 * Section, 2 * Section, 1);
            mem.OnlineSections(8 * Section, Section);
            if (layout.IsVmemmap)
            {
                mem.AddMemory(3000 * Section + 512, 512, 0);
            }

            mem.RemoveMemory(9 * Section, Section);
            using (mem.EnterReadSection())
            {
                _ = mem.PfnValid(8 * Section);
            }
        }
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    // VmRSS and VmSize of this process in kB (zeros where /proc is not there).
    private static (long Rss, long Size) ProcStatus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        long rss = 0;
        long size = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmSize:", StringComparison.Ordinal))
            {
                size = ParseKb(line);
            }
        }

        return (rss, size);

        static long ParseKb(string line) => long.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private readonly record struct Counters(long HeapBytes, long HeapAllocations, long ReservedBytes, long Reservations, long CommittedBytes)
    {
        internal static Counters Now => new(NativeAccounting.HeapBytes, NativeAccounting.HeapAllocations, NativeAccounting.ReservedBytes, NativeAccounting.Reservations, NativeAccounting.CommittedBytes);
    }
}
