using System.Runtime.CompilerServices;

namespace PhysMem.Benchmarks.Operations;

// The runtime-configured ("generic") versions: the storage classes' own methods, with every
// layout value read from a field, and PageFlags for the flag accessors.

/// <summary>A <see cref="SparseMemory"/> and its <see cref="PageFlags"/>, as configured at run time.</summary>
public readonly unsafe struct RuntimeSparse(SparseMemory storage) : IPageOperations
{
    private readonly SparseMemory _storage = storage;
    private readonly PageFlags _flags = storage.PageFlags;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _storage.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _storage.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _storage.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => _storage.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => _flags.Zonenum(page->Flags);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => _flags.SetLinks(ref page->Flags, zone, nid, pfn);
}

/// <summary>A <see cref="FlatMemory"/> and its <see cref="PageFlags"/>, as configured at run time.</summary>
public readonly unsafe struct RuntimeFlat(FlatMemory storage) : IPageOperations
{
    private readonly FlatMemory _storage = storage;
    private readonly PageFlags _flags = storage.PageFlags;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _storage.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _storage.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _storage.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => _flags.Nid(page->Flags);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => _flags.Zonenum(page->Flags);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => _flags.SetLinks(ref page->Flags, zone, nid, pfn);
}

/// <summary>A <see cref="DiscontigMemory"/> and its <see cref="PageFlags"/>, as configured at run time (the node found by binary search over the node spans).</summary>
public readonly unsafe struct RuntimeDiscontig(DiscontigMemory storage) : IPageOperations
{
    private readonly DiscontigMemory _storage = storage;
    private readonly PageFlags _flags = storage.PageFlags;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _storage.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _storage.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _storage.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => _flags.Nid(page->Flags);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => _flags.Zonenum(page->Flags);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => _flags.SetLinks(ref page->Flags, zone, nid, pfn);
}
