using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace PhysMem.Benchmarks;

/// <summary>The x86-64 model the QuickStart sample uses, generated.</summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, Vmemmap = true, Extreme = true)]
public partial class X86Vmemmap
{
}

/// <summary>
/// pfn -> page -> pfn over a stream of random present pfns, and pfn_valid over a stream with 10%
/// invalid pfns: the generated model (constants folded) against the runtime-configured storage
/// (the same layout, its values read from fields). Both walk the same memory.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class VmemmapConversionBenchmarks
{
    private const int StreamLength = 4096;
    private X86Vmemmap _generated = null!;
    private SparseMemory _runtime = null!;
    private ulong[] _presentPfns = null!;
    private ulong[] _mixedPfns = null!;

    [GlobalSetup]
    public void Setup()
    {
        var map = MemoryMap.Example;
        _generated = new X86Vmemmap(map);
        _runtime = _generated.Storage;
        var random = new Random(42);
        var present = _runtime.PresentSections;
        _presentPfns = new ulong[StreamLength];
        _mixedPfns = new ulong[StreamLength];
        for (int i = 0; i < StreamLength; i++)
        {
            ulong section = present[random.Next(present.Count)];
            ulong pfn = (section << X86Vmemmap.PfnSectionShift) + (ulong)random.Next((int)X86Vmemmap.PagesPerSection);
            _presentPfns[i] = pfn;
            _mixedPfns[i] = random.Next(10) == 0 ? pfn | (1UL << 40) : pfn;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _generated.Dispose();

    [BenchmarkCategory("RoundTrip")]
    [Benchmark(Baseline = true, OperationsPerInvoke = StreamLength)]
    public ulong RoundTrip_RuntimeConfigured()
    {
        ulong sum = 0;
        foreach (ulong pfn in _presentPfns)
        {
            sum += _runtime.PageToPfn(_runtime.PfnToPage(pfn));
        }

        return sum;
    }

    [BenchmarkCategory("RoundTrip")]
    [Benchmark(OperationsPerInvoke = StreamLength)]
    public ulong RoundTrip_Generated()
    {
        ulong sum = 0;
        var model = _generated;
        foreach (ulong pfn in _presentPfns)
        {
            sum += model.PageToPfn(model.PfnToPage(pfn));
        }

        return sum;
    }

    [BenchmarkCategory("PfnValid")]
    [Benchmark(Baseline = true, OperationsPerInvoke = StreamLength)]
    public int PfnValid_RuntimeConfigured()
    {
        int valid = 0;
        foreach (ulong pfn in _mixedPfns)
        {
            valid += _runtime.PfnValid(pfn) ? 1 : 0;
        }

        return valid;
    }

    [BenchmarkCategory("PfnValid")]
    [Benchmark(OperationsPerInvoke = StreamLength)]
    public int PfnValid_Generated()
    {
        int valid = 0;
        var model = _generated;
        foreach (ulong pfn in _mixedPfns)
        {
            valid += model.PfnValid(pfn) ? 1 : 0;
        }

        return valid;
    }
}
