using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace PhysMem;

/// <summary>
/// Reads a dump's struct pages by the dump's own numbers: the <c>PG_*</c> bits the note names
/// (<c>NUMBER(PG_lru)</c>, <c>NUMBER(PG_slab)</c>, <c>NUMBER(PG_head_mask)</c>, ...), buddy and slab
/// pages by the page type as the version marks it, the buddy order from <c>page.private</c>, and
/// compound tails by the low bit of <c>compound_head</c>.
/// </summary>
/// <remarks>
/// include/linux/page-flags.h has marked page types two ways. From 4.18 to 6.9 a type is a cleared bit
/// under <c>PAGE_TYPE_BASE</c> (0xf0000000) in <c>page_type</c>, and the note's
/// <c>PAGE_BUDDY_MAPCOUNT_VALUE</c> is <c>~PG_buddy</c>; later kernels keep the type in the top byte
/// (<c>PGTY_buddy &lt;&lt; 24</c>). Before 4.18 the value was compared whole with <c>_mapcount</c>.
/// The form of the note's own value says which, so no version table is needed.
/// </remarks>
internal sealed class DumpPageFlags
{
    private const uint PageTypeBase = 0xf0000000;

    private readonly string[] _names = new string[64];
    private readonly TypeTest _buddy;
    private readonly TypeTest _slabType;

    /// <summary>Reads the numbers from the note.</summary>
    /// <param name="info">The note.</param>
    /// <param name="notes">Receives what could not be read and what was assumed.</param>
    public DumpPageFlags(VmcoreInfo info, List<string> notes)
    {
        foreach (var key in info.Values.Keys)
        {
            if (key.StartsWith("NUMBER(PG_", StringComparison.Ordinal) && key.EndsWith(")", StringComparison.Ordinal) && !key.EndsWith("_mask)", StringComparison.Ordinal)
                && info.Number(key.Substring(7, key.Length - 8)) is long bit && bit is >= 0 and < 64)
            {
                _names[bit] = key.Substring(10, key.Length - 11);
            }
        }

        if (info.Number("PG_head_mask") is long headMask && headMask > 0 && (headMask & (headMask - 1)) == 0)
        {
            HeadMask = (ulong)headMask;
            _names[System.Numerics.BitOperations.TrailingZeroCount(HeadMask)] = "head";
        }
        else
        {
            notes.Add("NUMBER(PG_head_mask) is not in the note: compound pages are not followed, so slab and LRU count head pages only");
        }

        LruMask = info.Number("PG_lru") is long lru and >= 0 and < 64 ? 1UL << (int)lru : 0;
        if (LruMask == 0)
        {
            notes.Add("NUMBER(PG_lru) is not in the note: LRU pages are not counted");
        }

        SlabMask = info.Number("PG_slab") is long slab and >= 0 and < 64 ? 1UL << (int)slab : 0;
        _buddy = TypeTest.Of(info.Number("PAGE_BUDDY_MAPCOUNT_VALUE"));
        _slabType = TypeTest.Of(info.Number("PAGE_SLAB_MAPCOUNT_VALUE"));
        if (!_buddy.Known)
        {
            notes.Add("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) is not in the note: free pages are not counted");
        }

        if (SlabMask == 0 && !_slabType.Known)
        {
            notes.Add("neither NUMBER(PG_slab) nor NUMBER(PAGE_SLAB_MAPCOUNT_VALUE) is in the note: slab pages are not counted");
        }

        var n = new List<string>();
        FlagsOffset = VmcoreModel.OffsetOr(info, "page.flags", 0, n);
        MapcountOffset = VmcoreModel.OffsetOr(info, "page._mapcount", 48, n);
        PrivateOffset = VmcoreModel.OffsetOr(info, "page.private", 40, n);
        CompoundHeadOffset = VmcoreModel.OffsetOr(info, "page.compound_head", 8, n);
        MaxOrder = info.Length("zone.free_area") is ulong orders and > 0 and < 64 ? (int)orders : 11;
        notes.AddRange(n.FindAll(s => !s.StartsWith("OFFSET(page.compound_head)", StringComparison.Ordinal)));
    }

