using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// The inputs of a memory model that a <c>VMCOREINFO</c> note settles: SPARSEMEM, the page size, the
/// section size and physical address width (chosen at boot on x86-64: 46 or 52 bits with 5-level
/// paging), and SPARSEMEM_EXTREME and PAGE_EXTENSION, read back from the size of the root array and of
/// <c>struct mem_section</c>. Where node and zone sit in <c>page-&gt;flags</c> is not in the note: that
/// needs the kernel's configuration. Shared by the source generator (a note among the AdditionalFiles)
/// and the dump reader (the note of the dump).
/// </summary>
internal static class VmcoreLayoutInputs
{
    /// <summary>The inputs the note settles, each with the key that settled it; throws on the first problem.</summary>
    /// <param name="info">The note.</param>
    /// <param name="settled">Receives (input, key=value) pairs for reports.</param>
    /// <returns>The options (only the settled ones are set).</returns>
    /// <exception cref="FormatException">A key the model needs is missing or malformed, or the keys disagree; the message names them and their values.</exception>
    public static LayoutOptions Read(VmcoreInfo info, List<KeyValuePair<string, string>> settled)
    {
        var settings = new List<KconfigSetting>();
        var problems = new List<KconfigProblem>();
        var options = Read(info, info.Source, settings, problems);
        if (options is null)
        {
            throw new FormatException(problems[0].Diagnostic.Message);
        }

        foreach (var s in settings)
        {
            settled.Add(new KeyValuePair<string, string>(s.Name, s.Why));
        }

        return options;
    }

    /// <summary>
    /// The inputs the note settles, each with the line of the key that settled it, or null when a key the
    /// model needs is missing or malformed or the keys disagree (<paramref name="problems"/> says which,
    /// each with its line: 0 for a key that is missing).
    /// </summary>
    /// <param name="info">The note.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <param name="settled">Receives the inputs settled (<see cref="KconfigSetting.Why"/> is <c>KEY=value</c>).</param>
    /// <param name="problems">Receives the problems.</param>
    /// <returns>The options (only the settled ones are set), or null.</returns>
    public static LayoutOptions? Read(VmcoreInfo info, string fileName, List<KconfigSetting> settled, List<KconfigProblem> problems)
    {
        var reader = new Reader(info, fileName, problems);
        if (reader.Unsigned("PAGESIZE", info.PageSize, "the page size") is not ulong pageSize)
        {
            return null;
        }

        if (pageSize == 0 || (pageSize & (pageSize - 1)) != 0 || pageSize < 1024 || pageSize > (1UL << 18))
        {
            reader.Malformed("PAGESIZE", "PAGESIZE=" + Str(pageSize) + " is not a power of two from 1 KiB to 256 KiB");
            return null;
        }

        int pageShift = Log2(pageSize);
        var options = new LayoutOptions { Model = Model.Sparse, PageShift = pageShift, BitsPerLong = 64 };
        const string Ssb = "NUMBER(SECTION_SIZE_BITS)", Mpb = "NUMBER(MAX_PHYSMEM_BITS)";
        long? ssbRead = reader.Signed(Ssb, info.Number("SECTION_SIZE_BITS"), "the section size (the note is not of a SPARSEMEM kernel?)");
        long? mpbRead = reader.Signed(Mpb, info.Number("MAX_PHYSMEM_BITS"), "the size of the section table");
        if (ssbRead is not long ssb || mpbRead is not long mpb)
        {
            return null;
        }

        if (ssb <= pageShift || ssb >= 64 || mpb < ssb || mpb > 64)
        {
            reader.Disagree(ssb <= pageShift || ssb >= 64 ? Ssb : Mpb, Ssb + "=" + Str(ssb) + " and " + Mpb + "=" + Str(mpb)
                + " do not make a section table (PAGE_SHIFT " + Str(pageShift) + " < SECTION_SIZE_BITS <= MAX_PHYSMEM_BITS <= 64 is needed)");
            return null;
        }

        options.SectionSizeBits = (int)ssb;
        options.MaxPhysmemBits = (int)mpb;

        // include/linux/mmzone.h: NR_SECTION_ROOTS = NR_MEM_SECTIONS / SECTIONS_PER_ROOT, where a root
        // holds PAGE_SIZE / sizeof(struct mem_section) sections with EXTREME and one without.
        const string Roots = "LENGTH(mem_section)", Size = "SIZE(mem_section)";
        ulong? rootsRead = reader.Unsigned(Roots, info.Length("mem_section"), "the number of section roots");
        ulong? sizeRead = reader.Unsigned(Size, info.Size("mem_section"), "the size of struct mem_section");
        if (rootsRead is not ulong roots || sizeRead is not ulong size)
        {
            return null;
        }

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
            reader.Disagree(Roots, Roots + "=" + Str(roots) + " fits neither a static table of 2^(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS) = "
                + Str(sections) + " sections nor SPARSEMEM_EXTREME roots of PAGESIZE / SIZE(mem_section) = " + Str(pageSize) + " / " + Str(size) + " sections each");
            return null;
        }

