using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PhysMem;

// The reading itself: one pass per concern over the symbols. Facts come from the reference's
// tables: arch/*/include/asm/sparsemem.h (section size, physical address width), the arch and mm
// Kconfig files (which options select or exclude which), include/linux/page-flags.h (enum
// pageflags per version), include/linux/page-flags-layout.h and kernel/bounds.c.
internal static partial class KconfigReader
{
    // The int symbols the reader uses (every one is an int in Kconfig, none a hex).
    private static readonly string[] IntSymbols = { "NR_CPUS", "NODES_SHIFT", "ARM64_PA_BITS", "MAX_PHYSMEM_BITS", "PAGE_SHIFT", "ARCH_FORCE_MAX_ORDER", "FORCE_MAX_ZONEORDER" };

    private sealed class Reader
    {
        private readonly KconfigFile _file;
        private readonly KernelRules _rules;
        private readonly KconfigResult _result;
        private readonly HashSet<string> _checkedBools = new(System.StringComparer.Ordinal);
        private int _archLine;
        private bool _is64;

        public Reader(KconfigFile file, KernelRules rules, KconfigResult result)
        {
            _file = file;
            _rules = rules;
            _result = result;
        }

        private string FileName => _result.FileName;

        /// <summary>The architecture: word size, page size, SECTION_SIZE_BITS and MAX_PHYSMEM_BITS.</summary>
        public bool ReadArch()
        {
            _is64 = IsSet("64BIT");
            if (IsSet("X86_64"))
            {
                _archLine = Line("X86_64");
                bool fiveLevel = IsSet("X86_5LEVEL") || _rules.X86FiveLevelAlways;
                Arch(fiveLevel ? PhysMem.Arch.X86_64_5Level : PhysMem.Arch.X86_64, "x86_64");
                Word(64);
                Set("PageShift", "12", _archLine, "CONFIG_X86_64: 4 KiB pages");
                Set("SectionSizeBits", "27", _archLine, "CONFIG_X86_64 (arch/x86/include/asm/sparsemem.h)");
                if (fiveLevel)
                {
                    int line = IsSet("X86_5LEVEL") ? Line("X86_5LEVEL") : _archLine;
                    Set("MaxPhysmemBits", "52", line, (IsSet("X86_5LEVEL") ? "CONFIG_X86_5LEVEL" : "5-level paging built in since 6.16") + ": 52 when the CPU has 5-level paging, 46 otherwise");
                }
                else
                {
                    Set("MaxPhysmemBits", "46", _archLine, "CONFIG_X86_64 without 5-level paging");
                }

                return true;
            }

            if (IsSet("X86_32") || (_file.HeaderArch == "x86" && !_is64 && IsSet("X86")))
            {
                _archLine = IsSet("X86_32") ? Line("X86_32") : Line("X86");
                bool pae = IsSet("X86_PAE");
                Arch(pae ? PhysMem.Arch.X86_32_Pae : PhysMem.Arch.X86_32, "x86 (32-bit)");
                Word(32);
                Set("PageShift", "12", _archLine, "CONFIG_X86_32: 4 KiB pages");
                int line = pae ? Line("X86_PAE") : _archLine;
                string why = pae ? "CONFIG_X86_PAE" : "CONFIG_X86_32 without PAE";
                Set("SectionSizeBits", pae ? "29" : "26", line, why);
                Set("MaxPhysmemBits", pae ? "36" : "32", line, why);
                return true;
            }

            if (IsSet("ARM64"))
            {
                _archLine = Line("ARM64");
                int pageShift = PageShiftFrom("arch/arm64/Kconfig", ("ARM64_64K_PAGES", 16), ("ARM64_16K_PAGES", 14), ("ARM64_4K_PAGES", 12)) ?? 0;
                if (pageShift == 0)
                {
                    pageShift = 12;
                    Set("PageShift", "12", _archLine, "CONFIG_ARM64 without a page size option: 4 KiB pages");
                }

                bool small = _rules.Arm64SmallSections;
                Arch(pageShift switch
                {
                    16 => PhysMem.Arch.Arm64_64K,
                    14 => PhysMem.Arch.Arm64_16K,
                    _ => small ? PhysMem.Arch.Arm64_4K : PhysMem.Arch.Arm64_4K_Pre512,
                }, "arm64");
                Word(64);
                Set("SectionSizeBits", !small ? "30" : pageShift == 16 ? "29" : "27", _archLine,
                    small ? "CONFIG_ARM64 with " + Str(1 << (pageShift - 10)) + " KiB pages (arch/arm64/include/asm/sparsemem.h, 5.12 on)" : "CONFIG_ARM64 before 5.12");
                // arch/arm64/Kconfig: ARM64_PA_BITS has no prompt; Kconfig computes it, 48 or 52, from the PA size choice.
                if (Int("ARM64_PA_BITS", 48, 52, "Kconfig computes it from the physical address size choice, 48 or 52 (arch/arm64/Kconfig)", 48, 52) is long pa)
                {
                    Set("MaxPhysmemBits", Str(pa), Line("ARM64_PA_BITS"), pa == 52 ? "CONFIG_ARM64_PA_BITS=52: 52 when the CPU supports it, 48 otherwise" : "CONFIG_ARM64_PA_BITS");
                }
                else
                {
                    Set("MaxPhysmemBits", "48", _archLine, "CONFIG_ARM64 without CONFIG_ARM64_PA_BITS: 48");
                }

                return true;
            }

            if (IsSet("RISCV"))
            {
                _archLine = Line("RISCV");
                Word(_is64 ? 64 : 32);
                Set("PageShift", "12", _archLine, "CONFIG_RISCV: 4 KiB pages");
                Set("SectionSizeBits", "27", _archLine, "CONFIG_RISCV (arch/riscv/include/asm/sparsemem.h)");
                if (_is64)
                {
                    Arch(PhysMem.Arch.Riscv64, "riscv64");
                    Set("MaxPhysmemBits", "56", _archLine, "CONFIG_RISCV with CONFIG_64BIT");
                }
                else
                {
                    Arch(null, "riscv32");
                    Set("MaxPhysmemBits", Str(_rules.Riscv32MaxPhysmemBits), _archLine, "CONFIG_RISCV without CONFIG_64BIT");
                }

                return true;
            }

            if (IsSet("PPC64"))
            {
                _archLine = Line("PPC64");
                Arch(PhysMem.Arch.Ppc64, "powerpc64");
                Word(64);
                PageShiftFrom("arch/powerpc/Kconfig", ("PPC_256K_PAGES", 18), ("PPC_64K_PAGES", 16), ("PPC_16K_PAGES", 14), ("PPC_4K_PAGES", 12));
                Set("SectionSizeBits", "24", _archLine, "CONFIG_PPC64 (arch/powerpc/include/asm/sparsemem.h)");
                bool wide = IsSet("SPARSEMEM_VMEMMAP") && IsSet("SPARSEMEM_EXTREME");
                Set("MaxPhysmemBits", wide ? "51" : "46", _archLine, wide ? "CONFIG_PPC64 with SPARSEMEM_VMEMMAP and SPARSEMEM_EXTREME" : "CONFIG_PPC64");
                return true;
            }

            if (IsSet("S390"))
            {
                _archLine = Line("S390");
                Arch(PhysMem.Arch.S390, "s390");
                Word(64);
                Set("PageShift", "12", _archLine, "CONFIG_S390: 4 KiB pages");
                Set("SectionSizeBits", "28", _archLine, "CONFIG_S390 (arch/s390/include/asm/sparsemem.h)");
                // arch/s390/Kconfig: "range 42 53", default 46.
                if (Int("MAX_PHYSMEM_BITS", 42, 53, "it has the range 42 to 53 (arch/s390/Kconfig)") is long mpb)
                {
                    Set("MaxPhysmemBits", Str(mpb), Line("MAX_PHYSMEM_BITS"), "CONFIG_MAX_PHYSMEM_BITS");
                }
                else
                {
                    Set("MaxPhysmemBits", "46", _archLine, "CONFIG_S390 without CONFIG_MAX_PHYSMEM_BITS: its default, 46");
                }

                return true;
            }

            if (IsSet("LOONGARCH"))
            {
                _archLine = Line("LOONGARCH");
                Arch(PhysMem.Arch.LoongArch64, "loongarch64");
                Word(64);
                PageShiftFrom("arch/loongarch/Kconfig", ("PAGE_SIZE_64KB", 16), ("PAGE_SIZE_16KB", 14), ("PAGE_SIZE_4KB", 12));
                Set("SectionSizeBits", "29", _archLine, "CONFIG_LOONGARCH (arch/loongarch/include/asm/sparsemem.h)");
                Set("MaxPhysmemBits", "48", _archLine, "CONFIG_LOONGARCH");
                return true;
            }

            if (IsSet("SPARC64"))
            {
                _archLine = Line("SPARC64");
                Arch(PhysMem.Arch.Sparc64, "sparc64");
                Word(64);
                Set("PageShift", "13", _archLine, "CONFIG_SPARC64: 8 KiB pages");
                Set("SectionSizeBits", "30", _archLine, "CONFIG_SPARC64 (arch/sparc/include/asm/sparsemem.h)");
                Set("MaxPhysmemBits", "53", _archLine, "CONFIG_SPARC64 (MAX_PHYS_ADDRESS_BITS)");
                return true;
            }

            if (IsSet("ARM") && !_is64)
            {
                _archLine = Line("ARM");
                Arch(PhysMem.Arch.Arm, "arm");
                Word(32);
                Set("PageShift", "12", _archLine, "CONFIG_ARM: 4 KiB pages");
                Set("SectionSizeBits", "28", _archLine, "CONFIG_ARM (arch/arm/include/asm/sparsemem.h; machine headers may differ)");
                Set("MaxPhysmemBits", "36", _archLine, "CONFIG_ARM (arch/arm/include/asm/sparsemem.h; machine headers may differ)");
                return true;
            }

            if (_result.HasErrors)
            {
                // An architecture symbol that is not a bool (CONFIG_X86_64=1) was refused already;
                // calling the architecture unknown as well would blame the wrong thing.
                return false;
            }

            string name = _file.HeaderArch ?? "(none named)";
            int at = _file.HeaderLine;
            _result.Problems.Add(Problem(DiagnosticCatalog.KconfigUnknownArch, at, FileName, Str(at), name,
                "PhysMem reads x86 (CONFIG_X86_64, CONFIG_X86_32), arm64, riscv, powerpc64, s390, loongarch, sparc64 and 32-bit arm configurations"));
            return false;
        }

