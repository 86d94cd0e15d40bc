using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>One section of a dump's section table.</summary>
/// <param name="Number">The section number.</param>
/// <param name="MemMap">The raw <c>section_mem_map</c> word.</param>
/// <param name="PagesBase">The decoded memmap pointer (biased: the page of pfn p is at <c>PagesBase + p * SIZE(page)</c>).</param>
internal readonly record struct DumpSection(ulong Number, ulong MemMap, ulong PagesBase);

/// <summary>Receives one physically contiguous run of a section's memmap: the first pfn and its struct pages, the dump's own bytes.</summary>
internal delegate void MemmapRunAction(ulong firstPfn, ReadOnlySpan<byte> pages);

/// <summary>
/// A dump's memmap, read-only: the section table found from <c>SYMBOL(mem_section)</c> (the root array
/// with SPARSEMEM_EXTREME), each <c>section_mem_map</c> decoded as the dump's kernel version encodes
/// it, and the struct pages found through the page tables. Serves <see cref="PfnValid"/>,
/// <see cref="PfnToPage"/> (the dump's bytes, never a copy) and walks over present sections, valid
/// pfns and each section's memmap runs.
/// </summary>
internal sealed class VmcoreMemmap
{
    private readonly VmcoreDump _dump;
    private readonly Dictionary<ulong, int> _index = new();
    private readonly List<DumpSection> _sections = new();
    private ulong _firstBase;

    /// <summary>Reads the section table of <paramref name="dump"/>.</summary>
    /// <param name="dump">The dump.</param>
    /// <param name="zoneDevice">CONFIG_ZONE_DEVICE when a configuration says it, else null.</param>
    /// <exception cref="VmcoreException">A key is missing or the table is not in the dump.</exception>
    public VmcoreMemmap(VmcoreDump dump, bool? zoneDevice)
    {
        _dump = dump;
        var info = dump.Info;
        VmcoreDump.Wrap(() =>
        {
            PageShift = (int)Math.Log2(info.Require("PAGESIZE", info.PageSize, "the page size"));
            SectionSizeBits = (int)info.Require("NUMBER(SECTION_SIZE_BITS)", info.Number("SECTION_SIZE_BITS"), "the section size");
            MaxPhysmemBits = (int)info.Require("NUMBER(MAX_PHYSMEM_BITS)", info.Number("MAX_PHYSMEM_BITS"), "the section table");
            StructPageSize = (int)info.Require("SIZE(page)", info.Size("page"), "the memmap");
            SectionStructSize = info.Require("SIZE(mem_section)", info.Size("mem_section"), "the section table");
            Roots = info.Require("LENGTH(mem_section)", info.Length("mem_section"), "the section table");
            Table = info.Require("SYMBOL(mem_section)", info.Symbol("mem_section"), "the section table");
            MapOffset = info.Require("OFFSET(mem_section.section_mem_map)", info.Offset("mem_section.section_mem_map"), "the section table");
            return 0;
        });
        if (StructPageSize < 8 || StructPageSize > 4096 || SectionStructSize < 8 || SectionStructSize > 4096 || MaxPhysmemBits - SectionSizeBits > 40)
        {
            throw new VmcoreException(info.Source + ": SIZE(page)=" + StructPageSize + ", SIZE(mem_section)=" + SectionStructSize + " or NUMBER(MAX_PHYSMEM_BITS) - NUMBER(SECTION_SIZE_BITS) = "
                + (MaxPhysmemBits - SectionSizeBits) + " is not a size a kernel uses");
        }

        // The memmap is read in runs of whole struct pages within one page-table leaf; a struct page
        // that straddled two pages of the memmap would need its halves put together, which this reader
        // does not do (every x86-64 kernel seen has 64-byte struct pages), so such a dump is refused.
        if ((1L << PageShift) % StructPageSize != 0)
        {
            throw new VmcoreException(info.Source + ": SIZE(page)=" + StructPageSize + " does not divide PAGESIZE=" + (1L << PageShift)
                + ": struct pages straddle the memmap's pages, which this reader does not put together");
        }

        Encoding = SectionEncoding.For(dump.Version, zoneDevice);
        ReadTable();
    }

    /// <summary>PAGE_SHIFT.</summary>
    public int PageShift { get; private set; }

    /// <summary>SECTION_SIZE_BITS.</summary>
    public int SectionSizeBits { get; private set; }

    /// <summary>MAX_PHYSMEM_BITS.</summary>
    public int MaxPhysmemBits { get; private set; }

    /// <summary><c>sizeof(struct page)</c>.</summary>
    public int StructPageSize { get; private set; }

    /// <summary>PAGES_PER_SECTION.</summary>
    public ulong PagesPerSection => 1UL << (SectionSizeBits - PageShift);

    /// <summary>NR_MEM_SECTIONS.</summary>
    public ulong NrMemSections => 1UL << (MaxPhysmemBits - SectionSizeBits);