        void Settle(string name, string key, string why) => settled.Add(new KconfigSetting(name, KconfigValues.Format(options, name)!, info.LineOf(key), why));
        Settle("Model", Ssb, Ssb + "=" + Str(ssb));
        Settle("PageShift", "PAGESIZE", "PAGESIZE=" + Str(pageSize));
        Settle("SectionSizeBits", Ssb, Ssb + "=" + Str(ssb));
        Settle("MaxPhysmemBits", Mpb, Mpb + "=" + Str(mpb));
        Settle("Extreme", Roots, Roots + "=" + Str(roots) + ", " + Size + "=" + Str(size));

        // struct mem_section is two words, four with CONFIG_PAGE_EXTENSION (page_ext and a pad).
        if (size == 16 || size == 32)
        {
            options.PageExtension = size == 32;
            Settle("PageExtension", Size, Size + "=" + Str(size));
        }

        // SYMBOL(vmemmap) is written by newer kernels with SPARSEMEM_VMEMMAP (6.12 has it, 6.1 does
        // not); older ones say it only through the decoded section_mem_map, which needs the dump.
        if (info.Symbol("vmemmap") is not null)
        {
            options.Vmemmap = true;
            Settle("Vmemmap", "SYMBOL(vmemmap)", "SYMBOL(vmemmap)=" + info.Get("SYMBOL(vmemmap)"));
        }

        return options;
    }

    /// <summary><c>vmcoreinfo vmcoreinfo.txt:15 (NUMBER(MAX_PHYSMEM_BITS)=52)</c>: where an input came from.</summary>
    public static string SourceOf(string fileName, KconfigSetting setting) =>
        "vmcoreinfo " + fileName + (setting.Line > 0 ? ":" + Str(setting.Line) : string.Empty) + " (" + setting.Why + ")";

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

    /// <summary>Reads the keys the model needs, turning each missing or malformed one into a problem on its line.</summary>
    private sealed class Reader
    {
        private readonly VmcoreInfo _info;
        private readonly string _fileName;
        private readonly List<KconfigProblem> _problems;

        public Reader(VmcoreInfo info, string fileName, List<KconfigProblem> problems)
        {
            _info = info;
            _fileName = fileName;
            _problems = problems;
        }

        public ulong? Unsigned(string key, ulong? value, string needed) => Check(key, value is not null, needed, "unsigned decimal") ? value : null;

        public long? Signed(string key, long? value, string needed) => Check(key, value is not null, needed, "signed decimal") ? value : null;

        public void Malformed(string key, string why) => Add(DiagnosticCatalog.VmcoreInfoMalformed, key, why);

        public void Disagree(string key, string why) => Add(DiagnosticCatalog.VmcoreInfoKeysDisagree, key, why);

        private bool Check(string key, bool read, string needed, string numberBase)
        {
            if (read)
            {
                return true;
            }

            if (_info.Get(key) is { } raw)
            {
                Malformed(key, key + "=" + TextLines.Shown(raw) + " is not a number in the base the kernel writes it (" + numberBase + "); it is needed for " + needed);
            }
            else
            {
                _problems.Add(new KconfigProblem(new LayoutDiagnostic(DiagnosticCatalog.VmcoreInfoKeyMissing, new[] { _fileName, key, needed }, new[] { "VmcoreInfo" }), 0));
            }

            return false;
        }

        private void Add(DiagnosticDescriptorInfo descriptor, string key, string why)
        {
            int line = _info.LineOf(key);
            _problems.Add(new KconfigProblem(new LayoutDiagnostic(descriptor, new[] { _fileName, Str(line), why }, new[] { "VmcoreInfo" }), line));
        }
    }
}
