using System;
using System.Runtime.CompilerServices;

namespace PhysMem;

/// <summary>
/// Reads and writes the fields packed into <c>page-&gt;flags</c> for a layout known at run time:
/// zone, node, section, last_cpupid, KASAN tag, LRU generation and references, with the shifts and
/// masks of <see cref="MemoryLayout"/> held in fields (include/linux/mm.h, include/linux/mmzone.h).
/// </summary>
/// <remarks>
/// The generated code does the same with constants; this is the generic baseline. For a 32-bit
/// layout every field lies in the low 32 bits and the high 32 bits are left alone.
/// </remarks>
public sealed class PageFlags
{
    private readonly int _zonesPgshift;
    private readonly ulong _zonesMask;
    private readonly int _nodesPgshift;
    private readonly ulong _nodesMask;
    private readonly int _sectionsPgshift;
    private readonly ulong _sectionsMask;
    private readonly int _zoneidPgshift;
    private readonly ulong _zoneidMask;
    private readonly int _lastCpupidPgshift;
    private readonly ulong _lastCpupidMask;
    private readonly int _kasanTagPgshift;
    private readonly ulong _kasanTagMask;
    private readonly int _lruGenPgoff;
    private readonly ulong _lruGenMask;
    private readonly int _lruRefsPgoff;
    private readonly ulong _lruRefsMask;
    private readonly int _pfnSectionShift;
    private readonly bool _sectionInPageFlags;
    private readonly bool _nodeNotInPageFlags;
    private readonly bool _lastCpupidNotInPageFlags;

