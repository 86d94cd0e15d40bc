using System.Collections.Generic;
using static PhysMem.LayoutValidator;

namespace PhysMem;

/// <summary>
/// The inputs of a model as a user gives them: every one optional. <see cref="Resolve"/> applies
/// PhysMem's defaults (some depend on other inputs, such as the page-flag count on the word size)
/// and returns a complete <see cref="LayoutSpec"/>. The attribute, the command-line tool and the
/// runtime all go through here, so they agree on every default.
/// </summary>
internal sealed class LayoutOptions
{
    /// <summary>See <see cref="LayoutSpec.Model"/>.</summary>
    public Model? Model { get; set; }

    /// <summary>See <see cref="LayoutSpec.PageShift"/>.</summary>
    public int? PageShift { get; set; }

    /// <summary>See <see cref="LayoutSpec.BitsPerLong"/>.</summary>
    public int? BitsPerLong { get; set; }

    /// <summary>See <see cref="LayoutSpec.SectionSizeBits"/>.</summary>
    public int? SectionSizeBits { get; set; }

    /// <summary>See <see cref="LayoutSpec.MaxPhysmemBits"/>.</summary>
    public int? MaxPhysmemBits { get; set; }

    /// <summary>See <see cref="LayoutSpec.Vmemmap"/>.</summary>
    public bool? Vmemmap { get; set; }

    /// <summary>See <see cref="LayoutSpec.Extreme"/>.</summary>
    public bool? Extreme { get; set; }

    /// <summary>See <see cref="LayoutSpec.ArchPfnOffset"/>.</summary>
    public ulong? ArchPfnOffset { get; set; }

    /// <summary>See <see cref="LayoutSpec.HolesInMemmap"/>.</summary>
    public bool? HolesInMemmap { get; set; }

    /// <summary>See <see cref="LayoutSpec.NodesShift"/>.</summary>
    public int? NodesShift { get; set; }

    /// <summary>See <see cref="LayoutSpec.Zones"/>.</summary>
    public Zones? Zones { get; set; }

    /// <summary>See <see cref="LayoutSpec.MaxNrZones"/>.</summary>
    public int? MaxNrZones { get; set; }

    /// <summary><c>CONFIG_ZONE_DEVICE</c>: adds <see cref="PhysMem.Zones.Device"/> to the zones.</summary>
    public bool? ZoneDevice { get; set; }

    /// <summary>See <see cref="LayoutSpec.VmemmapPreinit"/>.</summary>
    public bool? VmemmapPreinit { get; set; }

    /// <summary>See <see cref="LayoutSpec.DeferredStructPageInit"/>.</summary>
    public bool? DeferredStructPageInit { get; set; }

    /// <summary>See <see cref="LayoutSpec.NrPageflags"/>.</summary>
    public int? NrPageflags { get; set; }

    /// <summary>See <see cref="LayoutSpec.NumaBalancing"/>.</summary>
    public bool? NumaBalancing { get; set; }

    /// <summary>See <see cref="LayoutSpec.NrCpusBits"/>.</summary>
    public int? NrCpusBits { get; set; }

    /// <summary><c>CONFIG_NR_CPUS</c>: gives <c>NR_CPUS_BITS = order_base_2(NR_CPUS)</c> (kernel/bounds.c, 6.6.y and later).</summary>
    public int? NrCpus { get; set; }

    /// <summary>See <see cref="LayoutSpec.KasanTagWidth"/>.</summary>
    public int? KasanTagWidth { get; set; }

    /// <summary>See <see cref="LayoutSpec.LruGen"/>.</summary>
    public bool? LruGen { get; set; }

    /// <summary>See <see cref="LayoutSpec.PageExtension"/>.</summary>
    public bool? PageExtension { get; set; }

    /// <summary>See <see cref="LayoutSpec.MaxPageOrder"/>.</summary>
    public int? MaxPageOrder { get; set; }

    /// <summary>See <see cref="LayoutSpec.PageBlockMaxOrder"/>.</summary>
    public int? PageBlockMaxOrder { get; set; }

    /// <summary>See <see cref="LayoutSpec.PageblockOrder"/>.</summary>
    public int? PageblockOrder { get; set; }

    /// <summary>See <see cref="LayoutSpec.MemoryIsolation"/>.</summary>
    public bool? MemoryIsolation { get; set; }

