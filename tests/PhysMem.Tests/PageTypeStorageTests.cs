using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace PhysMem.Tests;

// The storages over a user's frame descriptor: PageDescriptor finds Flags where the compiler put it,
// and every storage built over such a type gives each pfn the same flags word as the same storage
// over the default Page, touches no other byte, and spaces pages sizeof(T) apart.
public unsafe class PageTypeStorageTests
{
    // 24 bytes, Flags at offset 8 behind a 4-byte and a 2-byte field.
    private struct WidePage
    {
        public uint Refcount;
        public ushort Order;
        public ulong Flags;
        public long Owner;
    }

    // 12 bytes, a 32-bit Flags in the middle: for 32-bit layouts.
    private struct NarrowPage
    {
        public uint Refcount;
        public uint Flags;
        public ushort Order;
        public short Owner;
    }

    // Only their shapes matter: they are never written.
#pragma warning disable CS0649
    private struct NoFlags
    {
        public ulong Word;
    }

    private struct SignedFlags
    {
        public long Flags;
    }
#pragma warning restore CS0649

    private static readonly MemoryMap TwoNodes = MemoryMap.FromRanges(
        new MemoryRange(0x10_0000, 0x410_0800, 0),
        new MemoryRange(0x1_0000_0000, 0x1_0200_0000, 1));