        /// <summary>FLATMEM or SPARSEMEM and its variants (mm/Kconfig).</summary>
        public void ReadModel()
        {
            if (IsSet("SPARSEMEM"))
            {
                Set("Model", "Sparse", Line("SPARSEMEM"), "CONFIG_SPARSEMEM");
                SetBool("Vmemmap", "SPARSEMEM_VMEMMAP");
                SetBool("Extreme", "SPARSEMEM_EXTREME");
            }
            else if (IsSet("FLATMEM"))
            {
                Set("Model", "Flat", Line("FLATMEM"), "CONFIG_FLATMEM");
                RemoveSetting("SectionSizeBits");
                RemoveSetting("MaxPhysmemBits");
            }
            else if (IsSet("DISCONTIGMEM"))
            {
                Set("Model", "Discontig", Line("DISCONTIGMEM"), "CONFIG_DISCONTIGMEM");
            }
        }

        /// <summary>Nodes, cpus, zones, the optional page-flag fields, the page-flag count, the allocator order.</summary>
        public void ReadRest()
        {
            // NODES_SHIFT exists only with NUMA (include/linux/numa.h: 0 otherwise). Its range is
            // 1 to 10 (arch/x86/Kconfig, arch/arm64/Kconfig; no architecture allows more). A NUMA
            // configuration without the line leaves the input to the preset or the default.
            if (IsSet("NUMA"))
            {
                if (Int("NODES_SHIFT", 1, 10, "it has the range 1 to 10 with CONFIG_NUMA (arch/x86/Kconfig, arch/arm64/Kconfig: \"range 1 10\")") is long nodes)
                {
                    Set("NodesShift", Str(nodes), Line("NODES_SHIFT"), "CONFIG_NODES_SHIFT with CONFIG_NUMA");
                }
            }
            else
            {
                Set("NodesShift", "0", Line("NUMA"), "CONFIG_NUMA is not set");
            }

            // NR_CPUS_BITS (kernel/bounds.c, CONFIG_SMP only) with the formula of this version.
            // NR_CPUS with SMP starts at 2 on every architecture and ends at 8192 at most (x86-64
            // with MAXSMP: arch/x86/Kconfig, NR_CPUS_RANGE_BEGIN and NR_CPUS_RANGE_END; powerpc's
            // range also ends there). Without the line the input is left to the preset or the default.
            if (IsSet("SMP"))
            {
                if (Int("NR_CPUS", 2, 8192, "with CONFIG_SMP it has the range 2 to 8192 at most (arch/x86/Kconfig: NR_CPUS_RANGE_BEGIN to NR_CPUS_RANGE_END; no architecture allows more)") is long cpus)
                {
                    Set("NrCpusBits", Str(_rules.NrCpusBits(cpus)), Line("NR_CPUS"),
                        "CONFIG_NR_CPUS=" + Str(cpus) + ", " + _rules.NrCpusBitsFormulaText + " (kernel/bounds.c of " + _rules.Version + ")");
                }
            }
            else
            {
                Set("NrCpusBits", "0", Line("SMP"), "CONFIG_SMP is not set");
            }

            SetBool("NumaBalancing", "NUMA_BALANCING");
            ReadZones();
            ReadPageflags();

            if (IsSet("KASAN_SW_TAGS"))
            {
                Set("KasanTagWidth", "8", Line("KASAN_SW_TAGS"), "CONFIG_KASAN_SW_TAGS");
            }
            else if (IsSet("KASAN_HW_TAGS"))
            {
                Set("KasanTagWidth", Str(_rules.KasanHwTagWidth), Line("KASAN_HW_TAGS"), "CONFIG_KASAN_HW_TAGS (" + (_rules.KasanHwTagWidth == 4 ? "4 bits from 6.16 on" : "8 bits before 6.16") + ")");
            }
            else
            {
                Set("KasanTagWidth", "0", Line("KASAN"), "no KASAN tags");
            }

            SetBool("LruGen", "LRU_GEN");
            SetBool("PageExtension", "PAGE_EXTENSION");
            SetBool("MemoryIsolation", "MEMORY_ISOLATION");

            if (Int("ARCH_FORCE_MAX_ORDER", long.MinValue, long.MaxValue, string.Empty) is long force)
            {
                bool inclusive = _rules.ForceMaxOrderIsInclusive;
                Set("MaxPageOrder", Str(inclusive ? force : force - 1), Line("ARCH_FORCE_MAX_ORDER"),
                    inclusive ? "CONFIG_ARCH_FORCE_MAX_ORDER (the largest order, 6.4 on)" : "CONFIG_ARCH_FORCE_MAX_ORDER - 1 (MAX_ORDER was exclusive before 6.4)");
            }
            else if (Int("FORCE_MAX_ZONEORDER", long.MinValue, long.MaxValue, string.Empty) is long zoneOrder)
            {
                Set("MaxPageOrder", Str(zoneOrder - 1), Line("FORCE_MAX_ZONEORDER"), "CONFIG_FORCE_MAX_ZONEORDER - 1");
            }
        }

