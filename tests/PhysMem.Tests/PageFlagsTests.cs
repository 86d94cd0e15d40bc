using System;
using System.Collections.Generic;
using Xunit;

namespace PhysMem.Tests;

// Every field of page->flags, over many random valid layouts: setting a field reads back, touches
// no bit outside the field, and the fields sit where the packing order says (from the top:
// section, node, zone, last_cpupid, KASAN tag, LRU generation, LRU references).
public class PageFlagsTests
{
    private enum Field { Section, Node, Zone, LastCpupid, KasanTag, LruGen, LruRefs }

    private static LayoutSpec RandomSpec(Random rng)
    {
        int bpl = rng.Next(2) == 0 ? 32 : 64;
        int pageShift = rng.Next(12, 17);
        bool sparse = rng.Next(3) != 0;
        int ssb = rng.Next(21, 35);
        int mpb = Math.Min(bpl + pageShift, rng.Next(ssb, Math.Min(64, ssb + 30) + 1));
        bool vmemmap = sparse && rng.Next(2) == 0;
        int nodesShift = rng.Next(3) == 0 ? 0 : rng.Next(1, 11);
        var zones = Zones.Normal | Zones.Movable;
        zones |= rng.Next(2) == 0 ? Zones.Dma : Zones.None;
        zones |= bpl == 64 && rng.Next(2) == 0 ? Zones.Dma32 : Zones.None;
        zones |= bpl == 32 && rng.Next(2) == 0 ? Zones.HighMem : Zones.None;
        zones |= bpl == 64 && vmemmap && rng.Next(3) == 0 ? Zones.Device : Zones.None;
        int maxOrder = Math.Min(10, ssb - pageShift);
        return new LayoutSpec
        {
            Model = sparse ? Model.Sparse : Model.Flat,
            BitsPerLong = bpl,
            PageShift = pageShift,
            SectionSizeBits = ssb,
            MaxPhysmemBits = mpb,
            Vmemmap = vmemmap,
            Extreme = sparse && rng.Next(2) == 0,
            NodesShift = nodesShift,
            Zones = zones,
            NrPageflags = rng.Next(18, 31),
            NumaBalancing = nodesShift > 0 && rng.Next(2) == 0,
            NrCpusBits = rng.Next(0, 14),
            KasanTagWidth = new[] { 0, 0, 4, 8 }[rng.Next(4)],
            LruGen = (bpl == 64 || !sparse || vmemmap) && rng.Next(2) == 0,
            MaxPageOrder = maxOrder,
            PageblockOrder = Math.Min(9, maxOrder),
        };
    }

    // Widths in packing order, each from the layout; the positions are derived here.
    private static List<(Field Field, int Width)> Fields(MemoryLayout l) => new()
    {
        (Field.Section, l.SectionsWidth),
        (Field.Node, l.NodesWidth),
        (Field.Zone, l.ZonesWidth),
        (Field.LastCpupid, l.LastCpupidWidth),
        (Field.KasanTag, l.KasanTagWidth),
        (Field.LruGen, l.LruGenWidth),
        (Field.LruRefs, l.LruRefsWidth),
    };

    private static void Set(PageFlags pf, Field f, ref ulong flags, ulong value)
    {
        switch (f)
        {
            case Field.Section: pf.SetSection(ref flags, value); break;
            case Field.Node: pf.SetNode(ref flags, (int)value); break;
            case Field.Zone: pf.SetZone(ref flags, (int)value); break;
            case Field.LastCpupid: pf.SetLastCpupid(ref flags, (int)value); break;
            case Field.KasanTag: pf.SetKasanTag(ref flags, (byte)value); break;
            case Field.LruGen: pf.SetLruGen(ref flags, (int)value); break;
            default: pf.SetLruRefs(ref flags, (int)value); break;
        }
    }

    private static ulong Get(PageFlags pf, Field f, ulong flags) => f switch
    {
        Field.Section => pf.SectionNumber(flags),
        Field.Node => (ulong)pf.Nid(flags),
        Field.Zone => (ulong)pf.Zonenum(flags),
        Field.LastCpupid => (ulong)pf.LastCpupid(flags),
        Field.KasanTag => pf.KasanTag(flags),
        Field.LruGen => (ulong)pf.LruGen(flags),
        _ => (ulong)pf.LruRefs(flags),
    };

    // The bits the field holds once stored (KASAN tags are stored inverted).
    private static ulong Stored(Field f, ulong value, int width) =>
        (f == Field.KasanTag ? ~value : value) & ((1UL << width) - 1);