    /// <summary>Applies the defaults and returns the complete inputs.</summary>
    /// <param name="problems">Receives conflicts between inputs (for example both <see cref="NrCpus"/> and <see cref="NrCpusBits"/>).</param>
    /// <returns>The resolved inputs.</returns>
    public LayoutSpec Resolve(List<LayoutDiagnostic> problems)
    {
        int bpl = BitsPerLong ?? LayoutDefaults.BitsPerLong;
        int pageShift = PageShift ?? LayoutDefaults.PageShift;
        int maxPageOrder = MaxPageOrder ?? LayoutDefaults.MaxPageOrder;

        Zones zones = Zones ?? LayoutDefaults.ZonesFor(bpl);
        if (ZoneDevice == true)
        {
            zones |= PhysMem.Zones.Device;
        }
        else if (ZoneDevice == false && (zones & PhysMem.Zones.Device) != 0 && Zones.HasValue)
        {
            problems.Add(Diag(DiagnosticCatalog.Conflict, new[] { Inputs.ZoneDevice, Inputs.Zones }, "ZoneDevice = false", "Zones = " + zones, "the zone list holds Device"));
        }

        if (MaxNrZones.HasValue && Zones.HasValue && MaxNrZones.Value != CountZones(zones))
        {
            problems.Add(Diag(DiagnosticCatalog.Conflict, new[] { Inputs.MaxNrZones, Inputs.Zones }, "MaxNrZones = " + Str(MaxNrZones.Value), "Zones = " + zones,
                "the zone list has " + Str(CountZones(zones)) + " zones"));
        }

        int nrCpusBits = NrCpusBits ?? 0;
        if (NrCpus.HasValue)
        {
            if (NrCpusBits.HasValue)
            {
                problems.Add(Diag(DiagnosticCatalog.Conflict, new[] { Inputs.NrCpusBits, "NrCpus" }, "NrCpus = " + Str(NrCpus.Value), "NrCpusBits = " + Str(NrCpusBits.Value), "give one of them"));
            }
            else if (NrCpus.Value < 1 || NrCpus.Value > 65536)
            {
                problems.Add(Diag(DiagnosticCatalog.OutOfRange, new[] { "NrCpus" }, "NrCpus", Str(NrCpus.Value), "CONFIG_NR_CPUS runs from 1 to 65536"));
            }
            else
            {
                nrCpusBits = OrderBase2(NrCpus.Value);
            }
        }

        return new LayoutSpec
        {
            Model = Model ?? PhysMem.Model.Sparse,
            PageShift = pageShift,
            BitsPerLong = bpl,
            SectionSizeBits = SectionSizeBits ?? LayoutDefaults.SectionSizeBits,
            MaxPhysmemBits = MaxPhysmemBits ?? LayoutDefaults.MaxPhysmemBits,
            Vmemmap = Vmemmap ?? false,
            Extreme = Extreme ?? false,
            ArchPfnOffset = ArchPfnOffset ?? 0,
            HolesInMemmap = HolesInMemmap ?? false,
            NodesShift = NodesShift ?? 0,
            Zones = zones,
            MaxNrZones = MaxNrZones ?? 0,
            NrPageflags = NrPageflags ?? LayoutDefaults.NrPageflagsFor(bpl),
            NumaBalancing = NumaBalancing ?? false,
            NrCpusBits = nrCpusBits,
            KasanTagWidth = KasanTagWidth ?? 0,
            LruGen = LruGen ?? false,
            PageExtension = PageExtension ?? false,
            MaxPageOrder = maxPageOrder,
            VmemmapPreinit = VmemmapPreinit ?? false,
            DeferredStructPageInit = DeferredStructPageInit ?? false,
            PageBlockMaxOrder = PageBlockMaxOrder ?? 0,

            // include/linux/pageblock-flags.h: pageblock_order is at most PAGE_BLOCK_MAX_ORDER (6.16+),
            // which is MAX_PAGE_ORDER when the configuration does not set it (include/linux/mmzone.h).
            PageblockOrder = PageblockOrder ?? LayoutDefaults.PageblockOrderFor(pageShift, bpl, PageBlockMaxOrder is int limit and > 0 ? limit : maxPageOrder),
            MemoryIsolation = MemoryIsolation ?? true,
        };
    }

    /// <summary><c>order_base_2(n)</c>: ceil(log2(n)), 0 for n of 0 or 1.</summary>
    public static int OrderBase2(long n)
    {
        int bits = 0;
        while (bits < 63 && (1L << bits) < n)
        {
            bits++;
        }

        return bits;
    }

    private static int CountZones(Zones zones)
    {
        int count = 0;
        for (int v = (int)zones; v != 0; v &= v - 1)
        {
            count++;
        }

        return count;
    }
}