        /// <summary>
        /// Every int symbol the reader knows, when the file sets it, must be an int in Kconfig's
        /// syntax (PMEM0033 on the value otherwise), whether or not this configuration uses it:
        /// Kconfig itself refuses such a line when it reads the file, and drops the value.
        /// </summary>
        public void CheckNumbers()
        {
            foreach (string symbol in IntSymbols)
            {
                if (_file.Get(symbol) is { Column: > 0 } s && !KconfigFile.TryReadInt(s.Value, out _))
                {
                    Invalid(s, "CONFIG_" + symbol + " is an int symbol, and " + WhyNotAnInt(s.Value)
                        + " (scripts/kconfig/symbol.c); Kconfig would ignore the line and use the symbol's default");
                }
            }
        }

        /// <summary>The Kconfig dependencies between the options read, each a PMEM0114 at the line that breaks it.</summary>
        public void CheckRules()
        {
            bool sparse = IsSet("SPARSEMEM");
            bool vmemmap = IsSet("SPARSEMEM_VMEMMAP");
            if (vmemmap && !sparse)
            {
                Rule("SPARSEMEM_VMEMMAP", "SPARSEMEM_VMEMMAP depends on SPARSEMEM && SPARSEMEM_VMEMMAP_ENABLE (mm/Kconfig), and CONFIG_SPARSEMEM is not set");
            }

            if (IsSet("SPARSEMEM_EXTREME") && !sparse)
            {
                Rule("SPARSEMEM_EXTREME", "SPARSEMEM_EXTREME is def_bool SPARSEMEM && !SPARSEMEM_STATIC (mm/Kconfig), and CONFIG_SPARSEMEM is not set");
            }
            else if (IsSet("SPARSEMEM_EXTREME") && IsSet("SPARSEMEM_STATIC"))
            {
                Rule("SPARSEMEM_EXTREME", "SPARSEMEM_EXTREME is def_bool SPARSEMEM && !SPARSEMEM_STATIC (mm/Kconfig), and CONFIG_SPARSEMEM_STATIC is set at line " + Str(Line("SPARSEMEM_STATIC")));
            }

            if (sparse && IsSet("FLATMEM"))
            {
                string later = Line("FLATMEM") > Line("SPARSEMEM") ? "FLATMEM" : "SPARSEMEM";
                string other = later == "FLATMEM" ? "SPARSEMEM" : "FLATMEM";
                Rule(later, "the memory model is one choice: FLATMEM is def_bool !SPARSEMEM || FLATMEM_MANUAL and SPARSEMEM excludes FLATMEM_MANUAL (mm/Kconfig), but CONFIG_" + other + " is also set, at line " + Str(Line(other)));
            }

            if (IsSet("ZONE_DEVICE") && !vmemmap)
            {
                Rule("ZONE_DEVICE", "ZONE_DEVICE depends on MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP (mm/Kconfig), and CONFIG_SPARSEMEM_VMEMMAP is not set");
            }

            if (IsSet("NUMA_BALANCING") && !IsSet("NUMA"))
            {
                Rule("NUMA_BALANCING", "NUMA_BALANCING depends on SMP && NUMA && MIGRATION (init/Kconfig), and CONFIG_NUMA is not set");
            }
            else if (IsSet("NUMA_BALANCING") && IsSet("PREEMPT_RT"))
            {
                Rule("NUMA_BALANCING", "NUMA_BALANCING depends on !PREEMPT_RT (init/Kconfig), and CONFIG_PREEMPT_RT is set at line " + Str(Line("PREEMPT_RT")));
            }

            if (IsSet("HIGHMEM") && _is64)
            {
                Rule("HIGHMEM", "HIGHMEM is offered by 32-bit architectures only, and CONFIG_64BIT is set at line " + Str(Line("64BIT")));
            }

            if (IsSet("ZONE_DMA32") && IsSet("X86_32"))
            {
                Rule("ZONE_DMA32", "ZONE_DMA32 depends on !X86_32 (mm/Kconfig), and CONFIG_X86_32 is set at line " + Str(Line("X86_32")));
            }

            if (IsSet("LRU_GEN") && !(_is64 || !sparse || vmemmap))
            {
                Rule("LRU_GEN", "LRU_GEN depends on 64BIT || !SPARSEMEM || SPARSEMEM_VMEMMAP (mm/Kconfig: no room in page->flags), and this is a 32-bit classic SPARSEMEM configuration");
            }

            if (IsSet("KASAN_SW_TAGS") && IsSet("KASAN_HW_TAGS"))
            {
                Rule("KASAN_HW_TAGS", "the KASAN mode is one choice: KASAN_GENERIC, KASAN_SW_TAGS or KASAN_HW_TAGS (lib/Kconfig.kasan), but CONFIG_KASAN_SW_TAGS is also set, at line " + Str(Line("KASAN_SW_TAGS")));
            }
        }