    [Fact]
    public void PageDescriptor_FindsTheFlagsFieldWhereTheCompilerPutIt()
    {
        WidePage wide = default;
        NarrowPage narrow = default;
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<WidePage, byte>(ref wide), ref Unsafe.As<ulong, byte>(ref wide.Flags)), PageDescriptor<WidePage>.FlagsOffset);
        Assert.Equal((int)Unsafe.ByteOffset(ref Unsafe.As<NarrowPage, byte>(ref narrow), ref Unsafe.As<uint, byte>(ref narrow.Flags)), PageDescriptor<NarrowPage>.FlagsOffset);
        Assert.Equal(8, PageDescriptor<WidePage>.FlagsSize);
        Assert.Equal(4, PageDescriptor<NarrowPage>.FlagsSize);
        Assert.Equal(sizeof(WidePage), PageDescriptor<WidePage>.Size);
        Assert.Equal(0, PageDescriptor<Page>.FlagsOffset);
        Assert.Null(PageDescriptor<Page>.Problem);

        WidePage page = default;
        PageDescriptor<WidePage>.WriteFlags(&page, 0x0123_4567_89AB_CDEF);
        Assert.Equal(0x0123_4567_89AB_CDEFUL, page.Flags);
        Assert.Equal((0u, (ushort)0, 0L), (page.Refcount, page.Order, page.Owner));
        Assert.Equal(0x0123_4567_89AB_CDEFUL, PageDescriptor<WidePage>.ReadFlags(&page));
    }

    [Fact]
    public void PageDescriptor_Reinitialise_ClearsEverythingButFlags()
    {
        var page = new WidePage { Refcount = 7, Order = 3, Flags = 0xFF, Owner = -1 };
        PageDescriptor<WidePage>.Reinitialise(&page, 0x42);
        Assert.Equal((0u, (ushort)0, 0x42UL, 0L), (page.Refcount, page.Order, page.Flags, page.Owner));

        var narrow = new NarrowPage { Refcount = 7, Flags = 0xFF, Order = 3, Owner = -1 };
        PageDescriptor<NarrowPage>.Reinitialise(&narrow, 0x1_0000_0042);
        Assert.Equal((0u, 0x42u, (ushort)0, (short)0), (narrow.Refcount, narrow.Flags, narrow.Order, narrow.Owner));
    }

    [Fact]
    public void A_storage_refuses_a_page_type_that_cannot_hold_the_flags()
    {
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: false));
        var map = MemoryMap.FromRanges(new MemoryRange(0, 0x800_0000, 0));

        var missing = Assert.Throws<ArgumentException>(() => new SparseMemory<NoFlags>(layout, map));
        Assert.Contains("has no instance field named Flags", missing.Message, StringComparison.Ordinal);
        var signed = Assert.Throws<ArgumentException>(() => new FlatMemory<SignedFlags>(MemoryLayout.Create(Specs.Flat()), map));
        Assert.Contains("its Flags field is of type System.Int64", signed.Message, StringComparison.Ordinal);
        var narrow = Assert.Throws<ArgumentException>(() => new SparseMemory<NarrowPage>(layout, map));
        Assert.Contains("32-bit Flags field, but the layout's page->flags is 64 bits wide", narrow.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Models => new() { "flat", "flat-holes", "discontig", "sparse", "sparse-extreme", "vmemmap", "vmemmap-extreme" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_storage_over_a_24byte_page_matches_the_default_page(string model)
    {
        var layout = MemoryLayout.Create(Spec(model, bits32: false));
        using var wide = Build<WidePage>(layout);
        using var reference = Build<Page>(layout);
        long pages = 0;
        foreach (var run in TwoNodes.Pfns(layout.PageShift))
        {
            for (ulong pfn = run.Start; pfn < run.End; pfn++)
            {
                WidePage* page = (WidePage*)wide.PfnToPage(pfn);
                Assert.Equal(((Page*)reference.PfnToPage(pfn))->Flags, page->Flags);
                Assert.Equal((0u, (ushort)0, 0L), (page->Refcount, page->Order, page->Owner));
                if (pfn + 1 < run.End)
                {
                    Assert.Equal(sizeof(WidePage), (long)((byte*)wide.PfnToPage(pfn + 1) - (byte*)page));
                }

                page->Refcount = uint.MaxValue;
                page->Owner = -1;
                Assert.Equal(pfn, wide.PageToPfn(page));
                Assert.Equal(run.Node, wide.PageToNid(page));
                pages++;
            }
        }

        Assert.Equal((0x400_0000 >> 12) + (0x200_0000 >> 12), pages);
    }

    [Fact]
    public void A_32bit_classic_sparse_storage_over_a_uint_flags_page_matches_the_default_page()
    {
        var layout = MemoryLayout.Create(Spec("sparse", bits32: true));
        using var narrow = Build<NarrowPage>(layout);
        using var reference = Build<Page>(layout);
        foreach (var run in TwoNodes.Pfns(layout.PageShift))
        {
            for (ulong pfn = run.Start; pfn < run.End; pfn++)
            {
                NarrowPage* page = (NarrowPage*)narrow.PfnToPage(pfn);
                ulong flags = ((Page*)reference.PfnToPage(pfn))->Flags;
                Assert.True(flags <= uint.MaxValue, "a 32-bit layout's fields lie in the low 32 bits");
                Assert.Equal((uint)flags, page->Flags);
                Assert.Equal((0u, (ushort)0, (short)0), (page->Refcount, page->Order, page->Owner));
                Assert.Equal(pfn, narrow.PageToPfn(page));
            }
        }
    }

    [Fact]
    public void Hot_added_pages_of_a_user_type_are_cleared_around_their_flags()
    {
        var layout = MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: false, nodesShift: 1));
        using var mem = new SparseMemory<WidePage>(layout, MemoryMap.FromRanges(new MemoryRange(0, 0x1000_0000, 0)));
        using var reference = new SparseMemory(layout, MemoryMap.FromRanges(new MemoryRange(0, 0x1000_0000, 0)));
        ulong start = 0x1_0000_0000 >> 12;
        const ulong Subsection = 512;

        mem.AddMemory(start, 4 * Subsection, nid: 1);
        reference.AddMemory(start, 4 * Subsection, nid: 1);
        for (ulong pfn = start; pfn < start + 4 * Subsection; pfn++)
        {
            mem.PfnToPage(pfn)->Owner = -1;
            mem.PfnToPage(pfn)->Refcount = 9;
        }

        // The second subsection goes and comes back: its pages must be fresh, the others untouched.
        mem.RemoveMemory(start + Subsection, Subsection);
        mem.Synchronize();
        mem.AddMemory(start + Subsection, Subsection, nid: 1);
        for (ulong pfn = start; pfn < start + 4 * Subsection; pfn++)
        {
            WidePage* page = mem.PfnToPage(pfn);
            bool readded = pfn >= start + Subsection && pfn < start + 2 * Subsection;
            Assert.Equal(reference.PfnToPage(pfn)->Flags, page->Flags);
            Assert.Equal(readded ? 0L : -1L, page->Owner);
            Assert.Equal(readded ? 0u : 9u, page->Refcount);
            Assert.Equal(pfn, mem.PageToPfn(page));
        }
    }

    private static LayoutSpec Spec(string model, bool bits32)
    {
        var spec = model switch
        {
            "flat" => Specs.Flat(archPfnOffset: 0x100),
            "flat-holes" => Specs.Flat(holes: true),
            "discontig" => new LayoutSpec { Model = Model.Discontig },
            _ => Specs.X86_64(vmemmap: model.StartsWith("vmemmap", StringComparison.Ordinal), extreme: model.EndsWith("extreme", StringComparison.Ordinal)),
        };

        spec = spec with { NodesShift = 1 };
        return bits32
            ? spec with { BitsPerLong = 32, NrPageflags = 22, SectionSizeBits = 29, MaxPhysmemBits = 36, Zones = Zones.Dma | Zones.Normal | Zones.HighMem | Zones.Movable }
            : spec;
    }

    // The three storages behind one face, so that a test walks them alike.
    private static IStorage Build<TPage>(MemoryLayout layout)
        where TPage : unmanaged => layout.Model switch
        {
            Model.Flat => new Storage<TPage>(new FlatMemory<TPage>(layout, TwoNodes)),
            Model.Discontig => new Storage<TPage>(new DiscontigMemory<TPage>(layout, TwoNodes)),
            _ => new Storage<TPage>(new SparseMemory<TPage>(layout, TwoNodes)),
        };

    private interface IStorage : IDisposable
    {
        void* PfnToPage(ulong pfn);

        ulong PageToPfn(void* page);

        int PageToNid(void* page);
    }

    private sealed class Storage<TPage> : IStorage
        where TPage : unmanaged
    {
        private readonly object _storage;

        public Storage(object storage) => _storage = storage;

        public void* PfnToPage(ulong pfn) => _storage switch
        {
            FlatMemory<TPage> f => f.PfnToPage(pfn),
            DiscontigMemory<TPage> d => d.PfnToPage(pfn),
            _ => ((SparseMemory<TPage>)_storage).PfnToPage(pfn),
        };

        public ulong PageToPfn(void* page) => _storage switch
        {
            FlatMemory<TPage> f => f.PageToPfn((TPage*)page),
            DiscontigMemory<TPage> d => d.PageToPfn((TPage*)page),
            _ => ((SparseMemory<TPage>)_storage).PageToPfn((TPage*)page),
        };

        public int PageToNid(void* page) => _storage switch
        {
            FlatMemory<TPage> f => f.PageFlags.Nid(PageDescriptor<TPage>.ReadFlags((TPage*)page)),
            DiscontigMemory<TPage> d => d.PageFlags.Nid(PageDescriptor<TPage>.ReadFlags((TPage*)page)),
            _ => ((SparseMemory<TPage>)_storage).PageToNid((TPage*)page),
        };

        public void Dispose() => ((IDisposable)_storage).Dispose();
    }
}