    /// <summary>Whether the table has SPARSEMEM_EXTREME roots.</summary>
    public bool IsExtreme => Roots != NrMemSections;

    /// <summary>The section flag encoding used.</summary>
    public SectionEncoding Encoding { get; }

    /// <summary>Every present section, by number.</summary>
    public IReadOnlyList<DumpSection> PresentSections => _sections;

    /// <summary>How many present sections have no memmap (not valid).</summary>
    public int SectionsWithoutMemmap { get; private set; }

    /// <summary>How many valid sections are not early (hot-added): their subsection map is not read, the whole section counts as valid.</summary>
    public int LateSections { get; private set; }

    /// <summary>Whether every valid section decodes to one memmap base (SPARSEMEM_VMEMMAP), or null with no valid section.</summary>
    public bool? SharedBase { get; private set; }

    private ulong SectionStructSize { get; set; }

    private ulong Roots { get; set; }

    private ulong Table { get; set; }

    private ulong MapOffset { get; set; }

    /// <summary>The section of <paramref name="number"/>, if present.</summary>
    public bool TryGetSection(ulong number, out DumpSection section)
    {
        if (_index.TryGetValue(number, out int i))
        {
            section = _sections[i];
            return true;
        }

        section = default;
        return false;
    }

    /// <summary>Whether the section is valid (has a memmap).</summary>
    public bool IsValid(in DumpSection s) => SectionEncoding.Has(s.MemMap, Encoding.HasMemMap);

    /// <summary>
    /// The kernel's <c>pfn_valid</c> for generic SPARSEMEM: the section is in range and has a memmap.
    /// Boot sections are early and valid whole; a hot-added section's subsection map is not read (see <see cref="LateSections"/>).
    /// </summary>
    public bool PfnValid(ulong pfn)
    {
        if ((pfn << PageShift) >> PageShift != pfn)
        {
            return false;
        }

        ulong nr = pfn >> (SectionSizeBits - PageShift);
        return nr < NrMemSections && TryGetSection(nr, out var s) && IsValid(s);
    }