        private void ReadZones()
        {
            // enum zone_type (include/linux/mmzone.h): Normal and Movable always.
            var zones = Zones.Normal | Zones.Movable;
            var names = new List<string>();
            int first = 0;
            foreach (var (symbol, zone) in new[] { ("ZONE_DMA", Zones.Dma), ("ZONE_DMA32", Zones.Dma32), ("HIGHMEM", Zones.HighMem), ("ZONE_DEVICE", Zones.Device) })
            {
                if (IsSet(symbol))
                {
                    zones |= zone;
                    names.Add("CONFIG_" + symbol);
                    first = first == 0 ? Line(symbol) : first;
                }
            }

            Set("Zones", zones.ToString(), first, names.Count == 0 ? "Normal and Movable only" : string.Join(", ", names) + ", plus Normal and Movable");
        }

        private void ReadPageflags()
        {
            // enum pageflags (include/linux/page-flags.h) of the version's series: the unconditional
            // entries, then those that depend on options.
            var why = new StringBuilder();
            int count = _rules.UnconditionalPageflags;
            why.Append(_rules.Series).Append(" enum pageflags: ").Append(Str(count));
            void Add(bool condition, int bits, string what)
            {
                if (condition)
                {
                    count += bits;
                    why.Append(" + ").Append(what);
                }
            }

            bool old = _rules.Series is "6.1" or "6.6";
            Add(IsSet("MMU"), 1, "mlocked");
            Add(old && IsSet("ARCH_USES_PG_UNCACHED"), 1, "uncached");
            Add(IsSet("MEMORY_FAILURE"), 1, "hwpoison");
            Add(IsSet("PAGE_IDLE_FLAG") && _is64, 2, "young + idle");
            if (_rules.Series == "6.1")
            {
                Add(_is64, 1, "arch_2");
                Add(IsSet("KASAN_HW_TAGS"), 1, "skip_kasan_poison");
            }
            else if (_rules.Series == "6.6")
            {
                Add(IsSet("ARCH_USES_PG_ARCH_X"), 2, "arch_2 + arch_3");
            }
            else
            {
                Add(IsSet("ARCH_USES_PG_ARCH_2"), 1, "arch_2");
                Add(IsSet("ARCH_USES_PG_ARCH_3"), 1, "arch_3");
            }

            Set("NrPageflags", Str(count), _file.HeaderLine, why.ToString());
        }

