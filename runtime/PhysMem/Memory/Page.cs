using System.Runtime.InteropServices;

namespace PhysMem;

/// <summary>
/// The default frame descriptor: one per physical page, 64 bytes like the kernel's
/// <c>struct page</c> on an ordinary 64-bit build, with <see cref="Flags"/> first.
/// </summary>
/// <remarks>
/// Only <see cref="Flags"/> has a fixed meaning in PhysMem: it holds the page-flag bits at the
/// bottom and the zone, node, section, last_cpupid, KASAN tag and LRU fields at the top, laid out by
/// <see cref="MemoryLayout"/> and read with <see cref="PageFlags"/>. The other words mirror the
/// kernel's (include/linux/mm_types.h) so that a user has somewhere to keep the same state.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct Page
{
    /// <summary><c>page-&gt;flags</c>: page-flag bits from bit 0 up, the packed fields from the top down.</summary>
    public ulong Flags;

    /// <summary>First word of the LRU list link (<c>lru.next</c>), or any other use of that union.</summary>
    public ulong LruNext;

    /// <summary>Second word of the LRU list link (<c>lru.prev</c>).</summary>
    public ulong LruPrev;

    /// <summary><c>page-&gt;mapping</c>: the owner of the page, opaque to PhysMem.</summary>
    public ulong Mapping;

    /// <summary><c>page-&gt;index</c>: the page's offset within its mapping.</summary>
    public ulong Index;

    /// <summary><c>page-&gt;private</c>: data of the page's owner.</summary>
    public ulong Private;

    /// <summary><c>page-&gt;_mapcount</c>: page-table mappings of the page, minus one.</summary>
    public int Mapcount;

    /// <summary><c>page-&gt;_refcount</c>: references to the page.</summary>
    public int Refcount;

    /// <summary>
    /// <c>page-&gt;_last_cpupid</c>: the last cpu and pid to touch the page, used when the layout
    /// cannot keep it in <see cref="Flags"/> (<c>LAST_CPUPID_NOT_IN_PAGE_FLAGS</c>).
    /// </summary>
    public uint LastCpupid;

    /// <summary>Unused; keeps the descriptor at 64 bytes.</summary>
    public uint Reserved;
}
