using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

// The page->flags layout: zones, sections, nodes, last_cpupid, the KASAN tag and the LRU fields,
// their widths, offsets, shifts and masks (include/linux/page-flags-layout.h, include/linux/mm.h,
// include/linux/mmzone.h, include/linux/gfp.h, kernel/bounds.c).
public sealed partial class MemoryLayout
{
    private Term _maxNrZones;
    private Term _nrPageflags;
    private Term _zonesShift;
    private Term _zonesWidth;
    private Term _sectionsWidth;
    private Term _nodesShift;
    private Term _maxNumnodes;
    private Term _nodesWidth;
    private Term _nrCpusBits;
    private Term _lastCpupidShift;
    private Term _lastCpupidWidth;
    private Term _kasanTagWidth;
    private Term _lruGenWidth;
    private Term _lruRefsWidth;
    private Term _sectionsPgoff;
    private Term _nodesPgoff;
    private Term _zonesPgoff;
    private Term _lastCpupidPgoff;
    private Term _kasanTagPgoff;
    private Term _lruGenPgoff;
    private Term _lruRefsPgoff;
    private Term _sectionsPgshift;
    private Term _nodesPgshift;
    private Term _zonesPgshift;
    private Term _lastCpupidPgshift;
    private Term _kasanTagPgshift;
    private Term _zoneidShift;
    private Term _zoneidPgoff;
    private Term _zoneidPgshift;
    private Term _sectionsMask;
    private Term _nodesMask;
    private Term _zonesMask;
    private Term _lastCpupidMask;
    private Term _kasanTagMask;
    private Term _zoneidMask;
    private Term _lruGenMask;
    private Term _lruRefsMask;
    private Term _nodeNotInPageFlags;
    private Term _lastCpupidNotInPageFlags;
    private Term _nrNonPageflagBits;
    private Term _nrUnusedPageflagBits;

    /// <summary><c>MAX_NR_ZONES</c>.</summary>
    public int MaxNrZones => _maxNrZones.Int;

    /// <summary><c>NR_PAGEFLAGS</c>.</summary>
    public int NrPageflags => _nrPageflags.Int;

    /// <summary><c>ZONES_SHIFT</c>.</summary>
    public int ZonesShift => _zonesShift.Int;

    /// <summary><c>ZONES_WIDTH</c>.</summary>
    public int ZonesWidth => _zonesWidth.Int;

    /// <summary><c>SECTIONS_WIDTH</c>.</summary>
    public int SectionsWidth => _sectionsWidth.Int;

    /// <summary><c>NODES_SHIFT</c>.</summary>
    public int NodesShift => _nodesShift.Int;

    /// <summary><c>MAX_NUMNODES</c>.</summary>
    public int MaxNumnodes => _maxNumnodes.Int;

    /// <summary><c>NODES_WIDTH</c>.</summary>
    public int NodesWidth => _nodesWidth.Int;

    /// <summary><c>NR_CPUS_BITS</c>.</summary>
    public int NrCpusBits => _nrCpusBits.Int;

    /// <summary><c>LAST_CPUPID_SHIFT</c>.</summary>
    public int LastCpupidShift => _lastCpupidShift.Int;

    /// <summary><c>LAST_CPUPID_WIDTH</c>.</summary>
    public int LastCpupidWidth => _lastCpupidWidth.Int;

    /// <summary><c>KASAN_TAG_WIDTH</c>.</summary>
    public int KasanTagWidth => _kasanTagWidth.Int;

    /// <summary><c>LRU_GEN_WIDTH</c>.</summary>
    public int LruGenWidth => _lruGenWidth.Int;

    /// <summary><c>LRU_REFS_WIDTH</c>.</summary>
    public int LruRefsWidth => _lruRefsWidth.Int;

    /// <summary><c>SECTIONS_PGOFF</c>.</summary>
    public int SectionsPgoff => _sectionsPgoff.Int;

    /// <summary><c>NODES_PGOFF</c>.</summary>
    public int NodesPgoff => _nodesPgoff.Int;

    /// <summary><c>ZONES_PGOFF</c>.</summary>
    public int ZonesPgoff => _zonesPgoff.Int;

    /// <summary><c>LAST_CPUPID_PGOFF</c>.</summary>
    public int LastCpupidPgoff => _lastCpupidPgoff.Int;

    /// <summary><c>KASAN_TAG_PGOFF</c>.</summary>
    public int KasanTagPgoff => _kasanTagPgoff.Int;