    /// <summary>The kernel virtual address of the struct page of <paramref name="pfn"/> (<c>pfn_to_page</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pfn is not valid.</exception>
    public ulong PageAddress(ulong pfn)
    {
        if (!PfnValid(pfn))
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), pfn, "pfn 0x" + pfn.ToString("x", CultureInfo.InvariantCulture) + " is not valid in " + _dump.Core.Path + " (its section has no memmap)");
        }

        TryGetSection(pfn >> (SectionSizeBits - PageShift), out var s);
        return s.PagesBase + (pfn * (ulong)StructPageSize);
    }

    /// <summary>The struct page of <paramref name="pfn"/>: the dump's bytes, read-only, no copy.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pfn is not valid.</exception>
    /// <exception cref="VmcoreException">Its struct page is not mapped or not in the dump.</exception>
    public ReadOnlySpan<byte> PfnToPage(ulong pfn)
    {
        ulong virt = PageAddress(pfn);
        ulong phys = _dump.Tables.Translate(virt, "the struct page of pfn 0x" + pfn.ToString("x", CultureInfo.InvariantCulture));
        var bytes = _dump.Core.TryView(phys, StructPageSize);
        return bytes.IsEmpty
            ? throw new VmcoreException(_dump.Core.Path + ": the struct page of pfn 0x" + pfn.ToString("x", CultureInfo.InvariantCulture) + " (physical 0x" + phys.ToString("x", CultureInfo.InvariantCulture) + ") is not in the dump")
            : bytes;
    }

    /// <summary>
    /// The pfn whose struct page is at kernel virtual <paramref name="address"/>, found through the section
    /// of <paramref name="near"/> (a compound page never crosses a section of the classic memmap, and
    /// with VMEMMAP every section decodes to one base); null when the address is not a struct page there.
    /// </summary>
    public ulong? PfnOfPage(ulong near, ulong address)
    {
        if (!TryGetSection(near >> (SectionSizeBits - PageShift), out var s) || address < s.PagesBase)
        {
            return null;
        }

        ulong offset = address - s.PagesBase;
        return offset % (ulong)StructPageSize == 0 && offset / (ulong)StructPageSize < (1UL << (MaxPhysmemBits - PageShift)) ? offset / (ulong)StructPageSize : null;
    }

    /// <summary>Every valid pfn, in order.</summary>
    public IEnumerable<ulong> ValidPfns()
    {
        foreach (var s in _sections)
        {
            if (IsValid(s))
            {
                ulong first = s.Number << (SectionSizeBits - PageShift);
                for (ulong p = first; p < first + PagesPerSection; p++)
                {
                    yield return p;
                }
            }
        }
    }

    /// <summary>
    /// Walks the memmap of valid section <paramref name="s"/> in physically contiguous runs (one per
    /// page-table leaf); <paramref name="missing"/> receives the pfns whose struct pages are unmapped or not in the dump.
    /// </summary>
    public void ForEachRun(in DumpSection s, MemmapRunAction action, out ulong missing)
    {
        missing = 0;
        ulong pfn = s.Number << (SectionSizeBits - PageShift);
        while (NextRun(s, ref pfn, out ulong first, out var pages, ref missing))
        {
            action(first, pages);
        }
    }

    /// <summary>
    /// The next physically contiguous run of valid section <paramref name="s"/>'s memmap at or after
    /// <paramref name="pfn"/> (start at the section's first pfn), for loops that take no delegate.
    /// </summary>
    /// <param name="s">The section.</param>
    /// <param name="pfn">Where to look; moved past the run returned.</param>
    /// <param name="firstPfn">The pfn of the run's first struct page.</param>
    /// <param name="pages">The run's struct pages, the dump's own bytes.</param>
    /// <param name="missing">Increased by the pfns skipped because their struct pages are unmapped or not in the dump.</param>
    /// <returns>False when the section has no more runs.</returns>
    public bool NextRun(in DumpSection s, ref ulong pfn, out ulong firstPfn, out ReadOnlySpan<byte> pages, ref ulong missing)
    {
        ulong sp = (ulong)StructPageSize;
        ulong end = (s.Number + 1) << (SectionSizeBits - PageShift);
        while (pfn < end)
        {
            ulong virt = s.PagesBase + (pfn * sp);
            ulong count;
            if (_dump.Tables.TryTranslate(virt, out ulong phys, out ulong remaining))
            {
                // As many whole struct pages of this leaf as the dump holds from here; when it holds
                // none, skip those up to the next byte it does hold (a trimmed or partial dump).
                count = Math.Max(1, Math.Min(end - pfn, remaining / sp));
                var bytes = _dump.Core.ViewPrefix(phys, checked((int)(count * sp)), out ulong gap);
                ulong held = (ulong)bytes.Length / sp;
                if (held > 0)
                {
                    firstPfn = pfn;
                    pages = bytes.Slice(0, (int)(held * sp));
                    pfn += held;
                    return true;
                }

                count = Math.Min(count, Math.Max(1, gap / sp + (gap % sp == 0 ? 0UL : 1UL)));
            }
            else
            {
                // An unmapped struct page: skip to the next page of the memmap.
                count = Math.Max(1, Math.Min(end - pfn, (4096 - (virt & 4095)) / sp));
            }

            missing += count;
            pfn += count;
        }

        firstPfn = pfn;
        pages = default;
        return false;
    }

    private void ReadTable()
    {
        ulong size = SectionStructSize;
        if (IsExtreme)
        {
            ulong perRoot = NrMemSections / Roots;
            var roots = new byte[checked((int)(Roots * 8))];
            _dump.Tables.Read(Table, roots, "the section roots (SYMBOL(mem_section))");
            var root = new byte[checked((int)(perRoot * size))];
            for (ulong r = 0; r < Roots; r++)
            {
                ulong pointer = BitConverter.ToUInt64(roots, (int)(r * 8));
                if (pointer != 0)
                {
                    _dump.Tables.Read(pointer, root, "section root " + r.ToString(CultureInfo.InvariantCulture));
                    AddSections(root, r * perRoot, perRoot);
                }
            }
        }
        else
        {
            // A static table: read it in slices so that a large one is not held whole.
            const ulong Slice = 4096;
            var buffer = new byte[checked((int)(Slice * size))];
            for (ulong first = 0; first < NrMemSections; first += Slice)
            {
                ulong count = Math.Min(Slice, NrMemSections - first);
                _dump.Tables.Read(Table + (first * size), buffer.AsSpan(0, (int)(count * size)), "the section table (SYMBOL(mem_section))");
                AddSections(buffer, first, count);
            }
        }
    }

    private void AddSections(byte[] structs, ulong firstNumber, ulong count)
    {
        ulong size = SectionStructSize;
        for (ulong i = 0; i < count; i++)
        {
            ulong map = BitConverter.ToUInt64(structs, (int)((i * size) + MapOffset));
            if (!SectionEncoding.Has(map, Encoding.Present))
            {
                continue;
            }

            ulong nr = firstNumber + i;
            bool valid = SectionEncoding.Has(map, Encoding.HasMemMap);
            ulong pagesBase = valid ? map & Encoding.MapMask : 0;
            _index[nr] = _sections.Count;
            _sections.Add(new DumpSection(nr, map, pagesBase));
            if (!valid)
            {
                SectionsWithoutMemmap++;
                continue;
            }

            if (!SectionEncoding.Has(map, Encoding.Early))
            {
                LateSections++;
            }

            if (SharedBase is null)
            {
                _firstBase = pagesBase;
                SharedBase = true;
            }
            else
            {
                SharedBase = SharedBase.Value && pagesBase == _firstBase;
            }
        }
    }
}