        private void Arch(Arch? preset, string name)
        {
            _result.Preset = preset;
            _result.ArchName = name;
            _result.ArchLine = _archLine;
        }

        private void Word(int bits)
        {
            int line = bits == 64 && IsSet("64BIT") ? Line("64BIT") : _archLine;
            Set("BitsPerLong", Str(bits), line, bits == 64 ? "CONFIG_64BIT" : "CONFIG_64BIT is not set");
        }

        private int? PageShiftFrom(string kconfigFile, params (string Symbol, int Shift)[] choices)
        {
            // The page size is one Kconfig choice: two of its options set is a hand-edited file.
            (string Symbol, int Shift)? chosen = null;
            foreach (var choice in choices)
            {
                if (!IsSet(choice.Symbol))
                {
                    continue;
                }

                if (chosen is { } first)
                {
                    var (later, earlier) = Line(choice.Symbol) > Line(first.Symbol) ? (choice.Symbol, first.Symbol) : (first.Symbol, choice.Symbol);
                    Rule(later, "the page size is one choice (" + kconfigFile + "), but CONFIG_" + earlier + " is also set, at line " + Str(Line(earlier)));
                    return null;
                }

                chosen = choice;
            }

            // PAGE_SHIFT (arch/Kconfig, 6.9 on) has no prompt: Kconfig computes it from that choice,
            // 12 for 4 KiB pages up to 18 for 256 KiB.
            if (Int("PAGE_SHIFT", 12, 18, "Kconfig computes it from the page size choice, 12 to 18 (arch/Kconfig)") is long shift)
            {
                if (chosen is { } c && c.Shift != shift)
                {
                    Rule("PAGE_SHIFT", "PAGE_SHIFT is computed from the page size choice (arch/Kconfig), and CONFIG_" + c.Symbol + " at line " + Str(Line(c.Symbol)) + " makes it " + Str(c.Shift));
                    return null;
                }

                Set("PageShift", Str(shift), Line("PAGE_SHIFT"), "CONFIG_PAGE_SHIFT");
                return (int)shift;
            }

            if (chosen is { } only)
            {
                Set("PageShift", Str(only.Shift), Line(only.Symbol), "CONFIG_" + only.Symbol);
                return only.Shift;
            }

            return null;
        }

