using System.Runtime.CompilerServices;
using PhysMem.Benchmarks.Models;

namespace PhysMem.Benchmarks.Operations;

// The generated code, called as a user calls it: through the model instance (instance members)
// or the model type (static members). Each wrapper is one call, inlined into the loop; the
// disassembly in RESULTS.md shows that nothing of the wrapper is left.

/// <summary>The generated FLATMEM model.</summary>
public readonly unsafe struct GeneratedFlat(FlatModel model) : IPageOperations
{
    private readonly FlatModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => FlatModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => FlatModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => FlatModel.SetPageLinks(page, zone, nid, pfn);
}

/// <summary>The generated classic SPARSEMEM model with the static section table.</summary>
public readonly unsafe struct GeneratedClassicStatic(ClassicStaticModel model) : IPageOperations
{
    private readonly ClassicStaticModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => ClassicStaticModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => ClassicStaticModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => ClassicStaticModel.SetPageLinks(page, zone, nid, pfn);
}

/// <summary>The generated classic SPARSEMEM model with SPARSEMEM_EXTREME.</summary>
public readonly unsafe struct GeneratedClassicExtreme(ClassicExtremeModel model) : IPageOperations
{
    private readonly ClassicExtremeModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => ClassicExtremeModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => ClassicExtremeModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => ClassicExtremeModel.SetPageLinks(page, zone, nid, pfn);
}

/// <summary>The generated SPARSEMEM_VMEMMAP model.</summary>
public readonly unsafe struct GeneratedVmemmap(VmemmapModel model) : IPageOperations
{
    private readonly VmemmapModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => VmemmapModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => VmemmapModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => VmemmapModel.SetPageLinks(page, zone, nid, pfn);
}

/// <summary>The generated DISCONTIGMEM model with two nodes.</summary>
public readonly unsafe struct GeneratedDiscontigTwoNode(DiscontigTwoNodeModel model) : IPageOperations
{
    private readonly DiscontigTwoNodeModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => DiscontigTwoNodeModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => DiscontigTwoNodeModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => DiscontigTwoNodeModel.SetPageLinks(page, zone, nid, pfn);
}

/// <summary>The generated DISCONTIGMEM model with eight nodes.</summary>
public readonly unsafe struct GeneratedDiscontigEightNode(DiscontigEightNodeModel model) : IPageOperations
{
    private readonly DiscontigEightNodeModel _model = model;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Page* PfnToPage(ulong pfn) => _model.PfnToPage(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PageToPfn(Page* page) => _model.PageToPfn(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PfnValid(ulong pfn) => _model.PfnValid(pfn);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageToNid(Page* page) => DiscontigEightNodeModel.PageToNid(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PageZonenum(Page* page) => DiscontigEightNodeModel.PageZonenum(page);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetPageLinks(Page* page, int zone, int nid, ulong pfn) => DiscontigEightNodeModel.SetPageLinks(page, zone, nid, pfn);
}
