using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace PhysMem;

/// <summary>
/// What the three run-time configured storages (<see cref="FlatMemory{TPage}"/>,
/// <see cref="DiscontigMemory{TPage}"/>, <see cref="SparseMemory{TPage}"/>) share: the layout and
/// memory map they were built from, the <c>page-&gt;flags</c> accessors, the zone rule, and the
/// dispose pattern (a finalizer that frees unmanaged memory, a disposed flag every member checks).
/// </summary>
/// <remarks>
/// Nothing here is virtual on a lookup path: the conversions of each storage read its own fields and
/// call <see cref="ThrowIfDisposed"/>, which inlines to one load and one branch. Only the release of
/// the unmanaged memory (<see cref="Dispose(bool)"/>) is virtual.
/// </remarks>
/// <typeparam name="TPage">The frame descriptor: an unmanaged struct with a <c>Flags</c> field (see <see cref="PageDescriptor{TPage}"/>).</typeparam>
public abstract unsafe class PageStorage<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage> : IDisposable
    where TPage : unmanaged
{
    private readonly MemoryLayout _layout;
    private readonly MemoryMap _map;
    private readonly PageFlags _pageFlags;
    private readonly ZoneRule _zoneRule;

    // The name ObjectDisposedException reports; null for the type's full name.
    private readonly string? _disposedName;

    // Plain, not volatile: it is read by every conversion, and a volatile read there would stop the
    // JIT keeping the layout fields in registers across a loop. Dispose is not meant to race lookups.
    private bool _disposed;

    /// <summary>
    /// The constructor prologue of every storage: the arguments are checked (null, the layout's memory
    /// model, a <typeparamref name="TPage"/> that holds the layout's <c>page-&gt;flags</c>) before
    /// anything is kept.
    /// </summary>
    /// <param name="layout">The layout.</param>
    /// <param name="map">The physical memory.</param>
    /// <param name="zoneRule">Which zone each page gets; null for the x86 rule.</param>
    /// <param name="accepts">Whether the layout is of the storage's memory model.</param>
    /// <param name="wrongModel">The start of the message for a layout of another model ("X needs a Y layout"), then the layout, then <paramref name="hint"/>.</param>
    /// <param name="hint">What to use instead, appended to the message (with its leading "; ").</param>
    /// <param name="disposedName">The object name of <see cref="ObjectDisposedException"/>; null for the type's full name.</param>
    private protected PageStorage(MemoryLayout layout, MemoryMap map, ZoneRule? zoneRule, Func<MemoryLayout, bool> accepts, string wrongModel, string hint, string? disposedName)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(map);
        if (!accepts(layout))
        {
            throw new ArgumentException(wrongModel + ", but this one is " + layout.Describe() + hint + ".", nameof(layout));
        }

        PageDescriptor<TPage>.EnsureUsable(layout, nameof(TPage));
        _layout = layout;
        _map = map;
        _pageFlags = new PageFlags(layout);
        _zoneRule = zoneRule ?? new ZoneRule(layout);
        _disposedName = disposedName;
    }

    /// <summary>Frees the unmanaged memory if <see cref="Dispose()"/> was not called.</summary>
    ~PageStorage()
    {
        Dispose(false);
    }

    /// <summary>The layout the storage was built for.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemoryLayout Layout => Checked(_layout);

    /// <summary>The memory map the storage was built from.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemoryMap Map => Checked(_map);

    /// <summary>The <c>page-&gt;flags</c> accessors of <see cref="Layout"/>.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public PageFlags PageFlags => Checked(_pageFlags);

    /// <summary>The rule that gave each page its zone.</summary>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ZoneRule ZoneRule => Checked(_zoneRule);

    /// <summary>The <c>page-&gt;flags</c> accessors without the disposed check, for a member that made it already (a second check is not folded into the first).</summary>
    private protected PageFlags PageFlagsUnchecked => _pageFlags;

    /// <summary>
    /// The memmap of the valid pfns of [<paramref name="startPfn"/>, <paramref name="endPfn"/>) as
    /// contiguous spans, ascending, each with its first pfn: one per section (SPARSEMEM; with VMEMMAP
    /// one per run of populated subsections of a section), one per range of the map (DISCONTIGMEM, and
    /// FLATMEM with <see cref="LayoutSpec.HolesInMemmap"/>), or one for all of <c>mem_map</c> (FLATMEM).
    /// The pages are exactly those <c>PfnValid</c> and <c>PfnToPage</c> give pfn by pfn; the walk
    /// allocates nothing.
    /// </summary>
    /// <remarks>
    /// The walk reads the live tables as it goes, like <c>PfnValid</c>. A span is a reference into the
    /// memmap: while memory may be hot-removed (SPARSEMEM), walk inside a read section
    /// (<c>EnterReadSection</c>) and do not keep a span past it.
    /// </remarks>
    /// <param name="startPfn">The first pfn to consider.</param>
    /// <param name="endPfn">The first pfn not to hand out.</param>
    /// <returns>The walk, for <c>foreach</c>.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public MemmapWalk<TPage> WalkMemmap(ulong startPfn = 0, ulong endPfn = ulong.MaxValue)
    {
        ThrowIfDisposed();
        return new MemmapWalk<TPage>(this, startPfn, endPfn);
    }

    /// <summary>
    /// <c>for_each_valid_pfn</c> by runs: the maximal runs of valid pfns of
    /// [<paramref name="startPfn"/>, <paramref name="endPfn"/>) as (start, end) pairs, end exclusive,
    /// ascending, without allocating. A pfn is in a run exactly when <c>PfnValid</c> holds for it.
    /// </summary>
    /// <param name="startPfn">The first pfn to consider.</param>
    /// <param name="endPfn">The first pfn not to return.</param>
    /// <returns>The walk, for <c>foreach</c>.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public ValidPfnRangeWalk<TPage> ValidPfnRanges(ulong startPfn = 0, ulong endPfn = ulong.MaxValue)
    {
        ThrowIfDisposed();
        return new ValidPfnRangeWalk<TPage>(this, startPfn, endPfn);
    }

    /// <summary>
    /// The first piece of memmap at or after <paramref name="pfn"/>: [<paramref name="start"/>,
    /// <paramref name="end"/>) with <paramref name="end"/> at most <paramref name="endPfn"/>, every pfn
    /// valid and its pages contiguous from <paramref name="first"/>.
    /// </summary>
    /// <param name="pfn">Where to start looking.</param>
    /// <param name="endPfn">The first pfn not to hand out.</param>
    /// <param name="start">The piece's first pfn.</param>
    /// <param name="end">The pfn after its last.</param>
    /// <param name="first">The page of <paramref name="start"/>.</param>
    /// <returns>False when no valid pfn lies in [<paramref name="pfn"/>, <paramref name="endPfn"/>).</returns>
    internal abstract bool NextMemmapPiece(ulong pfn, ulong endPfn, out ulong start, out ulong end, out TPage* first);

    /// <summary>Whether the storage was disposed (or its constructor failed after allocating).</summary>
    private protected bool IsDisposed => _disposed;

    /// <summary>Frees everything the storage holds. Calling it again does nothing.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Gives back the unmanaged memory: from <see cref="Dispose()"/> (<paramref name="disposing"/>
    /// true, which may first wait for readers) or from the finalizer. A storage frees
    /// its memory here once <see cref="TryMarkDisposed"/> says so.
    /// </summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>, false from the finalizer.</param>
    private protected abstract void Dispose(bool disposing);

    /// <summary>
    /// Marks the storage disposed; true the first time, when the caller then frees what the storage
    /// allocated. A constructor that fails after allocating frees through it too.
    /// </summary>
    /// <returns>True when this call marked it; false when it was disposed before.</returns>
    private protected bool TryMarkDisposed()
    {
        if (_disposed)
        {
            return false;
        }

        _disposed = true;
        return true;
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the storage was disposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    /// <summary>A value that needs no lock, read only while the storage is alive.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="value"/>.</returns>
    private protected T Checked<T>(T value)
    {
        ThrowIfDisposed();
        return value;
    }

    /// <summary>Throws the <see cref="ObjectDisposedException"/> of this storage.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private protected void ThrowDisposed() => throw new ObjectDisposedException(_disposedName ?? GetType().FullName);
}