    /// <summary>Takes the shifts and masks of a layout.</summary>
    /// <param name="layout">The layout.</param>
    public PageFlags(MemoryLayout layout)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _zonesPgshift = layout.ZonesPgshift;
        _zonesMask = layout.ZonesMask;
        _nodesPgshift = layout.NodesPgshift;
        _nodesMask = layout.NodesMask;
        _sectionsPgshift = layout.SectionsPgshift;
        _sectionsMask = layout.SectionsMask;
        _zoneidPgshift = layout.ZoneidPgshift;
        _zoneidMask = layout.ZoneidMask;
        _lastCpupidPgshift = layout.LastCpupidPgshift;
        _lastCpupidMask = layout.LastCpupidWidth != 0 ? layout.LastCpupidMask : 0;
        _kasanTagPgshift = layout.KasanTagPgshift;
        _kasanTagMask = layout.KasanTagMask;
        _lruGenPgoff = layout.LruGenPgoff;
        _lruGenMask = layout.LruGenMask;
        _lruRefsPgoff = layout.LruRefsPgoff;
        _lruRefsMask = layout.LruRefsMask;
        _pfnSectionShift = layout.PfnSectionShift;
        _sectionInPageFlags = layout.SectionInPageFlags;
        _nodeNotInPageFlags = layout.NodeNotInPageFlags;
        _lastCpupidNotInPageFlags = layout.LastCpupidNotInPageFlags;
    }

    /// <summary>The layout whose fields these are.</summary>
    public MemoryLayout Layout { get; }

    /// <summary><c>page_zonenum</c>: the zone index.</summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The zone index.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Zonenum(ulong flags) => (int)((flags >> _zonesPgshift) & _zonesMask);

    /// <summary><c>page_zone_id</c>: node and zone (or section and zone) as one number.</summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The zone id.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ZoneId(ulong flags) => (flags >> _zoneidPgshift) & _zoneidMask;

    /// <summary>
    /// <c>page_to_nid</c> from the flags (0 without NUMA).
    /// </summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The node.</returns>
    /// <exception cref="InvalidOperationException">The layout keeps the node outside the flags (<c>NODE_NOT_IN_PAGE_FLAGS</c>): use the section's node (<see cref="SparseMemory{TPage}.SectionToNode(ulong)"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Nid(ulong flags)
    {
        if (_nodeNotInPageFlags)
        {
            ThrowNodeNotInFlags();
        }

        return (int)((flags >> _nodesPgshift) & _nodesMask);
    }

    /// <summary><c>page_to_section</c>: the section number (classic SPARSEMEM only).</summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The section number.</returns>
    /// <exception cref="InvalidOperationException">The layout does not keep the section in the flags.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong SectionNumber(ulong flags)
    {
        if (!_sectionInPageFlags)
        {
            ThrowNoSection();
        }

        return (flags >> _sectionsPgshift) & _sectionsMask;
    }

    /// <summary><c>set_page_zone</c>.</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="zone">The zone index (masked to the field).</param>
    public void SetZone(ref ulong flags, int zone) =>
        flags = (flags & ~(_zonesMask << _zonesPgshift)) | (((ulong)zone & _zonesMask) << _zonesPgshift);

    /// <summary><c>set_page_node</c>: a no-op when the node is not in the flags (its field is 0 bits wide).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="nid">The node (masked to the field).</param>
    public void SetNode(ref ulong flags, int nid) =>
        flags = (flags & ~(_nodesMask << _nodesPgshift)) | (((ulong)nid & _nodesMask) << _nodesPgshift);

    /// <summary><c>set_page_section</c> (classic SPARSEMEM only).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="section">The section number (masked to the field).</param>
    /// <exception cref="InvalidOperationException">The layout does not keep the section in the flags.</exception>
    public void SetSection(ref ulong flags, ulong section)
    {
        if (!_sectionInPageFlags)
        {
            ThrowNoSection();
        }

        flags = (flags & ~(_sectionsMask << _sectionsPgshift)) | ((section & _sectionsMask) << _sectionsPgshift);
    }

    /// <summary>
    /// <c>set_page_links</c>: zone, node, and with classic SPARSEMEM the section of <paramref name="pfn"/>.
    /// </summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="zone">The zone index.</param>
    /// <param name="nid">The node.</param>
    /// <param name="pfn">The page's frame number.</param>
    /// <remarks>Inlined: callers run it in loops over pages, where the call cost more than its work (benchmarks/RESULTS.md, proposal 10).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetLinks(ref ulong flags, int zone, int nid, ulong pfn)
    {
        ulong f = (flags & ~(_zonesMask << _zonesPgshift)) | (((ulong)zone & _zonesMask) << _zonesPgshift);
        f = (f & ~(_nodesMask << _nodesPgshift)) | (((ulong)nid & _nodesMask) << _nodesPgshift);
        if (_sectionInPageFlags)
        {
            f = (f & ~(_sectionsMask << _sectionsPgshift)) | (((pfn >> _pfnSectionShift) & _sectionsMask) << _sectionsPgshift);
        }

        flags = f;
    }

    /// <summary>
    /// The last cpu and pid to touch the page, as kept in the flags
    /// (<c>(cpu &lt;&lt; 8) | (pid &amp; 0xFF)</c>); 0 without NUMA balancing.
    /// </summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The cpupid.</returns>
    /// <exception cref="InvalidOperationException">The layout keeps last_cpupid in <see cref="Page.LastCpupid"/> instead.</exception>
    public int LastCpupid(ulong flags)
    {
        if (_lastCpupidNotInPageFlags)
        {
            ThrowCpupidNotInFlags();
        }

        return (int)((flags >> _lastCpupidPgshift) & _lastCpupidMask);
    }

    /// <summary>Stores last_cpupid in the flags (a no-op without NUMA balancing).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="cpupid">The cpupid (masked to the field).</param>
    /// <exception cref="InvalidOperationException">The layout keeps last_cpupid in <see cref="Page.LastCpupid"/> instead.</exception>
    public void SetLastCpupid(ref ulong flags, int cpupid)
    {
        if (_lastCpupidNotInPageFlags)
        {
            ThrowCpupidNotInFlags();
        }

        flags = (flags & ~(_lastCpupidMask << _lastCpupidPgshift)) | (((ulong)(uint)cpupid & _lastCpupidMask) << _lastCpupidPgshift);
    }

    /// <summary>
    /// <c>page_kasan_tag</c>: the KASAN tag, stored inverted so that all-zero flags read as the
    /// match-all tag 0xFF. 0xFF when the layout has no tag field.
    /// </summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The tag.</returns>
    public byte KasanTag(ulong flags) => (byte)(((flags >> _kasanTagPgshift) & _kasanTagMask) ^ 0xFF);

    /// <summary><c>page_kasan_tag_set</c>: stores the tag inverted (a no-op without a tag field).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="tag">The tag.</param>
    public void SetKasanTag(ref ulong flags, byte tag) =>
        flags = (flags & ~(_kasanTagMask << _kasanTagPgshift)) | ((((ulong)tag ^ 0xFF) & _kasanTagMask) << _kasanTagPgshift);

    /// <summary>
    /// The LRU generation field, read through <c>LRU_GEN_MASK</c>: the kernel stores the generation
    /// plus one there, 0 meaning "not on a generation list".
    /// </summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The raw field.</returns>
    public int LruGen(ulong flags) => (int)((flags & _lruGenMask) >> _lruGenPgoff);

    /// <summary>Stores the raw LRU generation field (a no-op without CONFIG_LRU_GEN).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="value">The raw field value (generation plus one), masked to the field.</param>
    public void SetLruGen(ref ulong flags, int value) =>
        flags = (flags & ~_lruGenMask) | (((ulong)(uint)value << _lruGenPgoff) & _lruGenMask);

    /// <summary>The LRU reference field, read through <c>LRU_REFS_MASK</c>.</summary>
    /// <param name="flags">A <c>page-&gt;flags</c> word.</param>
    /// <returns>The raw field.</returns>
    public int LruRefs(ulong flags) => (int)((flags & _lruRefsMask) >> _lruRefsPgoff);

    /// <summary>Stores the raw LRU reference field (a no-op when it has no bits).</summary>
    /// <param name="flags">The word to update.</param>
    /// <param name="value">The raw field value, masked to the field.</param>
    public void SetLruRefs(ref ulong flags, int value) =>
        flags = (flags & ~_lruRefsMask) | (((ulong)(uint)value << _lruRefsPgoff) & _lruRefsMask);

    private static void ThrowNodeNotInFlags() => throw new InvalidOperationException(
        "This layout keeps the node outside page->flags (NODE_NOT_IN_PAGE_FLAGS): read it from the section's node (SparseMemory.SectionToNode).");

    private static void ThrowNoSection() => throw new InvalidOperationException(
        "Only classic SPARSEMEM keeps the section number in page->flags (SECTION_IN_PAGE_FLAGS); this layout does not.");

    private static void ThrowCpupidNotInFlags() => throw new InvalidOperationException(
        "This layout keeps last_cpupid outside page->flags (LAST_CPUPID_NOT_IN_PAGE_FLAGS): use Page.LastCpupid.");
}
