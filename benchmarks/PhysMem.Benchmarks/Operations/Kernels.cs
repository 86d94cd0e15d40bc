using System.Runtime.CompilerServices;

namespace PhysMem.Benchmarks.Operations;

/// <summary>One input of the <c>set_page_links</c> loop: the page, its pfn and the links it already has.</summary>
/// <remarks>One array of these (rather than four arrays) keeps the loop free of bounds checks.</remarks>
public unsafe struct LinkInput
{
    /// <summary>The page.</summary>
    public Page* Page;

    /// <summary>Its pfn.</summary>
    public ulong Pfn;

    /// <summary>Its zone (as the storage set it at boot, so the loop rewrites the same word).</summary>
    public int Zone;

    /// <summary>Its node.</summary>
    public int Nid;
}

/// <summary>
/// The timed loops, written once. Each is inlined into the benchmark method that calls it, so the
/// disassembly of a benchmark method is the loop itself. The native C program runs the same loops
/// over the same streams (benchmarks/native/physmem_bench.c).
/// </summary>
public static unsafe class Kernels
{
    /// <summary>Folds the page addresses of a pfn stream together with xor.</summary>
    /// <remarks>
    /// Xor rather than a sum: with <c>sum += (ulong)(vmemmap + pfn)</c> RyuJIT reassociates the
    /// address arithmetic into the accumulator (<c>add sum,base; add sum,pfn*64</c>), two dependent
    /// adds per element where gcc does one, which halves the loop's throughput for a reason that has
    /// nothing to do with the conversion. Xor cannot be reassociated with the address's add, so both
    /// compilers compute the address and fold it once. The C program does the same.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PfnToPage<T>(T ops, ulong[] pfns)
        where T : struct, IPageOperations
    {
        ulong fold = 0;
        foreach (ulong pfn in pfns)
        {
            fold ^= (ulong)ops.PfnToPage(pfn);
        }

        return fold;
    }

    /// <summary>Sums the pfns of a page stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PageToPfn<T>(T ops, Page*[] pages)
        where T : struct, IPageOperations
    {
        ulong sum = 0;
        foreach (Page* page in pages)
        {
            sum += ops.PageToPfn(page);
        }

        return sum;
    }

    /// <summary>Counts the valid pfns of a stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PfnValid<T>(T ops, ulong[] pfns)
        where T : struct, IPageOperations
    {
        ulong count = 0;
        foreach (ulong pfn in pfns)
        {
            count += ops.PfnValid(pfn) ? 1UL : 0UL;
        }

        return count;
    }

    /// <summary>Sums the nodes of a page stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PageToNid<T>(T ops, Page*[] pages)
        where T : struct, IPageOperations
    {
        ulong sum = 0;
        foreach (Page* page in pages)
        {
            sum += (ulong)ops.PageToNid(page);
        }

        return sum;
    }

    /// <summary>Sums the zones of a page stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PageZonenum<T>(T ops, Page*[] pages)
        where T : struct, IPageOperations
    {
        ulong sum = 0;
        foreach (Page* page in pages)
        {
            sum += (ulong)ops.PageZonenum(page);
        }

        return sum;
    }

    /// <summary>Rewrites the links of every page of a stream (with the values they already hold).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetPageLinks<T>(T ops, LinkInput[] inputs)
        where T : struct, IPageOperations
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            ref readonly LinkInput input = ref inputs[i];
            ops.SetPageLinks(input.Page, input.Zone, input.Nid, input.Pfn);
        }
    }

    /// <summary>Sums <c>page_to_pfn(pfn_to_page(pfn))</c> over a stream of valid pfns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RoundTrip<T>(T ops, ulong[] pfns)
        where T : struct, IPageOperations
    {
        ulong sum = 0;
        foreach (ulong pfn in pfns)
        {
            sum += ops.PageToPfn(ops.PfnToPage(pfn));
        }

        return sum;
    }

    /// <summary>
    /// The round trip as a pfn walker does it over a stream that holds invalid pfns:
    /// <c>if (pfn_valid(pfn))</c> first, as the kernel requires before <c>pfn_to_page</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CheckedRoundTrip<T>(T ops, ulong[] pfns)
        where T : struct, IPageOperations
    {
        ulong sum = 0;
        foreach (ulong pfn in pfns)
        {
            if (ops.PfnValid(pfn))
            {
                sum += ops.PageToPfn(ops.PfnToPage(pfn));
            }
        }

        return sum;
    }
}
