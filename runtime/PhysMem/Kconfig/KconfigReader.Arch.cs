namespace PhysMem;

// The architecture: which arch/*/Kconfig symbol is set, and what its headers
// (arch/*/include/asm/sparsemem.h, page.h) make of the page size, SECTION_SIZE_BITS and MAX_PHYSMEM_BITS.
internal static partial class KconfigReader
{
    private sealed partial class Reader
    {
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
    }
}
