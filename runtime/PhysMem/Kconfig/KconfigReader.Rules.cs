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
    private sealed partial class Reader
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

        /// <summary>FLATMEM or SPARSEMEM and its variants (mm/Kconfig).</summary>
        public void ReadModel()
        {
            if (IsSet("SPARSEMEM"))
            {
                Set("Model", "Sparse", Line("SPARSEMEM"), "CONFIG_SPARSEMEM");
                SetBool("Vmemmap");
                SetBool("Extreme");
                SetBool("DeferredStructPageInit");
                if (_rules.HasVmemmapPreinit)
                {
                    SetBool("VmemmapPreinit");
                }
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

            SetBool("NumaBalancing");
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

            SetBool("LruGen");
            SetBool("PageExtension");
            SetBool("MemoryIsolation");

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

            ReadPageBlockMaxOrder();
        }

        // mm/Kconfig (6.16+): "range 1 10 if ARCH_FORCE_MAX_ORDER = 0", "range 1 ARCH_FORCE_MAX_ORDER if
        // ARCH_FORCE_MAX_ORDER != 0". Read under the version's own name; a configuration without the
        // line leaves the input unset, which is MAX_PAGE_ORDER, the symbol's default.
        private void ReadPageBlockMaxOrder()
        {
            if (_rules.PageBlockMaxOrderSymbol is not { } symbol)
            {
                return;
            }

            long force = Int("ARCH_FORCE_MAX_ORDER", long.MinValue, long.MaxValue, string.Empty) ?? 0;
            long max = force != 0 ? force : 10;
            string range = "it has the range 1 to " + (force != 0 ? "CONFIG_ARCH_FORCE_MAX_ORDER = " + Str(force) : "10 without CONFIG_ARCH_FORCE_MAX_ORDER") + " (mm/Kconfig)";
            if (Int(symbol, 1, max, range) is long order)
            {
                Set("PageBlockMaxOrder", Str(order), Line(symbol), "CONFIG_" + symbol + " (its name in " + _rules.Version + ")");
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

        // An input that is one bool symbol: the symbol is the table's (InputTable), so it is named once.
        private void SetBool(string name)
        {
            string symbol = InputTable.Find(name)!.KconfigSymbols[0];
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
