using System;
using System.Collections.Generic;
using System.IO;
using PhysMem.Explorer.Commands;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The human form of <c>physmem layout</c>: the inputs and where each came from, the
/// <c>page-&gt;flags</c> bits from the top down, the section table sizes, and the notes. Every
/// number is read from the <see cref="MemoryLayout"/>; this class only lays them out.
/// </summary>
internal static class LayoutReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(TextWriter w, LayoutInputs inputs, MemoryLayout layout)
    {
        string preset = inputs.Arch is { } arch ? ", preset " + arch : string.Empty;
        w.WriteLine($"{layout.Describe()}: {layout.BitsPerLong}-bit, {Human(layout.PageSize)} pages{preset}");
        w.WriteLine();
        WriteInputs(w, inputs, layout.Spec);
        w.WriteLine();
        WritePageFlags(w, layout);
        w.WriteLine();
        WriteSections(w, layout);
        w.WriteLine();
        WriteNotes(w, layout);
    }

    private static void WriteInputs(TextWriter w, LayoutInputs inputs, LayoutSpec s)
    {
        w.WriteLine("Inputs ([MemoryModel] property, value, from)");
        var table = new TextTable();
        void Row(string property, string value, string? source = null) => table.Add(property, value, source ?? inputs.SourceOf(property));
        static string B(bool value) => value ? "true" : "false";

        Row("Model", s.Model.ToString());
        Row("PageShift", Decimal(s.PageShift));
        Row("BitsPerLong", Decimal(s.BitsPerLong));
        if (s.Model == Model.Sparse)
        {
            Row("SectionSizeBits", Decimal(s.SectionSizeBits));
            Row("MaxPhysmemBits", Decimal(s.MaxPhysmemBits));
            Row("Vmemmap", B(s.Vmemmap));
            Row("Extreme", B(s.Extreme));
            if (s.VmemmapPreinit)
            {
                Row("VmemmapPreinit", B(s.VmemmapPreinit));
            }
        }
        else if (s.Model == Model.Flat)
        {
            Row("ArchPfnOffset", Hex(s.ArchPfnOffset));
        }

        Row("NodesShift", Decimal(s.NodesShift));
        string zoneSource = inputs.SourceOf("Zones") + (inputs.IsGiven("ZoneDevice") ? " + " + inputs.SourceOf("ZoneDevice") : string.Empty);
        Row("Zones", s.Zones.ToString(), zoneSource);
        if (s.MaxNrZones != 0)
        {
            Row("MaxNrZones", Decimal(s.MaxNrZones));
        }

        Row("NrPageflags", Decimal(s.NrPageflags));
        Row("NumaBalancing", B(s.NumaBalancing));
        Row("NrCpusBits", Decimal(s.NrCpusBits), inputs.IsGiven("NrCpus") ? inputs.SourceOf("NrCpus") : null);
        Row("KasanTagWidth", Decimal(s.KasanTagWidth));
        Row("LruGen", B(s.LruGen));
        Row("PageExtension", B(s.PageExtension));
        Row("MaxPageOrder", Decimal(s.MaxPageOrder));
        if (s.PageBlockMaxOrder != 0)
        {
            Row("PageBlockMaxOrder", Decimal(s.PageBlockMaxOrder));
        }

        Row("PageblockOrder", Decimal(s.PageblockOrder));
        Row("MemoryIsolation", B(s.MemoryIsolation));
        table.Write(w);
    }

    private static void WritePageFlags(TextWriter w, MemoryLayout l)
    {
        w.WriteLine($"page->flags ({l.BitsPerLong} bits, from bit {l.BitsPerLong - 1} down to 0)");
        var table = new TextTable();
        foreach (var f in FlagFields.Of(l))
        {
            string range = f.Width == 1 ? Decimal(f.Offset) : Decimal(f.High) + "-" + Decimal(f.Offset);
            table.Add(range, $"{f.Name} ({f.Width})", f.Detail);
        }

        int unused = FlagFields.UnusedWidth(l);
        table.Write(w);

        if (unused != l.NrUnusedPageflagBits)
        {
            w.WriteLine($"  (the kernel's NR_UNUSED_PAGEFLAG_BITS is {l.NrUnusedPageflagBits}: it counts LAST_CPUPID_SHIFT = {l.LastCpupidShift} even though last_cpupid is not in page->flags)");
        }

        if (l.ZoneidShift != 0)
        {
            string parts = l.NodeNotInPageFlags ? "section and zone" : l.NodesShift != 0 ? "node and zone" : "zone";
            w.WriteLine($"  zone id ({parts}): ZONEID_SHIFT {l.ZoneidShift}, ZONEID_PGSHIFT {l.ZoneidPgshift}, ZONEID_MASK {Hex(l.ZoneidMask)}");
        }
    }

    private static void WriteSections(TextWriter w, MemoryLayout l)
    {
        if (!l.IsSparse)
        {
            w.WriteLine($"Section table: none ({l.Describe()} keeps one mem_map; mem_map[0] is pfn ARCH_PFN_OFFSET = {Hex(l.ArchPfnOffset)})");
            w.WriteLine($"  memmap cost: {Units.Bytes((UInt128)l.StructPageSize)} (sizeof(struct page)) per {Human(l.PageSize)} page");
            return;
        }

        w.WriteLine($"Section table ({(l.IsExtreme ? "EXTREME: a root-pointer array, each root one page of struct mem_section" : "static: one array of struct mem_section")})");
        var table = new TextTable();
        void Constant(string kernelName)
        {
            var c = l[kernelName];
            table.Add(kernelName, c.DecimalText, c.Formula ?? string.Empty);
        }

        table.Add("section size", Human((UInt128)1 << l.SectionSizeBits), $"SECTION_SIZE_BITS = {l.SectionSizeBits}");
        Constant("NR_MEM_SECTIONS");
        Constant("SECTIONS_PER_ROOT");
        Constant("NR_SECTION_ROOTS");
        int longBytes = l.BitsPerLong / 8;
        if (l.IsExtreme)
        {
            UInt128 roots = (UInt128)l.NrSectionRoots * (UInt128)longBytes;
            table.Add("root-pointer array", Units.Bytes(roots), $"NR_SECTION_ROOTS * sizeof(void *) = {l.NrSectionRoots} * {longBytes}");
        }
        else
        {
            UInt128 bytes = (UInt128)l.NrMemSections * (UInt128)l.MemSectionSize;
            table.Add("static table", Units.Bytes(bytes), $"NR_MEM_SECTIONS * sizeof(struct mem_section) = {l.NrMemSections} * {l.MemSectionSize}");
        }

        UInt128 memmap = (UInt128)l.PagesPerSection * (UInt128)l.StructPageSize;
        table.Add("memmap per section", Units.Bytes(memmap), $"PAGES_PER_SECTION * sizeof(struct page) = {l.PagesPerSection} * {l.StructPageSize}");
        table.Write(w);
    }

    private static void WriteNotes(TextWriter w, MemoryLayout l)
    {
        IReadOnlyList<LayoutDiagnostic> notes = l.Diagnostics;
        if (notes.Count == 0)
        {
            w.WriteLine("Notes: none");
            return;
        }

        w.WriteLine("Notes");
        foreach (var d in notes)
        {
            w.WriteLine("  " + d);
        }
    }
}