        /// <summary>
        /// Whether the bool symbol is <c>y</c>, as Kconfig reads it (the first letter). The first time
        /// the reader asks about a symbol its value is checked: a value whose first letter is neither
        /// <c>y</c> nor <c>n</c> (empty, <c>1</c>, <c>Y</c>, <c>m</c> of a bool) is PMEM0033, since
        /// Kconfig would refuse the line and use the symbol's default rather than either answer.
        /// </summary>
        private bool IsSet(string symbol)
        {
            if (_checkedBools.Add(symbol) && _file.Get(symbol) is { Column: > 0 } s && !(s.Value.StartsWith("y", System.StringComparison.Ordinal) || s.Value.StartsWith("n", System.StringComparison.Ordinal)))
            {
                Invalid(s, "CONFIG_" + symbol + " is a bool symbol, which Kconfig reads by its first letter, y or n"
                    + (s.Value.StartsWith("m", System.StringComparison.Ordinal) ? " (m is for tristate symbols)" : string.Empty)
                    + " (scripts/kconfig/confdata.c); Kconfig would ignore the line and use the symbol's default");
            }

            return _file.IsSet(symbol);
        }

        /// <summary>
        /// The value of the int symbol when the file sets it within [<paramref name="min"/>, <paramref name="max"/>]
        /// (and, when given, to one of <paramref name="only"/>); null when the file does not set it,
        /// or sets it to something else: a value out of range is reported here, with <paramref name="range"/>
        /// as the reason, and a value that is not an int was reported by <see cref="CheckNumbers"/>.
        /// </summary>
        private long? Int(string symbol, long min, long max, string range, params long[] only)
        {
            if (_file.Get(symbol) is not { Column: > 0 } s || !KconfigFile.TryReadInt(s.Value, out long value))
            {
                return null;
            }

            if (value < min || value > max || (only.Length > 0 && System.Array.IndexOf(only, value) < 0))
            {
                Invalid(s, range + "; Kconfig would reset it to the symbol's default");
                return null;
            }

            return value;
        }

