using System;
using System.Collections.Generic;
using PhysMem.Benchmarks.Models;

namespace PhysMem.Benchmarks.Operations;

/// <summary>One checksum: what an operation computes over a stream, independent of addresses.</summary>
/// <param name="Operation">The operation, as named in the benchmark methods.</param>
/// <param name="Stream">Random, Sequential or Mixed.</param>
/// <param name="Value">The checksum.</param>
public readonly record struct Checksum(string Operation, string Stream, ulong Value);

/// <summary>
/// Checksums of every operation over every stream, used before timing to check that the variants
/// (and the native C program, which gets them through the export) compute the same thing.
/// </summary>
public static unsafe class StreamCheck
{
    /// <summary>The checksums of one variant. <c>PfnToPage</c> is summed as the flags of the pages it returns, so that it does not depend on where the memmap was allocated.</summary>
    /// <typeparam name="T">The variant.</typeparam>
    /// <param name="ops">The variant.</param>
    /// <param name="streams">The streams.</param>
    /// <returns>The checksums, in a fixed order.</returns>
    public static List<Checksum> Compute<T>(T ops, PfnStreams streams)
        where T : struct, IPageOperations
    {
        ArgumentNullException.ThrowIfNull(streams);
        var sums = new List<Checksum>();
        foreach (var (name, pfns) in new[] { ("Random", streams.Random), ("Sequential", streams.Sequential) })
        {
            ulong flags = 0, pfnSum = 0, valid = 0, nids = 0, zones = 0, links = 0;
            foreach (ulong pfn in pfns)
            {
                Page* page = ops.PfnToPage(pfn);
                flags += page->Flags;
                pfnSum += ops.PageToPfn(page);
                valid += ops.PfnValid(pfn) ? 1UL : 0UL;
                nids += (ulong)ops.PageToNid(page);
                zones += (ulong)ops.PageZonenum(page);
                ops.SetPageLinks(page, ops.PageZonenum(page), ops.PageToNid(page), pfn);
                links += page->Flags;
            }

            sums.Add(new Checksum("PfnToPage", name, flags));
            sums.Add(new Checksum("PageToPfn", name, pfnSum));
            sums.Add(new Checksum("PfnValid", name, valid));
            sums.Add(new Checksum("PageToNid", name, nids));
            sums.Add(new Checksum("PageZonenum", name, zones));
            sums.Add(new Checksum("SetPageLinks", name, links));
            sums.Add(new Checksum("RoundTrip", name, pfnSum));
        }

        ulong mixedValid = 0, mixedRoundTrip = 0;
        foreach (ulong pfn in streams.Mixed)
        {
            if (ops.PfnValid(pfn))
            {
                mixedValid++;
                mixedRoundTrip += ops.PageToPfn(ops.PfnToPage(pfn));
            }
        }

        sums.Add(new Checksum("PfnValid", "Mixed", mixedValid));
        sums.Add(new Checksum("RoundTrip", "Mixed", mixedRoundTrip));
        return sums;
    }

    /// <summary>Throws unless the three variants agree on every checksum and the streams are what they claim to be.</summary>
    /// <typeparam name="TA">First variant.</typeparam>
    /// <typeparam name="TB">Second variant.</typeparam>
    /// <typeparam name="TC">Third variant.</typeparam>
    /// <param name="a">First variant.</param>
    /// <param name="b">Second variant.</param>
    /// <param name="c">Third variant.</param>
    /// <param name="streams">The streams.</param>
    public static void AllAgree<TA, TB, TC>(TA a, TB b, TC c, PfnStreams streams)
        where TA : struct, IPageOperations
        where TB : struct, IPageOperations
        where TC : struct, IPageOperations
    {
        ArgumentNullException.ThrowIfNull(streams);
        var first = Compute(a, streams);
        var second = Compute(b, streams);
        var third = Compute(c, streams);
        for (int i = 0; i < first.Count; i++)
        {
            if (first[i] != second[i] || first[i] != third[i])
            {
                throw new InvalidOperationException($"The variants disagree on {first[i].Operation} over the {first[i].Stream} stream: {first[i].Value}, {second[i].Value}, {third[i].Value}.");
            }
        }

        int n = streams.Random.Length;
        ulong expectInvalid = 0;
        for (int i = 0; i < n; i++)
        {
            expectInvalid += streams.Mixed[i] != streams.Random[i] ? 1UL : 0UL;
        }

        if (first.Find(s => s is { Operation: "PfnValid", Stream: "Random" }).Value != (ulong)n
            || first.Find(s => s is { Operation: "PfnValid", Stream: "Sequential" }).Value != (ulong)n
            || first.Find(s => s is { Operation: "PfnValid", Stream: "Mixed" }).Value != (ulong)n - expectInvalid)
        {
            throw new InvalidOperationException("The random and sequential streams must hold only valid pfns, and the mixed stream's replacements must all be invalid.");
        }
    }
}