    /// <summary><c>OFFSET(page.flags)</c>.</summary>
    public int FlagsOffset { get; }

    /// <summary><c>OFFSET(page._mapcount)</c>, where <c>page_type</c> lives too.</summary>
    public int MapcountOffset { get; }

    /// <summary><c>OFFSET(page.private)</c>: a free block's order.</summary>
    public int PrivateOffset { get; }

    /// <summary>Where a tail page keeps its head's address with the low bit set (the first word after flags on 6.1 and 6.12).</summary>
    public int CompoundHeadOffset { get; }

    /// <summary>The number of buddy orders (<c>LENGTH(zone.free_area)</c>): an order at or above it is not a free block's.</summary>
    public int MaxOrder { get; }

    /// <summary>The head page bit, or 0 when unknown.</summary>
    public ulong HeadMask { get; }

    /// <summary>The PG_lru bit, or 0.</summary>
    public ulong LruMask { get; }

    /// <summary>The PG_slab bit (kernels before the slab page type), or 0.</summary>
    public ulong SlabMask { get; }

    /// <summary>Throws unless every struct page word read here (flags, compound_head, private, _mapcount) lies inside <paramref name="structPageSize"/>.</summary>
    /// <exception cref="VmcoreException">An offset leaves no word inside <c>SIZE(page)</c>.</exception>
    public void CheckOffsets(int structPageSize)
    {
        if (Math.Max(Math.Max(FlagsOffset, CompoundHeadOffset), Math.Max(PrivateOffset, MapcountOffset)) + 8 > structPageSize
            || Math.Min(Math.Min(FlagsOffset, CompoundHeadOffset), Math.Min(PrivateOffset, MapcountOffset)) < 0)
        {
            throw new VmcoreException("OFFSET(page.flags)=" + FlagsOffset + ", OFFSET(page.compound_head)=" + CompoundHeadOffset + ", OFFSET(page.private)=" + PrivateOffset
                + " or OFFSET(page._mapcount)=" + MapcountOffset + " does not leave a word inside SIZE(page)=" + structPageSize + ": the note is not a kernel's");
        }
    }

    /// <summary>The name of flag bit <paramref name="bit"/> (<c>lru</c>, <c>head</c>), or <c>bit N</c> when the note does not name it.</summary>
    public string NameOf(int bit) => _names[bit] ?? "bit " + bit.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the bit is named by the note.</summary>
    public bool IsNamed(int bit) => _names[bit] is not null;

    /// <summary>Whether a page with this <c>page_type</c>/<c>_mapcount</c> word heads a free buddy block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBuddy(uint pageType) => _buddy.Matches(pageType);

    /// <summary>Whether a page is a slab page (by PG_slab, or by its page type).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSlab(ulong flags, uint pageType) => (flags & SlabMask) != 0 || _slabType.Matches(pageType);

    /// <summary>The buddy test as a mask and value: a page heads a free block when <c>(word &amp; Mask) == Value</c>.</summary>
    public (uint Mask, uint Value) BuddyTest => (_buddy.Mask, _buddy.Value);

    /// <summary>The slab page-type test as a mask and value (never true when the note has no slab type).</summary>
    public (uint Mask, uint Value) SlabTypeTest => (_slabType.Mask, _slabType.Value);

    // A page-type test as one mask and compare, so that the per-page loop inlines it: the whole word
    // before 4.18, the cleared bit under PAGE_TYPE_BASE to 6.9, the top byte after; never for an unknown value.
    private readonly record struct TypeTest(bool Known, uint Mask, uint Value)
    {
        public static TypeTest Of(long? number)
        {
            if (number is not long n)
            {
                return new TypeTest(false, 0, 1);
            }

            uint v = unchecked((uint)n);
            uint inverse = ~v;
            return (v & 0x00ffffff) == 0 ? new TypeTest(true, 0xff000000, v)
                : inverse != 0 && (inverse & (inverse - 1)) == 0 && (inverse & PageTypeBase) == 0 ? new TypeTest(true, PageTypeBase | inverse, PageTypeBase)
                : new TypeTest(true, uint.MaxValue, v);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(uint word) => (word & Mask) == Value;
    }
}
