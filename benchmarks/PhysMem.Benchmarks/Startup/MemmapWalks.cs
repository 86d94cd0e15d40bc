using System;
using System.Runtime.CompilerServices;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.Startup;

/// <summary>What a walk does with each contiguous piece of memmap it is handed.</summary>
public unsafe interface IMemmapVisitor
{
    /// <summary>Visits <paramref name="count"/> struct pages from <paramref name="first"/>.</summary>
    /// <param name="first">The first struct page of the piece.</param>
    /// <param name="count">How many follow it, itself included.</param>
    void Visit(Page* first, ulong count);
}

/// <summary>
/// The walk of the walk benchmark: every struct page of a model's memmap, handed to a visitor one
/// contiguous piece at a time by the storage's own span walk (<see cref="PageStorage{TPage}.WalkMemmap"/>:
/// a present section's memmap, FLATMEM's <c>mem_map</c>, a node's <c>node_mem_map</c>, as
/// <c>Span&lt;Page&gt;</c> with its first pfn), the same for every model.
/// </summary>
public static unsafe class MemmapWalks
{
    /// <summary>Walks every valid pfn's page of <paramref name="storage"/>.</summary>
    /// <typeparam name="TVisitor">The visitor (a struct, so that its loop is compiled for it).</typeparam>
    /// <param name="storage">The model's storage.</param>
    /// <param name="visitor">The visitor.</param>
    public static void Memmap<TVisitor>(PageStorage<Page> storage, ref TVisitor visitor)
        where TVisitor : struct, IMemmapVisitor
    {
        ArgumentNullException.ThrowIfNull(storage);
        foreach (var chunk in storage.WalkMemmap())
        {
            // The visitor's loop runs over a pointer: the span's bounds are the chunk's, checked once here.
            fixed (Page* first = chunk.Pages)
            {
                visitor.Visit(first, (ulong)chunk.Pages.Length);
            }
        }
    }
}

/// <summary>
/// The zone/node count: <c>page_to_nid</c> and <c>page_zonenum</c> of every page, through the
/// generated model's own members (<typeparamref name="TOps"/>), counted per (node, zone).
/// </summary>
/// <typeparam name="TOps">The generated variant of the model (its page-flags members are static and inlined).</typeparam>
/// <param name="ops">The variant.</param>
/// <param name="counts">One cell per (node, zone): <c>counts[nid * zones + zone]</c>.</param>
/// <param name="zones">Zones per node (<c>ZONES_MASK + 1</c>).</param>
public unsafe struct ZoneNodeCounter<TOps>(TOps ops, ulong* counts, int zones) : IMemmapVisitor
    where TOps : struct, IPageOperations
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Visit(Page* first, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            Page* page = first + i;
            counts[(ops.PageToNid(page) * zones) + ops.PageZonenum(page)]++;
        }
    }
}

/// <summary>Collects the flags words as runs of equal values: what the C program rebuilds its memmap from.</summary>
public unsafe struct FlagsRuns : IMemmapVisitor
{
    /// <summary>The runs so far, as "COUNT FLAGS_HEX" lines.</summary>
    public System.Text.StringBuilder Lines;

    private ulong _flags;
    private ulong _count;

    /// <inheritdoc />
    public void Visit(Page* first, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            ulong flags = first[i].Flags;
            if (_count != 0 && flags != _flags)
            {
                Flush();
            }

            _flags = flags;
            _count++;
        }
    }

    /// <summary>Ends the last run.</summary>
    public void Flush()
    {
        if (_count != 0)
        {
            Lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"{_count} {_flags:x}\n");
            _count = 0;
        }
    }
}
