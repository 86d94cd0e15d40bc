using System;
using System.Diagnostics.CodeAnalysis;

namespace PhysMem;

/// <summary>
/// One contiguous piece of memmap handed out by <see cref="PageStorage{TPage}.WalkMemmap"/>: every
/// pfn from <see cref="StartPfn"/> up to <see cref="EndPfn"/> is valid, and <c>Pages[i]</c> is the
/// page of <c>StartPfn + i</c>.
/// </summary>
/// <typeparam name="TPage">The frame descriptor type.</typeparam>
public readonly ref struct MemmapChunk<TPage>
    where TPage : unmanaged
{
    /// <summary>A chunk over <paramref name="pages"/>, the first of which is the page of <paramref name="startPfn"/>.</summary>
    /// <param name="startPfn">The pfn of <c>pages[0]</c>.</param>
    /// <param name="pages">The pages.</param>
    public MemmapChunk(ulong startPfn, Span<TPage> pages)
    {
        StartPfn = startPfn;
        Pages = pages;
    }

    /// <summary>The pfn of <c>Pages[0]</c>.</summary>
    public ulong StartPfn { get; }

    /// <summary>The pages, one per pfn, in pfn order (a <see cref="ReadOnlySpan{T}"/> by implicit conversion).</summary>
    public Span<TPage> Pages { get; }

    /// <summary>The pfn after the chunk's last one.</summary>
    public ulong EndPfn => StartPfn + (ulong)Pages.Length;
}

/// <summary>
/// The walk of <see cref="PageStorage{TPage}.WalkMemmap"/>: an allocation-free enumerator (use it in
/// <c>foreach</c>) over the pieces of memmap of the valid pfns of a range, ascending.
/// </summary>
/// <typeparam name="TPage">The frame descriptor type.</typeparam>
public unsafe ref struct MemmapWalk<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>
    where TPage : unmanaged
{
    // A Span holds at most int.MaxValue entries; a longer piece (FLATMEM beyond 8 TiB of 4 KiB
    // pages) is handed out in parts of this many.
    private const ulong MaxChunk = 1UL << 30;

    private readonly PageStorage<TPage> _storage;
    private readonly ulong _endPfn;
    private ulong _next;
    private ulong _start;
    private ulong _count;
    private TPage* _first;

    internal MemmapWalk(PageStorage<TPage> storage, ulong startPfn, ulong endPfn)
    {
        _storage = storage;
        _next = startPfn;
        _endPfn = endPfn;
        _start = 0;
        _count = 0;
        _first = null;
    }

    /// <summary>The chunk the enumerator is on.</summary>
    public readonly MemmapChunk<TPage> Current => new(_start, new Span<TPage>(_first, (int)_count));

    /// <summary>Returns this walk, so it can be used in <c>foreach</c>.</summary>
    /// <returns>This walk.</returns>
    public readonly MemmapWalk<TPage> GetEnumerator() => this;

    /// <summary>Moves to the next chunk.</summary>
    /// <returns>False when no valid pfn is left in the range.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool MoveNext()
    {
        if (_next >= _endPfn || !_storage.NextMemmapPiece(_next, _endPfn, out ulong start, out ulong end, out TPage* first))
        {
            _next = _endPfn;
            return false;
        }

        _start = start;
        _count = Math.Min(end - start, MaxChunk);
        _first = first;
        _next = start + _count;
        return true;
    }
}

/// <summary>
/// The walk of <see cref="PageStorage{TPage}.ValidPfnRanges"/>: an allocation-free enumerator over the
/// maximal runs of valid pfns of a range, as (start, end) pairs with end exclusive, ascending.
/// </summary>
/// <typeparam name="TPage">The frame descriptor type.</typeparam>
public unsafe struct ValidPfnRangeWalk<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>
    where TPage : unmanaged
{
    private readonly PageStorage<TPage> _storage;
    private readonly ulong _endPfn;
    private ulong _next;

    internal ValidPfnRangeWalk(PageStorage<TPage> storage, ulong startPfn, ulong endPfn)
    {
        _storage = storage;
        _next = startPfn;
        _endPfn = endPfn;
        Current = default;
    }

    /// <summary>The run the enumerator is on: its first pfn and the pfn after its last.</summary>
    public (ulong Start, ulong End) Current { get; private set; }

    /// <summary>Returns this walk, so it can be used in <c>foreach</c>.</summary>
    /// <returns>This walk.</returns>
    public readonly ValidPfnRangeWalk<TPage> GetEnumerator() => this;

    /// <summary>Moves to the next run.</summary>
    /// <returns>False when no valid pfn is left in the range.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool MoveNext()
    {
        if (_next >= _endPfn || !_storage.NextMemmapPiece(_next, _endPfn, out ulong start, out ulong end, out _))
        {
            _next = _endPfn;
            return false;
        }

        // Pieces end where the memmap does (a section, a node); a run of valid pfns goes on across them.
        while (end < _endPfn && _storage.NextMemmapPiece(end, _endPfn, out ulong nextStart, out ulong nextEnd, out _) && nextStart == end)
        {
            end = nextEnd;
        }

        Current = (start, end);
        _next = end;
        return true;
    }
}
