using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// The inputs of a memory model that a <c>VMCOREINFO</c> note settles: the page size, the section
/// size and physical address width (chosen at boot on x86-64: 46 or 52 bits with 5-level paging), and
/// SPARSEMEM_EXTREME and PAGE_EXTENSION, read back from the size of the root array and of
/// <c>struct mem_section</c>. Where node and zone sit in <c>page-&gt;flags</c> is not in the note: that
/// needs the kernel's configuration.
/// </summary>
internal static class VmcoreLayoutInputs
{
    /// <summary>The inputs the note settles, each with the key that settled it.</summary>
    /// <param name="info">The note.</param>
    /// <param name="settled">Receives (input, key=value) pairs for reports.</param>
    /// <returns>The options (only the settled ones are set).</returns>
    /// <exception cref="FormatException">A key the model needs is missing or malformed, or the keys disagree; the message names them and their values.</exception>
    public static LayoutOptions Read(VmcoreInfo info, List<KeyValuePair<string, string>> settled)
    {
        ulong pageSize = info.Require("PAGESIZE", info.PageSize, "the page size");
        if (pageSize == 0 || (pageSize & (pageSize - 1)) != 0 || pageSize < 1024 || pageSize > (1UL << 18))
        {
            throw new FormatException(info.Source + ": PAGESIZE=" + Str(pageSize) + " is not a power of two from 1 KiB to 256 KiB");
        }

        int pageShift = Log2(pageSize);
        var options = new LayoutOptions { Model = Model.Sparse, PageShift = pageShift, BitsPerLong = 64 };
        settled.Add(Pair("PageShift", "PAGESIZE=" + Str(pageSize)));

        long ssb = info.Require("NUMBER(SECTION_SIZE_BITS)", info.Number("SECTION_SIZE_BITS"), "the section size (the note is not of a SPARSEMEM kernel?)");
        long mpb = info.Require("NUMBER(MAX_PHYSMEM_BITS)", info.Number("MAX_PHYSMEM_BITS"), "the size of the section table");
        if (ssb <= pageShift || ssb >= 64 || mpb < ssb || mpb > 64)
        {
            throw new FormatException(info.Source + ": NUMBER(SECTION_SIZE_BITS)=" + Str(ssb) + " and NUMBER(MAX_PHYSMEM_BITS)=" + Str(mpb)
                + " do not make a section table (PAGE_SHIFT " + Str(pageShift) + " < SECTION_SIZE_BITS <= MAX_PHYSMEM_BITS <= 64 is needed)");
        }

        options.SectionSizeBits = (int)ssb;
        options.MaxPhysmemBits = (int)mpb;
        settled.Add(Pair("SectionSizeBits", "NUMBER(SECTION_SIZE_BITS)=" + Str(ssb)));
        settled.Add(Pair("MaxPhysmemBits", "NUMBER(MAX_PHYSMEM_BITS)=" + Str(mpb)));

        // include/linux/mmzone.h: NR_SECTION_ROOTS = NR_MEM_SECTIONS / SECTIONS_PER_ROOT, where a root
        // holds PAGE_SIZE / sizeof(struct mem_section) sections with EXTREME and one without.
        ulong roots = info.Require("LENGTH(mem_section)", info.Length("mem_section"), "the number of section roots");
        ulong size = info.Require("SIZE(mem_section)", info.Size("mem_section"), "the size of struct mem_section");
        ulong sections = 1UL << (int)(mpb - ssb);
        if (roots == sections)
        {
            options.Extreme = false;
        }
        else if (size != 0 && roots * (pageSize / size) == sections)
        {
            options.Extreme = true;
        }
        else
        {
            throw new FormatException(info.Source + ": LENGTH(mem_section)=" + Str(roots) + " fits neither a static table of 2^(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS) = "
                + Str(sections) + " sections nor SPARSEMEM_EXTREME roots of PAGESIZE / SIZE(mem_section) = " + Str(pageSize) + " / " + Str(size) + " sections each");
        }

        settled.Add(Pair("Extreme", "LENGTH(mem_section)=" + Str(roots) + ", SIZE(mem_section)=" + Str(size)));

        // struct mem_section is two words, four with CONFIG_PAGE_EXTENSION (page_ext and a pad).
        if (size == 16 || size == 32)
        {
            options.PageExtension = size == 32;
            settled.Add(Pair("PageExtension", "SIZE(mem_section)=" + Str(size)));
        }

        // SYMBOL(vmemmap) is written by newer kernels with SPARSEMEM_VMEMMAP (6.12 has it, 6.1 does
        // not); older ones say it only through the decoded section_mem_map, which needs the dump.
        if (info.Symbol("vmemmap") is not null)
        {
            options.Vmemmap = true;
            settled.Add(Pair("Vmemmap", "SYMBOL(vmemmap)=" + info.Get("SYMBOL(vmemmap)")));
        }

        return options;
    }

    private static KeyValuePair<string, string> Pair(string name, string why) => new(name, why);

    private static int Log2(ulong value)
    {
        int n = 0;
        while ((1UL << n) < value)
        {
            n++;
        }

        return n;
    }

    private static string Str(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