    /// <summary><c>LRU_GEN_PGOFF</c>.</summary>
    public int LruGenPgoff => _lruGenPgoff.Int;

    /// <summary><c>LRU_REFS_PGOFF</c>.</summary>
    public int LruRefsPgoff => _lruRefsPgoff.Int;

    /// <summary><c>SECTIONS_PGSHIFT</c>.</summary>
    public int SectionsPgshift => _sectionsPgshift.Int;

    /// <summary><c>NODES_PGSHIFT</c>.</summary>
    public int NodesPgshift => _nodesPgshift.Int;

    /// <summary><c>ZONES_PGSHIFT</c>.</summary>
    public int ZonesPgshift => _zonesPgshift.Int;

    /// <summary><c>LAST_CPUPID_PGSHIFT</c>.</summary>
    public int LastCpupidPgshift => _lastCpupidPgshift.Int;

    /// <summary><c>KASAN_TAG_PGSHIFT</c>.</summary>
    public int KasanTagPgshift => _kasanTagPgshift.Int;

    /// <summary><c>ZONEID_SHIFT</c>.</summary>
    public int ZoneidShift => _zoneidShift.Int;

    /// <summary><c>ZONEID_PGOFF</c>.</summary>
    public int ZoneidPgoff => _zoneidPgoff.Int;

    /// <summary><c>ZONEID_PGSHIFT</c>.</summary>
    public int ZoneidPgshift => _zoneidPgshift.Int;

    /// <summary><c>SECTIONS_MASK</c>.</summary>
    public ulong SectionsMask => _sectionsMask.Bits;

    /// <summary><c>NODES_MASK</c>.</summary>
    public ulong NodesMask => _nodesMask.Bits;

    /// <summary><c>ZONES_MASK</c>.</summary>
    public ulong ZonesMask => _zonesMask.Bits;

    /// <summary><c>LAST_CPUPID_MASK</c> (built from the SHIFT, as the kernel does).</summary>
    public ulong LastCpupidMask => _lastCpupidMask.Bits;

    /// <summary><c>KASAN_TAG_MASK</c>.</summary>
    public ulong KasanTagMask => _kasanTagMask.Bits;

    /// <summary><c>ZONEID_MASK</c>.</summary>
    public ulong ZoneidMask => _zoneidMask.Bits;

    /// <summary><c>LRU_GEN_MASK</c> (already shifted into place).</summary>
    public ulong LruGenMask => _lruGenMask.Bits;

    /// <summary><c>LRU_REFS_MASK</c> (already shifted into place).</summary>
    public ulong LruRefsMask => _lruRefsMask.Bits;

    /// <summary><c>NODE_NOT_IN_PAGE_FLAGS</c>.</summary>
    public bool NodeNotInPageFlags => _nodeNotInPageFlags.Value != 0;

    /// <summary><c>LAST_CPUPID_NOT_IN_PAGE_FLAGS</c>.</summary>
    public bool LastCpupidNotInPageFlags => _lastCpupidNotInPageFlags.Value != 0;

    /// <summary><c>NR_NON_PAGEFLAG_BITS</c> (counts LAST_CPUPID_SHIFT, as the kernel does).</summary>
    public int NrNonPageflagBits => _nrNonPageflagBits.Int;