        private void Invalid(KconfigSymbol s, string why) =>
            _result.Problems.Add(new KconfigProblem(
                new LayoutDiagnostic(DiagnosticCatalog.KconfigValueInvalid, new[] { FileName, Str(s.Line), Str(s.Column), TextLines.Shown(s.Value), s.Name, why }, new[] { "Kconfig" }),
                s.Line, s.Column, s.Value.Length));

        private static string WhyNotAnInt(string value) =>
            value.Length == 0 ? "the value is empty"
            : value[0] == '"' ? "an int is written without quotes"
            : value.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase) ? "an int is written in decimal (0x is for hex symbols)"
            : "an int is an optional '-' and the digits 0-9, without a leading zero";

        private void SetBool(string name, string symbol)
        {
            bool on = IsSet(symbol);
            Set(name, on ? "true" : "false", Line(symbol), "CONFIG_" + symbol + (on ? string.Empty : " is not set"));
        }

        private void Set(string name, string value, int line, string why)
        {
            RemoveSetting(name);
            KconfigValues.TrySet(_result.Options, name, value, out _);
            _result.Settings.Add(new KconfigSetting(name, value, line, why));
        }

        private void RemoveSetting(string name)
        {
            _result.Settings.RemoveAll(s => s.Name == name);
            KconfigValues.Clear(_result.Options, name);
        }

        // On the setting's value: the 'y' of CONFIG_SYMBOL=y is what Kconfig would not have written.
        private void Rule(string symbol, string rule)
        {
            var s = _file.Get(symbol);
            int line = s?.Line ?? 0;
            int column = s?.Column ?? 0;
            _result.Problems.Add(new KconfigProblem(
                new LayoutDiagnostic(DiagnosticCatalog.KconfigRuleBroken, new[] { FileName, Str(line), Str(column), s?.ToString() ?? "CONFIG_" + symbol, rule }, new[] { "Kconfig" }),
                line, column, s?.Value.Length ?? 0));
        }

        private int Line(string symbol) => _file.Get(symbol)?.Line ?? 0;

        private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
