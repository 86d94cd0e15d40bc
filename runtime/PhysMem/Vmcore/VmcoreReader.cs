using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// A dump ready to read: the dump (file, note, page tables), the model it describes, its memmap and its
/// page-flag numbers, and the notes on what was assumed. The one entry point for tools.
/// </summary>
internal sealed class VmcoreReader : IDisposable
{
    private VmcoreReader(VmcoreDump dump, VmcoreModel model, VmcoreMemmap memmap, DumpPageFlags flags, List<string> notes)
    {
        Dump = dump;
        Model = model;
        Memmap = memmap;
        Flags = flags;
        // Read once, here, so that the notes are complete when Open returns and never change after
        // (statistics may run on several threads at once).
        KernelZones = PhysMem.KernelZones.Read(dump, model.ZoneNames.Length, notes);
        Notes = notes.AsReadOnly();
    }

    /// <summary>The dump.</summary>
    public VmcoreDump Dump { get; }

    /// <summary>The memory model.</summary>
    public VmcoreModel Model { get; }

    /// <summary>The memmap.</summary>
    public VmcoreMemmap Memmap { get; }

    /// <summary>The page-flag numbers.</summary>
    public DumpPageFlags Flags { get; }

    /// <summary>Everything assumed or left out, in words, for the report; complete once the reader is open.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The kernel's own zone records (empty, with a note, when the note lacks their keys).</summary>
    public IReadOnlyList<KernelZone> KernelZones { get; }

    /// <summary>Opens <paramref name="path"/> read-only with an optional kernel configuration.</summary>
    /// <param name="path">The dump.</param>
    /// <param name="kconfig">The kernel's configuration (node and zone layout in <c>page-&gt;flags</c>), or null.</param>
    /// <param name="recorder">Receives every physical frame read, for a trimmed copy; or null.</param>
    /// <exception cref="VmcoreException">The dump cannot be read; the message says why.</exception>
    public static VmcoreReader Open(string path, KconfigResult? kconfig, HashSet<ulong>? recorder = null)
    {
        var dump = VmcoreDump.Open(path, recorder);
        try
        {
            bool? zoneDevice = kconfig?.Options.ZoneDevice ?? (kconfig?.Options.Zones is Zones z ? (z & Zones.Device) != 0 : null);
            var memmap = new VmcoreMemmap(dump, zoneDevice);
            var model = VmcoreModel.Build(dump.Info, kconfig, memmap.SharedBase);
            var notes = new List<string>(model.Notes);
            var flags = new DumpPageFlags(dump.Info, notes);
            if (model.Layout.Spec.StructPageSize != memmap.StructPageSize)
            {
                notes.Add("SIZE(page)=" + memmap.StructPageSize + " is used for the memmap stride (the layout's default is " + model.Layout.Spec.StructPageSize + ")");
            }

            // pfn_valid reads a hot-added section's subsection map (mem_section.usage->subsection_map).
            // The note gives neither offset, and struct mem_section_usage gained an rcu_head before the
            // bitmap in 6.8 and in stable backports to 6.1 and 6.6, so without debug information the
            // bitmap's place is a guess; such sections count as valid whole, and the report says so.
            if (memmap.LateSections > 0)
            {
                notes.Add(memmap.LateSections + " valid section(s) are not early (hot-added): their subsection maps are not read, every pfn of them counts as valid");
            }

            if (dump.Version is null)
            {
                notes.Add("OSRELEASE=" + dump.Info.OsRelease + " does not start with a kernel version: section flags are read with the " + memmap.Encoding.Era + " encoding");
            }

            return new VmcoreReader(dump, model, memmap, flags, notes);
        }
        catch
        {
            dump.Dispose();
            throw;
        }
    }

    /// <summary>Counts the pages; see <see cref="DumpStatistics"/>.</summary>
    public DumpStatistics Statistics(Action<double>? progress = null) =>
        DumpStatistics.Compute(Memmap, Model, Flags, KernelZones, progress);

    /// <summary>The struct page of valid <paramref name="pfn"/>, decoded by the dump's own numbers (<see cref="KernelDump.DescribePage"/>).</summary>
    /// <exception cref="VmcoreException">The page's memory is not in the dump.</exception>
    public DumpPageInfo DescribePage(ulong pfn)
    {
        var f = Flags;
        f.CheckOffsets(Memmap.StructPageSize);
        ReadOnlySpan<byte> page = Memmap.PfnToPage(pfn);
        ulong word = Word(page, f.FlagsOffset);
        uint type = (uint)Word(page, f.MapcountOffset);
        bool head = (word & f.HeadMask) != 0;
        ulong compound = Word(page, f.CompoundHeadOffset);
        // A tail by the same rule as the statistics (the bit, without PG_head); its head's pfn when
        // compound_head points at a struct page of this memmap.
        bool tail = f.HeadMask != 0 && !head && (compound & 1) != 0;
        ulong? headPfn = tail ? Memmap.PfnOfPage(pfn, compound - 1) : null;
        var names = new List<string>();
        for (int bit = 0; bit < Math.Min(Model.Layout.Spec.NrPageflags, 64); bit++)
        {
            if ((word & (1UL << bit)) != 0)
            {
                names.Add(f.NameOf(bit));
            }
        }

        ulong order = Word(page, f.PrivateOffset);
        bool known = Model.FlagsLayoutKnown;
        int? zone = known ? Model.PageFlags.Zonenum(word) : null;
        bool buddy = !tail && f.IsBuddy(type);
        return new DumpPageInfo(
            pfn,
            word,
            names.AsReadOnly(),
            known ? Model.PageFlags.Nid(word) : null,
            zone,
            zone is int z && z < Model.ZoneNames.Length ? Model.ZoneNames[z] : null,
            head,
            tail,
            headPfn,
            (word & f.LruMask) != 0,
            !tail && f.IsSlab(word, type),
            buddy,
            buddy && order < (ulong)f.MaxOrder ? (int)order : null);
    }

    /// <summary>Unmaps the dump.</summary>
    public void Dispose() => Dump.Dispose();

    // The offsets were checked against SIZE(page) (DumpPageFlags.CheckOffsets).
    private static ulong Word(ReadOnlySpan<byte> page, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(page.Slice(offset));
}