    /// <summary><c>NR_UNUSED_PAGEFLAG_BITS</c> (negative when last_cpupid was pushed out).</summary>
    public int NrUnusedPageflagBits => _nrUnusedPageflagBits.Int;
    private void CalculatePageFlags(List<LayoutDiagnostic> problems)
    {
        var s = Spec;
        int bpl = BitsPerLong;
        _maxNrZones = DefineInt("MAX_NR_ZONES", "MaxNrZones", s.MaxNrZones != 0 ? s.MaxNrZones : Term.Because(PopCount((int)s.Zones), " zones configured: " + s.Zones), "The number of zones.");
        _nrPageflags = DefineInt("NR_PAGEFLAGS", "NrPageflags", s.NrPageflags, "Page-flag bits at the bottom of page->flags.");
        int zones = MaxNrZones;
        int zonesShift = zones < 2 ? 0 : zones <= 2 ? 1 : zones <= 4 ? 2 : zones <= 8 ? 3 : -1;
        if (zonesShift < 0)
        {
            problems.Add(Diag(DiagnosticCatalog.TooManyZones, new[] { Inputs.MaxNrZones, Inputs.Zones }, S(zones)));
            return;
        }

        // The #if chain of page-flags-layout.h, worded by the branch taken.
        string zonesBranch = zones < 2 ? "< 2" : zones <= 2 ? "<= 2" : zones <= 4 ? "<= 4" : "<= 8";
        _zonesShift = DefineInt("ZONES_SHIFT", "ZonesShift", Term.Because(zonesShift, ": MAX_NR_ZONES (" + S(zones) + ") " + zonesBranch), "Bits of a zone number.");

        // include/linux/gfp.h: ZONE_DEVICE never enters the GFP zone table.
        int gfpZonesShift = s.ZoneDevice && zones - 1 <= 4 ? 2 : zonesShift;
        if (16 * gfpZonesShift > bpl)
        {
            problems.Add(Diag(DiagnosticCatalog.GfpZonesShiftTooLarge, new[] { Inputs.Zones, Inputs.MaxNrZones, Inputs.BitsPerLong }, S(gfpZonesShift), S(16 * gfpZonesShift), S(bpl), S(zones)));
            return;
        }

        if (!IsSparse)
        {
            _sectionsShift = DefineInt("SECTIONS_SHIFT", "SectionsShift", Term.Because(0, " without SPARSEMEM"), "Bits of a section number.");
        }

        _zonesWidth = DefineInt("ZONES_WIDTH", "ZonesWidth", _zonesShift, "Bits of page->flags holding the zone.");
        _sectionsWidth = DefineInt("SECTIONS_WIDTH", "SectionsWidth",
            SectionInPageFlags ? Term.Because(_sectionsShift, ": classic SPARSEMEM keeps the section number in page->flags")
            : Term.Because(0, IsSparse ? " with SPARSEMEM_VMEMMAP" : " without SPARSEMEM"), "Bits of page->flags holding the section number.");
        _nodesShift = DefineInt("NODES_SHIFT", "NodesShift", s.NodesShift, "log2 of MAX_NUMNODES (CONFIG_NODES_SHIFT).");
        _maxNumnodes = DefineInt("MAX_NUMNODES", "MaxNumnodes", (Term)1 << _nodesShift, "The most nodes the kernel supports.");
        _lruGenWidth = DefineInt("LRU_GEN_WIDTH", "LruGenWidth", s.LruGen ? Term.OrderBase2(Term.Named("MAX_NR_GENS", 4) + 1) : Term.Because(0, " without CONFIG_LRU_GEN"),
            "Bits of page->flags holding the LRU generation.");
        Term lruRefs = DefineInt("__LRU_REFS_WIDTH", "LruRefsWidthWanted", s.LruGen ? Term.Named("MAX_NR_TIERS", 4) - 2 : Term.Because(0, " without CONFIG_LRU_GEN"),
            "Reference bits the multi-generational LRU would like in page->flags.");

        Term free = _bitsPerLong - _nrPageflags;
        Term nodesNeed = _zonesWidth + _lruGenWidth + _sectionsWidth + _nodesShift;
        if (nodesNeed.Value > free.Value)
        {
            if (IsVmemmap)
            {
                problems.Add(Diag(DiagnosticCatalog.VmemmapNoSpaceForNodes, new[] { Inputs.NodesShift, Inputs.NrPageflags, Inputs.LruGen, Inputs.Zones },
                    S(ZonesWidth), S(LruGenWidth), S(SectionsWidth), S(NodesShift), S(nodesNeed.Value), S(bpl), S(NrPageflags), S(free.Value)));
                return;
            }

            if (!IsSparse)
            {
                problems.Add(Diag(DiagnosticCatalog.NodeNeedsSections, new[] { Inputs.NodesShift, Inputs.NrPageflags }, S(NodesShift), S(nodesNeed.Value), S(free.Value), Describe()));
                return;
            }
        }

        _nodesWidth = DefineInt("NODES_WIDTH", "NodesWidth", Term.IfFits(_nodesShift, nodesNeed, free), "Bits of page->flags holding the node.");
        _nodeNotInPageFlags = DefineFlag("NODE_NOT_IN_PAGE_FLAGS", "NodeNotInPageFlags", Term.NonZeroAndZero(_nodesShift, _nodesWidth),
            "The node is kept in section_to_node_table rather than in page->flags.");
        if (NodeNotInPageFlags)
        {
            problems.Add(Diag(DiagnosticCatalog.NodeNotInPageFlags, new[] { Inputs.NodesShift }, S(NodesShift), S(nodesNeed.Value), S(free.Value)));
        }

        _kasanTagWidth = DefineInt("KASAN_TAG_WIDTH", "KasanTagWidth", s.KasanTagWidth, "Bits of page->flags holding the KASAN tag.");
        _nrCpusBits = DefineInt("NR_CPUS_BITS", "NrCpusBits", s.NrCpusBits, "Bits of a cpu number (kernel/bounds.c).");
        Term lastPidShift = DefineInt("LAST__PID_SHIFT", "LastPidShift", 8, "Bits of the pid in last_cpupid.");
        DefineMask("LAST__PID_MASK", "LastPidMask", Term.LowMask(lastPidShift), "The pid bits of last_cpupid.");
        Term lastCpuShift = DefineInt("LAST__CPU_SHIFT", "LastCpuShift", _nrCpusBits, "Bits of the cpu in last_cpupid.");
        DefineMask("LAST__CPU_MASK", "LastCpuMask", Term.LowMask(lastCpuShift), "The cpu bits of last_cpupid.");
        _lastCpupidShift = DefineInt("LAST_CPUPID_SHIFT", "LastCpupidShift", s.NumaBalancing ? lastPidShift + lastCpuShift : Term.Because(0, " without CONFIG_NUMA_BALANCING"),
            "Bits of last_cpupid.");
        Term cpupidNeed = _zonesWidth + _lruGenWidth + _sectionsWidth + _nodesWidth + _kasanTagWidth + _lastCpupidShift;
        _lastCpupidWidth = DefineInt("LAST_CPUPID_WIDTH", "LastCpupidWidth", Term.IfFits(_lastCpupidShift, cpupidNeed, free), "Bits of page->flags holding last_cpupid.");
        _lastCpupidNotInPageFlags = DefineFlag("LAST_CPUPID_NOT_IN_PAGE_FLAGS", "LastCpupidNotInPageFlags", Term.NonZeroAndZero(_lastCpupidShift, _lastCpupidWidth),
            "last_cpupid is kept in the page's _last_cpupid field rather than in page->flags.");
        if (LastCpupidNotInPageFlags)
        {
            problems.Add(Diag(DiagnosticCatalog.LastCpupidNotInPageFlags, new[] { Inputs.NrCpusBits, Inputs.NumaBalancing }, S(LastCpupidShift), S(cpupidNeed.Value), S(free.Value)));
        }

        int total = ZonesWidth + LruGenWidth + SectionsWidth + NodesWidth + KasanTagWidth + LastCpupidWidth;
        if (total > free.Value)
        {
            problems.Add(Diag(DiagnosticCatalog.NotEnoughBits,
                new[] { Inputs.NrPageflags, Inputs.KasanTagWidth, Inputs.LruGen, Inputs.MaxPhysmemBits, Inputs.SectionSizeBits, Inputs.Zones, Inputs.NodesShift },
                S(total), S(bpl), S(NrPageflags), S(free.Value)));
            return;
        }

        _lruRefsWidth = DefineInt("LRU_REFS_WIDTH", "LruRefsWidth",
            Term.Min(lruRefs, free - _zonesWidth - _lruGenWidth - _sectionsWidth - _nodesWidth - _kasanTagWidth - _lastCpupidWidth),
            "Bits of page->flags holding the LRU reference count.");

        _sectionsPgoff = DefineInt("SECTIONS_PGOFF", "SectionsPgoff", _bitsPerLong - _sectionsWidth, "Bit offset of the section field.");
        _nodesPgoff = DefineInt("NODES_PGOFF", "NodesPgoff", _sectionsPgoff - _nodesWidth, "Bit offset of the node field.");
        _zonesPgoff = DefineInt("ZONES_PGOFF", "ZonesPgoff", _nodesPgoff - _zonesWidth, "Bit offset of the zone field.");
        _lastCpupidPgoff = DefineInt("LAST_CPUPID_PGOFF", "LastCpupidPgoff", _zonesPgoff - _lastCpupidWidth, "Bit offset of the last_cpupid field.");
        _kasanTagPgoff = DefineInt("KASAN_TAG_PGOFF", "KasanTagPgoff", _lastCpupidPgoff - _kasanTagWidth, "Bit offset of the KASAN tag field.");
        _lruGenPgoff = DefineInt("LRU_GEN_PGOFF", "LruGenPgoff", _kasanTagPgoff - _lruGenWidth, "Bit offset of the LRU generation field.");
        _lruRefsPgoff = DefineInt("LRU_REFS_PGOFF", "LruRefsPgoff", _lruGenPgoff - _lruRefsWidth, "Bit offset of the LRU reference field.");

        // X_PGSHIFT = X_PGOFF * (X_WIDTH != 0): a field without bits is never shifted.
        const string pgshift = "Shift that brings the field down to bit 0.";
        _sectionsPgshift = DefineInt("SECTIONS_PGSHIFT", "SectionsPgshift", Term.IfNonZero(_sectionsWidth, _sectionsPgoff), pgshift);
        _nodesPgshift = DefineInt("NODES_PGSHIFT", "NodesPgshift", Term.IfNonZero(_nodesWidth, _nodesPgoff), pgshift);
        _zonesPgshift = DefineInt("ZONES_PGSHIFT", "ZonesPgshift", Term.IfNonZero(_zonesWidth, _zonesPgoff), pgshift);
        _lastCpupidPgshift = DefineInt("LAST_CPUPID_PGSHIFT", "LastCpupidPgshift", Term.IfNonZero(_lastCpupidWidth, _lastCpupidPgoff), pgshift);
        _kasanTagPgshift = DefineInt("KASAN_TAG_PGSHIFT", "KasanTagPgshift", Term.IfNonZero(_kasanTagWidth, _kasanTagPgoff), pgshift);

        if (NodeNotInPageFlags)
        {
            _zoneidShift = DefineInt("ZONEID_SHIFT", "ZoneidShift", _sectionsShift + _zonesShift, "Bits of the zone id (section and zone, as the node is not in the flags).");
            _zoneidPgoff = DefineInt("ZONEID_PGOFF", "ZoneidPgoff", Term.Min(_sectionsPgoff, _zonesPgoff), "Bit offset of the zone id.");
        }
        else
        {
            _zoneidShift = DefineInt("ZONEID_SHIFT", "ZoneidShift", _nodesShift + _zonesShift, "Bits of the zone id (node and zone).");
            _zoneidPgoff = DefineInt("ZONEID_PGOFF", "ZoneidPgoff", Term.Min(_nodesPgoff, _zonesPgoff), "Bit offset of the zone id.");
        }

        _zoneidPgshift = DefineInt("ZONEID_PGSHIFT", "ZoneidPgshift", Term.IfNonZero(_zoneidShift, _zoneidPgoff), "Shift that brings the zone id down to bit 0.");

        _zonesMask = DefineMask("ZONES_MASK", "ZonesMask", Term.LowMask(_zonesWidth), "The zone field, once shifted down.");
        _nodesMask = DefineMask("NODES_MASK", "NodesMask", Term.LowMask(_nodesWidth), "The node field, once shifted down.");
        _sectionsMask = DefineMask("SECTIONS_MASK", "SectionsMask", Term.LowMask(_sectionsWidth), "The section field, once shifted down.");
        _lastCpupidMask = DefineMask("LAST_CPUPID_MASK", "LastCpupidMask", Term.LowMask(_lastCpupidShift), "The last_cpupid field, once shifted down (built from the SHIFT, as the kernel does).");
        _kasanTagMask = DefineMask("KASAN_TAG_MASK", "KasanTagMask", Term.LowMask(_kasanTagWidth), "The KASAN tag field, once shifted down.");
        _zoneidMask = DefineMask("ZONEID_MASK", "ZoneidMask", Term.LowMask(_zoneidShift), "The zone id, once shifted down.");

        // A field without bits has no mask, whatever its offset (the shift of 0 leaves 0).
        _lruGenMask = DefineMask("LRU_GEN_MASK", "LruGenMask", (Term.LowMask(_lruGenWidth) << _lruGenPgoff).Word(bpl), "The LRU generation field, in place.");
        _lruRefsMask = DefineMask("LRU_REFS_MASK", "LruRefsMask", (Term.LowMask(_lruRefsWidth) << _lruRefsPgoff).Word(bpl), "The LRU reference field, in place.");

        _nrNonPageflagBits = DefineInt("NR_NON_PAGEFLAG_BITS", "NrNonPageflagBits",
            _sectionsWidth + _nodesWidth + _zonesWidth + _lastCpupidShift + _kasanTagWidth + _lruGenWidth + _lruRefsWidth,
            "Bits of page->flags the kernel counts as fields (last_cpupid by its SHIFT, as the kernel does).");
        _nrUnusedPageflagBits = DefineInt("NR_UNUSED_PAGEFLAG_BITS", "NrUnusedPageflagBits", _bitsPerLong - (_nrNonPageflagBits + _nrPageflags),
            "Bits of page->flags nobody uses (negative when last_cpupid was moved out).");
    }

    private static int PopCount(int value)
    {
        int count = 0;
        for (uint v = (uint)value; v != 0; v &= v - 1)
        {
            count++;
        }

        return count;
    }
}
