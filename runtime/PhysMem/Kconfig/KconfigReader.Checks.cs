namespace PhysMem;

// The checks: int symbols written as ints, and the Kconfig dependencies between the options read
// (mm/Kconfig, init/Kconfig, lib/Kconfig.kasan), each reported at the line that breaks it.
internal static partial class KconfigReader
{
    // The int symbols the reader uses (every one is an int in Kconfig, none a hex).
    private static readonly string[] IntSymbols = { "NR_CPUS", "NODES_SHIFT", "ARM64_PA_BITS", "MAX_PHYSMEM_BITS", "PAGE_SHIFT", "ARCH_FORCE_MAX_ORDER", "FORCE_MAX_ZONEORDER", "PAGE_BLOCK_ORDER", "PAGE_BLOCK_MAX_ORDER" };

    private sealed partial class Reader
    {
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

            if (_rules.HasVmemmapPreinit && IsSet("SPARSEMEM_VMEMMAP_PREINIT") && !vmemmap)
            {
                Rule("SPARSEMEM_VMEMMAP_PREINIT", "SPARSEMEM_VMEMMAP_PREINIT is selected only by HUGETLB_PAGE_OPTIMIZE_VMEMMAP, which depends on SPARSEMEM_VMEMMAP (fs/Kconfig), and CONFIG_SPARSEMEM_VMEMMAP is not set");
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
    }
}