    [Fact]
    public void EveryField_RoundTrips_WithoutDisturbingTheOthers()
    {
        var rng = new Random(20_251_123);
        int layouts = 0;
        int fieldsChecked = 0;
        for (int attempt = 0; attempt < 3000; attempt++)
        {
            var result = MemoryLayout.Compute(RandomSpec(rng));
            if (result.Layout is not { } l)
            {
                continue;
            }

            layouts++;
            var pf = new PageFlags(l);
            int bpl = l.BitsPerLong;
            var fields = Fields(l);
            for (int round = 0; round < 20; round++)
            {
                ulong flags = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
                ulong initial = flags;
                ulong expected = flags;
                int top = bpl;
                var values = new Dictionary<Field, ulong>();
                foreach (var (field, width) in fields)
                {
                    int shift = top - width;
                    top = shift;
                    if (width == 0)
                    {
                        continue;
                    }

                    ulong value = (ulong)rng.NextInt64() & ((1UL << width) - 1);
                    if (field == Field.KasanTag)
                    {
                        value = width == 4 ? 0xF0 | value : value; // hardware tags keep the top nibble set
                    }

                    ulong before = flags;
                    Set(pf, field, ref flags, value);
                    ulong fieldMask = ((1UL << width) - 1) << shift;
                    Assert.Equal(0UL, (before ^ flags) & ~fieldMask);
                    Assert.Equal(Stored(field, value, width), (flags >> shift) & ((1UL << width) - 1));
                    expected = (expected & ~fieldMask) | (Stored(field, value, width) << shift);
                    values[field] = value;
                    fieldsChecked++;
                }

                Assert.Equal(expected, flags);
                foreach (var (field, value) in values)
                {
                    Assert.Equal(value, Get(pf, field, flags));
                }

                if (bpl == 32)
                {
                    // Only the low 32 bits are used: the high half is never touched.
                    Assert.Equal(initial >> 32, flags >> 32);
                }

                CheckZoneId(l, pf, flags, values);
            }
        }

        Assert.True(layouts > 500, "only " + layouts + " valid layouts were drawn");
        Assert.True(fieldsChecked > 20_000);
    }

    private static void CheckZoneId(MemoryLayout l, PageFlags pf, ulong flags, Dictionary<Field, ulong> values)
    {
        ulong zone = values.TryGetValue(Field.Zone, out var z) ? z : 0;
        ulong upper = l.NodeNotInPageFlags
            ? (values.TryGetValue(Field.Section, out var s) ? s : 0)
            : (values.TryGetValue(Field.Node, out var n) ? n : 0);
        Assert.Equal((upper << l.ZonesWidth) | zone, pf.ZoneId(flags));
    }

    [Fact]
    public void SetLinks_IsZoneNodeAndSection()
    {
        var l = MemoryLayout.Create(Specs.X86_64(vmemmap: false, extreme: true, nodesShift: 6));
        var pf = new PageFlags(l);
        ulong flags = 0x1F_FFFF; // page-flag bits stay
        ulong pfn = (12345UL << 15) + 77;

        pf.SetLinks(ref flags, 2, 45, pfn);

        // section 63..45 (19 bits), node 44..39, zone 38..37.
        Assert.Equal((12345UL << 45) | (45UL << 39) | (2UL << 37) | 0x1F_FFFF, flags);
        Assert.Equal(12345UL, pf.SectionNumber(flags));
        Assert.Equal(45, pf.Nid(flags));
        Assert.Equal(2, pf.Zonenum(flags));
    }

    [Fact]
    public void FieldsOutsideTheFlags_Throw()
    {
        var vmemmap = new PageFlags(MemoryLayout.Create(Specs.X86_64(true, true)));
        Assert.Throws<InvalidOperationException>(() => vmemmap.SectionNumber(0));
        Assert.Throws<InvalidOperationException>(() => { ulong f = 0; vmemmap.SetSection(ref f, 1); });

        var cpupidOut = new PageFlags(MemoryLayout.Create(new LayoutSpec
        {
            Model = Model.Sparse, Vmemmap = true, NodesShift = 10, NumaBalancing = true, NrCpusBits = 13, KasanTagWidth = 8, LruGen = true,
            Zones = LayoutDefaults.Zones64 | Zones.Device,
        }));
        Assert.Throws<InvalidOperationException>(() => cpupidOut.LastCpupid(0));
        Assert.Throws<InvalidOperationException>(() => { ulong f = 0; cpupidOut.SetLastCpupid(ref f, 1); });
    }

    [Fact]
    public void KasanTag_IsStoredInverted_AndMatchAllWithoutTags()
    {
        var sw = new PageFlags(MemoryLayout.Create(Specs.X86_64(true, true) with { KasanTagWidth = 8 }));
        Assert.Equal(0xFF, sw.KasanTag(0)); // all-zero flags read as the match-all tag
        ulong flags = 0;
        sw.SetKasanTag(ref flags, 0xFF);
        Assert.Equal(0UL, flags);

        var none = new PageFlags(MemoryLayout.Create(Specs.X86_64(true, true)));
        ulong untouched = 0x1234;
        none.SetKasanTag(ref untouched, 0x12);
        Assert.Equal(0x1234UL, untouched);
        Assert.Equal(0xFF, none.KasanTag(untouched));
    }
}
