using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.Conversions;

/// <summary>
/// Every hot operation of one model, in three variants over the same storage and the same streams:
/// the runtime-configured storage (the baseline of each group), the generated code, and the
/// generic-math implementation. One derived class per model supplies the three variants.
/// </summary>
/// <remarks>
/// Method names are <c>Operation_Stream_Variant</c>; the report command
/// (<c>dotnet run -c Release -- report</c>) reads them back to build the tables of RESULTS.md.
/// Operations that take a page (<c>PageToPfn</c>, <c>PageToNid</c>, <c>PageZonenum</c>,
/// <c>SetPageLinks</c>) run over the pages of the stream's pfns, computed before timing. Over the
/// mixed stream only the operations defined for invalid pfns run: <c>PfnValid</c>, and the round
/// trip behind <c>PfnValid</c>.
/// </remarks>
/// <typeparam name="TRuntime">The runtime-configured variant.</typeparam>
/// <typeparam name="TGenerated">The generated variant.</typeparam>
/// <typeparam name="TGenericMath">The generic-math variant.</typeparam>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract unsafe class ModelBenchmarks<TRuntime, TGenerated, TGenericMath> : IDisposable
    where TRuntime : struct, IPageOperations
    where TGenerated : struct, IPageOperations
    where TGenericMath : struct, IPageOperations
{
    /// <summary>Operations per invocation: one pass over a stream.</summary>
    protected const int N = BenchmarkMemory.StreamLength;

    private IDisposable? _model;
    private TRuntime _runtime;
    private TGenerated _generated;
    private TGenericMath _genericMath;
    private ulong[] _random = Array.Empty<ulong>();
    private ulong[] _sequential = Array.Empty<ulong>();
    private ulong[] _mixed = Array.Empty<ulong>();
    private Page*[] _randomPages = new Page*[0];
    private Page*[] _sequentialPages = new Page*[0];
    private LinkInput[] _randomLinks = Array.Empty<LinkInput>();
    private LinkInput[] _sequentialLinks = Array.Empty<LinkInput>();

    /// <summary>Builds the model over <see cref="BenchmarkMemory.Map"/> (or, for DISCONTIGMEM, its banks) and the inputs of every loop.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_model, _runtime, _generated, _genericMath) = Build(BenchmarkMemory.Map);
        var streams = Streams;
        _random = streams.Random;
        _sequential = streams.Sequential;
        _mixed = streams.Mixed;
        (_randomPages, _randomLinks) = Inputs(_random);
        (_sequentialPages, _sequentialLinks) = Inputs(_sequential);
        StreamCheck.AllAgree(_runtime, _generated, _genericMath, streams);
    }

    /// <summary>Frees the model's storage.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _model?.Dispose();
        _model = null;
        GC.SuppressFinalize(this);
    }

    // PfnToPage over the random stream.
    [BenchmarkCategory("PfnToPage.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PfnToPage_Random_Runtime() => Kernels.PfnToPage(_runtime, _random);

    [BenchmarkCategory("PfnToPage.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnToPage_Random_Generated() => Kernels.PfnToPage(_generated, _random);

    [BenchmarkCategory("PfnToPage.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnToPage_Random_GenericMath() => Kernels.PfnToPage(_genericMath, _random);

    // PfnToPage over the sequential stream.
    [BenchmarkCategory("PfnToPage.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PfnToPage_Sequential_Runtime() => Kernels.PfnToPage(_runtime, _sequential);

    [BenchmarkCategory("PfnToPage.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnToPage_Sequential_Generated() => Kernels.PfnToPage(_generated, _sequential);

    [BenchmarkCategory("PfnToPage.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnToPage_Sequential_GenericMath() => Kernels.PfnToPage(_genericMath, _sequential);

    // PageToPfn over the random stream.
    [BenchmarkCategory("PageToPfn.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageToPfn_Random_Runtime() => Kernels.PageToPfn(_runtime, _randomPages);

    [BenchmarkCategory("PageToPfn.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToPfn_Random_Generated() => Kernels.PageToPfn(_generated, _randomPages);

    [BenchmarkCategory("PageToPfn.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToPfn_Random_GenericMath() => Kernels.PageToPfn(_genericMath, _randomPages);

    // PageToPfn over the sequential stream.
    [BenchmarkCategory("PageToPfn.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageToPfn_Sequential_Runtime() => Kernels.PageToPfn(_runtime, _sequentialPages);

    [BenchmarkCategory("PageToPfn.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToPfn_Sequential_Generated() => Kernels.PageToPfn(_generated, _sequentialPages);

    [BenchmarkCategory("PageToPfn.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToPfn_Sequential_GenericMath() => Kernels.PageToPfn(_genericMath, _sequentialPages);

    // PfnValid over the random stream.
    [BenchmarkCategory("PfnValid.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PfnValid_Random_Runtime() => Kernels.PfnValid(_runtime, _random);

    [BenchmarkCategory("PfnValid.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Random_Generated() => Kernels.PfnValid(_generated, _random);

    [BenchmarkCategory("PfnValid.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Random_GenericMath() => Kernels.PfnValid(_genericMath, _random);

    // PfnValid over the sequential stream.
    [BenchmarkCategory("PfnValid.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PfnValid_Sequential_Runtime() => Kernels.PfnValid(_runtime, _sequential);

    [BenchmarkCategory("PfnValid.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Sequential_Generated() => Kernels.PfnValid(_generated, _sequential);

    [BenchmarkCategory("PfnValid.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Sequential_GenericMath() => Kernels.PfnValid(_genericMath, _sequential);

    // PfnValid over the mixed stream.
    [BenchmarkCategory("PfnValid.Mixed")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PfnValid_Mixed_Runtime() => Kernels.PfnValid(_runtime, _mixed);

    [BenchmarkCategory("PfnValid.Mixed")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Mixed_Generated() => Kernels.PfnValid(_generated, _mixed);

    [BenchmarkCategory("PfnValid.Mixed")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PfnValid_Mixed_GenericMath() => Kernels.PfnValid(_genericMath, _mixed);

    // PageToNid over the random stream.
    [BenchmarkCategory("PageToNid.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageToNid_Random_Runtime() => Kernels.PageToNid(_runtime, _randomPages);

    [BenchmarkCategory("PageToNid.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToNid_Random_Generated() => Kernels.PageToNid(_generated, _randomPages);

    [BenchmarkCategory("PageToNid.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToNid_Random_GenericMath() => Kernels.PageToNid(_genericMath, _randomPages);

    // PageToNid over the sequential stream.
    [BenchmarkCategory("PageToNid.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageToNid_Sequential_Runtime() => Kernels.PageToNid(_runtime, _sequentialPages);

    [BenchmarkCategory("PageToNid.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToNid_Sequential_Generated() => Kernels.PageToNid(_generated, _sequentialPages);

    [BenchmarkCategory("PageToNid.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageToNid_Sequential_GenericMath() => Kernels.PageToNid(_genericMath, _sequentialPages);

    // PageZonenum over the random stream.
    [BenchmarkCategory("PageZonenum.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageZonenum_Random_Runtime() => Kernels.PageZonenum(_runtime, _randomPages);

    [BenchmarkCategory("PageZonenum.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageZonenum_Random_Generated() => Kernels.PageZonenum(_generated, _randomPages);

    [BenchmarkCategory("PageZonenum.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageZonenum_Random_GenericMath() => Kernels.PageZonenum(_genericMath, _randomPages);

    // PageZonenum over the sequential stream.
    [BenchmarkCategory("PageZonenum.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong PageZonenum_Sequential_Runtime() => Kernels.PageZonenum(_runtime, _sequentialPages);

    [BenchmarkCategory("PageZonenum.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageZonenum_Sequential_Generated() => Kernels.PageZonenum(_generated, _sequentialPages);

    [BenchmarkCategory("PageZonenum.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong PageZonenum_Sequential_GenericMath() => Kernels.PageZonenum(_genericMath, _sequentialPages);

    // SetPageLinks over the random stream.
    [BenchmarkCategory("SetPageLinks.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void SetPageLinks_Random_Runtime() => Kernels.SetPageLinks(_runtime, _randomLinks);

    [BenchmarkCategory("SetPageLinks.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public void SetPageLinks_Random_Generated() => Kernels.SetPageLinks(_generated, _randomLinks);

    [BenchmarkCategory("SetPageLinks.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public void SetPageLinks_Random_GenericMath() => Kernels.SetPageLinks(_genericMath, _randomLinks);

    // SetPageLinks over the sequential stream.
    [BenchmarkCategory("SetPageLinks.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void SetPageLinks_Sequential_Runtime() => Kernels.SetPageLinks(_runtime, _sequentialLinks);

    [BenchmarkCategory("SetPageLinks.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public void SetPageLinks_Sequential_Generated() => Kernels.SetPageLinks(_generated, _sequentialLinks);

    [BenchmarkCategory("SetPageLinks.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public void SetPageLinks_Sequential_GenericMath() => Kernels.SetPageLinks(_genericMath, _sequentialLinks);

    // RoundTrip over the random stream.
    [BenchmarkCategory("RoundTrip.Random")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong RoundTrip_Random_Runtime() => Kernels.RoundTrip(_runtime, _random);

    [BenchmarkCategory("RoundTrip.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Random_Generated() => Kernels.RoundTrip(_generated, _random);

    [BenchmarkCategory("RoundTrip.Random")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Random_GenericMath() => Kernels.RoundTrip(_genericMath, _random);

    // RoundTrip over the sequential stream.
    [BenchmarkCategory("RoundTrip.Sequential")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong RoundTrip_Sequential_Runtime() => Kernels.RoundTrip(_runtime, _sequential);

    [BenchmarkCategory("RoundTrip.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Sequential_Generated() => Kernels.RoundTrip(_generated, _sequential);

    [BenchmarkCategory("RoundTrip.Sequential")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Sequential_GenericMath() => Kernels.RoundTrip(_genericMath, _sequential);

    // RoundTrip over the mixed stream (pfn_valid first: the stream holds invalid pfns).
    [BenchmarkCategory("RoundTrip.Mixed")]
    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public ulong RoundTrip_Mixed_Runtime() => Kernels.CheckedRoundTrip(_runtime, _mixed);

    [BenchmarkCategory("RoundTrip.Mixed")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Mixed_Generated() => Kernels.CheckedRoundTrip(_generated, _mixed);

    [BenchmarkCategory("RoundTrip.Mixed")]
    [Benchmark(OperationsPerInvoke = N)]
    public ulong RoundTrip_Mixed_GenericMath() => Kernels.CheckedRoundTrip(_genericMath, _mixed);

    /// <summary>The streams over the model's memory: those of <see cref="BenchmarkMemory.Map"/> unless the model has its own memory.</summary>
    protected virtual PfnStreams Streams => BenchmarkMemory.Streams;

    /// <summary>Builds the model (which owns the storage) and the three variants over its storage.</summary>
    /// <param name="map">The memory (a DISCONTIGMEM model builds over its own banks instead).</param>
    /// <returns>The model to dispose, and the variants.</returns>
    protected abstract (IDisposable Model, TRuntime Runtime, TGenerated Generated, TGenericMath GenericMath) Build(MemoryMap map);

    // The page of every pfn, and the links it was given at boot (set_page_links rewrites them).
    private (Page*[] Pages, LinkInput[] Links) Inputs(ulong[] pfns)
    {
        var pages = new Page*[pfns.Length];
        var links = new LinkInput[pfns.Length];
        for (int i = 0; i < pfns.Length; i++)
        {
            Page* page = _generated.PfnToPage(pfns[i]);
            pages[i] = page;
            links[i] = new LinkInput { Page = page, Pfn = pfns[i], Zone = _generated.PageZonenum(page), Nid = _generated.PageToNid(page) };
        }

        return (pages, links);
    }
}
