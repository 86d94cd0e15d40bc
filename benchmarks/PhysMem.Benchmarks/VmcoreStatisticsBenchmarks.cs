using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;

namespace PhysMem.Benchmarks;

/// <summary>
/// Whole-dump page statistics (per node and zone: struct pages, buddy free pages, slab, LRU, the
/// flags histogram) against the limit: reading every struct page's flags word of the memmap straight
/// from the mapped dump, through the same page-table walk. The dump is PHYSMEM_VMCORE (with
/// PHYSMEM_VMCORE_KCONFIG) when set, else the trimmed 6.1 fixture, whose memmap bytes are the full
/// dump's. Each returns the number of struct pages read.
/// </summary>
[MemoryDiagnoser]
public class VmcoreStatisticsBenchmarks
{
    private VmcoreReader _reader = null!;
    private KernelDump _dump = null!;
    private string? _temporary;

    /// <summary>The dump to read instead of PHYSMEM_VMCORE's (the <c>dump-statistics</c> command's <c>--dump</c>).</summary>
    internal string? DumpPath { get; init; }

    /// <summary>Its kernel configuration instead of PHYSMEM_VMCORE_KCONFIG's (<c>--kconfig</c>).</summary>
    internal string? KconfigPath { get; init; }

    [GlobalSetup]
    public void Setup()
    {
        string? dump = DumpPath ?? Environment.GetEnvironmentVariable("PHYSMEM_VMCORE");
        string? kconfig = DumpPath is null ? Environment.GetEnvironmentVariable("PHYSMEM_VMCORE_KCONFIG") : KconfigPath;
        if (string.IsNullOrEmpty(dump))
        {
            string fixture = FindFixture();
            _temporary = Path.GetTempFileName();
            using (var gz = new GZipStream(File.OpenRead(Path.Combine(fixture, "vmcore.gz")), CompressionMode.Decompress))
            using (var to = File.Create(_temporary))
            {
                gz.CopyTo(to);
            }

            dump = _temporary;
            kconfig = Path.Combine(fixture, "config");
        }

        var config = string.IsNullOrEmpty(kconfig) ? null : KconfigReader.Read(File.ReadAllText(kconfig), Path.GetFileName(kconfig));
        _reader = VmcoreReader.Open(dump, config);
        _dump = KernelDump.Open(dump, string.IsNullOrEmpty(kconfig) ? null : kconfig);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _dump.Dispose();
        if (_temporary is not null)
        {
            File.Delete(_temporary);
        }
    }

    /// <summary>The limit: every struct page's flags word, read from the mapping.</summary>
    [Benchmark(Baseline = true)]
    public ulong ReadMemmapFlags()
    {
        var memmap = _reader.Memmap;
        int stride = memmap.StructPageSize;
        ulong pages = 0;
        ulong mix = 0;
        foreach (var s in memmap.PresentSections)
        {
            if (!memmap.IsValid(s))
            {
                continue;
            }

            memmap.ForEachRun(s, (_, bytes) =>
            {
                for (int at = 0; at + stride <= bytes.Length; at += stride)
                {
                    mix ^= BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(at));
                    pages++;
                }
            }, out _);
        }

        // The flags are folded in so the reads are not dropped; the result is the page count.
        return pages + (mix & 0);
    }

    /// <summary>The whole-dump statistics of <c>physmem vmcore</c>.</summary>
    [Benchmark]
    public ulong Statistics() => _reader.Statistics().Pages;

    /// <summary>The same reads through the public walk: <see cref="KernelDump.WalkMemmap{TPage}"/> lends each piece as a span of <see cref="Page"/>.</summary>
    [Benchmark]
    public ulong PublicWalkFlags()
    {
        ulong pages = 0;
        ulong mix = 0;
        _dump.WalkMemmap((ulong _, ReadOnlySpan<Page> span) =>
        {
            foreach (ref readonly Page p in span)
            {
                mix ^= p.Flags;
            }

            pages += (ulong)span.Length;
            return true;
        });
        return pages + (mix & 0);
    }

    /// <summary>The statistics through the public type.</summary>
    [Benchmark]
    public ulong PublicStatistics() => _dump.ComputeStatistics().Pages;

    private static string FindFixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "PhysMem.Tests", "Fixtures", "vmcore", "6.1-4level");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/PhysMem.Tests/Fixtures/vmcore/6.1-4level was not found above " + AppContext.BaseDirectory + "; set PHYSMEM_VMCORE to a dump");
    }
}
