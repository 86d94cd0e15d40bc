namespace PhysMem.Benchmarks.Operations;

/// <summary>
/// The hot operations of a memory model, as one variant (generated, runtime-configured or
/// generic-math) implements them. Implemented only by structs: the loop kernels in
/// <see cref="Kernels"/> are generic over the implementing struct, so the JIT compiles one copy of
/// each loop per variant and inlines the variant's method into it; the loop is then the same code
/// a hand-written loop over that variant would be.
/// </summary>
public unsafe interface IPageOperations
{
    /// <summary><c>pfn_to_page</c>.</summary>
    Page* PfnToPage(ulong pfn);

    /// <summary><c>page_to_pfn</c>.</summary>
    ulong PageToPfn(Page* page);

    /// <summary><c>pfn_valid</c>.</summary>
    bool PfnValid(ulong pfn);

    /// <summary><c>page_to_nid</c>.</summary>
    int PageToNid(Page* page);

    /// <summary><c>page_zonenum</c>.</summary>
    int PageZonenum(Page* page);

    /// <summary><c>set_page_links</c>: zone, node and (classic SPARSEMEM) section into <c>page-&gt;flags</c>.</summary>
    void SetPageLinks(Page* page, int zone, int nid, ulong pfn);
}
