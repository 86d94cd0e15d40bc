using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// Architecture presets: the values an architecture's headers and usual Kconfig give, from the
/// reference's table of architectures. Every value can be overridden by the attribute's named
/// properties. Presets whose values the reference could not confirm say so in their docs, value by
/// value, with the kernel file that settles each checked one (torvalds/linux; where the stored copy is
/// of one release, the doc says whether other releases differ). The zone set of x86-64 and arm64 is
/// DMA, DMA32, Normal, Movable; riscv64 and loongarch64 select only ZONE_DMA32 (DMA32, Normal,
/// Movable); sparc64, and powerpc64 as Debian's kernel shows, have Normal and Movable alone; s390x has
/// DMA, Normal, Movable; every 32-bit preset's is DMA, Normal, HighMem, Movable. NR_PAGEFLAGS is
/// PhysMem's default for the word size in every preset: the count depends on options
/// (MEMORY_FAILURE, IDLE_PAGE_TRACKING, ...) that no architecture header fixes, so a preset never
/// claims it.
/// </summary>
public enum Arch
{
    /// <summary>x86-64, 4-level paging: 4 KiB pages, SSB 27, MPB 46, VMEMMAP + EXTREME, NODES_SHIFT 6.</summary>
    X86_64 = 1,

    /// <summary>x86-64, 5-level paging: as <see cref="X86_64"/> with MPB 52 (the kernel picks 46 or 52 at boot).</summary>
    X86_64_5Level,

    /// <summary>32-bit x86 without PAE: SSB 26, MPB 32, classic SPARSEMEM, static table (SPARSEMEM_STATIC).</summary>
    X86_32,

    /// <summary>32-bit x86 with PAE: SSB 29, MPB 36, classic SPARSEMEM, static table.</summary>
    X86_32_Pae,

    /// <summary>arm64, 4 KiB pages (5.12 and later): SSB 27, MPB 48, VMEMMAP + EXTREME, NODES_SHIFT 4, MAX_PAGE_ORDER 10.</summary>
    Arm64_4K,

    /// <summary>arm64, 16 KiB pages: SSB 27, MPB 48, MAX_PAGE_ORDER 11.</summary>
    Arm64_16K,

    /// <summary>arm64, 64 KiB pages: SSB 29, MPB 48, MAX_PAGE_ORDER 13.</summary>
    Arm64_64K,

    /// <summary>
    /// arm64, 4 KiB pages, as 5.10 and 5.11 build it (the last releases before 5.12): PAGE_SHIFT 12;
    /// SSB 30 (arch/arm64/include/asm/sparsemem.h:SECTION_SIZE_BITS, stored at 60a5825e9cbe; commit
    /// f0b13ee23241 "arm64/sparsemem: reduce SECTION_SIZE_BITS", merged for 5.12, made it 27);
    /// MPB 48 (sparsemem.h:MAX_PHYSMEM_BITS = CONFIG_ARM64_PA_BITS, whose default is 48; 52 needs
    /// 64 KiB pages then); VMEMMAP + EXTREME (arch/arm64/Kconfig: ARCH_SPARSEMEM_ENABLE selects
    /// SPARSEMEM_VMEMMAP_ENABLE; mm/Kconfig: SPARSEMEM_VMEMMAP default y, SPARSEMEM_EXTREME without
    /// SPARSEMEM_STATIC); NODES_SHIFT 4 (arch/arm64/Kconfig default, raised from 2 by commit
    /// 2a13c13b39a8 in 5.10: 5.9 and older have 2); MAX_PAGE_ORDER 10 (arch/arm64/Kconfig:
    /// FORCE_MAX_ZONEORDER default "11" for 4 KiB pages, one more than the largest order before 6.4);
    /// zones DMA, DMA32, Normal, Movable (mm/Kconfig: ZONE_DMA and ZONE_DMA32 default y if ARM64;
    /// arm64 has ZONE_DMA since 5.5, before that DMA32, Normal, Movable). NR_PAGEFLAGS: UNVERIFIED
    /// (configuration-dependent, see the type's summary).
    /// </summary>
    Arm64_4K_Pre512,

    /// <summary>
    /// riscv64 (sv39/48/57), a NUMA kernel: PAGE_SHIFT 12 (arch/riscv/include/asm/page.h:PAGE_SHIFT;
    /// arch/riscv/Kconfig offers no other page size); SSB 27 (arch/riscv/include/asm/sparsemem.h:
    /// SECTION_SIZE_BITS, both stored versions); MPB 56 (sparsemem.h:MAX_PHYSMEM_BITS, CONFIG_PA_BITS
    /// in older trees with "default 56 if 64BIT" in arch/riscv/Kconfig, the constant 56 since);
    /// VMEMMAP + EXTREME (arch/riscv/Kconfig: ARCH_SPARSEMEM_ENABLE selects SPARSEMEM_VMEMMAP_ENABLE
    /// if 64BIT and SPARSEMEM_STATIC only if 32BIT); NODES_SHIFT 2 (arch/riscv/Kconfig: NODES_SHIFT
    /// default "2", depends on NUMA; 0 without NUMA); zones DMA32, Normal, Movable (arch/riscv/Kconfig:
    /// "select ZONE_DMA32 if 64BIT", nothing selects ZONE_DMA); MAX_PAGE_ORDER 10 (no
    /// ARCH_FORCE_MAX_ORDER in arch/riscv/Kconfig, so include/linux/mmzone.h's default). Files read at
    /// torvalds/linux 01112e5e20f5 (≈5.13) and 9244724fbf8a (≈6.6) for the Kconfig, 30c092337017 and
    /// 942e6f8a8314 for sparsemem.h. The model: SPARSEMEM is the only one with NUMA; without it the
    /// Kconfig default is FLATMEM (ARCH_FLATMEM_ENABLE is !NUMA, no ARCH_SPARSEMEM_DEFAULT), so a
    /// distribution's choice, UNVERIFIED here, as is NR_PAGEFLAGS (see the type's summary).
    /// </summary>
    Riscv64,

    /// <summary>powerpc64 book3s, 64 KiB pages: SSB 24, MPB 51, VMEMMAP and EXTREME, MAX_PAGE_ORDER 8, NODES_SHIFT 8, zones Normal and Movable (no ZONE_DMA on book3s): Debian 6.1's ppc64el kernel prints its layout from these.</summary>
    Ppc64,

    /// <summary>s390x: SSB 28, MPB 46 (CONFIG_MAX_PHYSMEM_BITS default), VMEMMAP and EXTREME, zones DMA (below 2 GiB), Normal and Movable, no NUMA: Debian 6.1's s390x kernel prints its layout from these.</summary>
    S390,

    /// <summary>
    /// loongarch64, 16 KiB pages, a NUMA kernel: PAGE_SHIFT 14 (arch/loongarch/Kconfig: page table
    /// layout default 16KB_3LEVEL if 64BIT); SSB 29 and MPB 48 (arch/loongarch/include/asm/sparsemem.h:
    /// SECTION_SIZE_BITS, MAX_PHYSMEM_BITS, stored at 254a14200711); VMEMMAP + EXTREME
    /// (arch/loongarch/Kconfig: ARCH_SPARSEMEM_ENABLE selects SPARSEMEM_VMEMMAP_ENABLE, nothing selects
    /// SPARSEMEM_STATIC); NODES_SHIFT 6 (arch/loongarch/Kconfig: default "6", depends on NUMA; 0
    /// without NUMA); zones DMA32, Normal, Movable (arch/loongarch/Kconfig selects ZONE_DMA32 only);
    /// MAX_PAGE_ORDER 11 (arch/loongarch/Kconfig: ARCH_FORCE_MAX_ORDER default "11" if PAGE_SIZE_16KB).
    /// Kconfig read at torvalds/linux 009ee0c96416 (≈6.17). The model: SPARSEMEM with NUMA; without
    /// it FLATMEM is the Kconfig default (ARCH_FLATMEM_ENABLE depends on !NUMA), a distribution's choice
    /// UNVERIFIED here, as is NR_PAGEFLAGS (see the type's summary).
    /// </summary>
    LoongArch64,

    /// <summary>
    /// sparc64, a NUMA kernel: PAGE_SHIFT 13 (arch/sparc/include/asm/page_64.h:PAGE_SHIFT); SSB 30
    /// (arch/sparc/include/asm/sparsemem.h:SECTION_SIZE_BITS); MPB 53 (sparsemem.h:MAX_PHYSMEM_BITS =
    /// page_64.h:MAX_PHYS_ADDRESS_BITS, 53 in current trees, 47 in older ones such as the stored
    /// 0dd5b7b09e13); SPARSEMEM, VMEMMAP + EXTREME (arch/sparc/Kconfig: ARCH_SPARSEMEM_DEFAULT y if
    /// SPARC64, ARCH_SPARSEMEM_ENABLE selects SPARSEMEM_VMEMMAP_ENABLE, nothing selects
    /// SPARSEMEM_STATIC); NODES_SHIFT 5 (arch/sparc/Kconfig: default "5", range 4 to 5, with NUMA; 0
    /// without); zones Normal and Movable (arch/sparc/Kconfig: ZONE_DMA default y only if SPARC32, no
    /// ZONE_DMA32); MAX_PAGE_ORDER 12 (arch/sparc/Kconfig: ARCH_FORCE_MAX_ORDER default "12" from 6.4,
    /// FORCE_MAX_ZONEORDER "13", one more than the largest order, before). NR_PAGEFLAGS: UNVERIFIED
    /// (see the type's summary).
    /// </summary>
    Sparc64,

    /// <summary>
    /// 32-bit arm: SSB 28, MPB 36 (arch/arm/include/asm/sparsemem.h: the generic defaults, which a
    /// machine's headers may override, so UNVERIFIED for any one machine), classic SPARSEMEM with the
    /// static table (arch/arm/Kconfig: ARCH_SPARSEMEM_ENABLE "select SPARSEMEM_STATIC if SPARSEMEM",
    /// so never EXTREME). SPARSEMEM itself is not arm's default (no ARCH_SPARSEMEM_DEFAULT): Debian's
    /// armhf kernels are FLATMEM, and their page size, word size, zones and MAX_PAGE_ORDER agree with
    /// this preset.
    /// </summary>
    Arm,
}

/// <summary>The values of each <see cref="Arch"/>.</summary>
internal static class ArchPresets
{
    /// <summary>Every preset, by name.</summary>
    public static IReadOnlyList<Arch> All { get; } = new[]
    {
        Arch.X86_64, Arch.X86_64_5Level, Arch.X86_32, Arch.X86_32_Pae, Arch.Arm64_4K, Arch.Arm64_16K, Arch.Arm64_64K,
        Arch.Arm64_4K_Pre512, Arch.Riscv64, Arch.Ppc64, Arch.S390, Arch.LoongArch64, Arch.Sparc64, Arch.Arm,
    };

    /// <summary>
    /// Whether some of a preset's values are UNVERIFIED: not checked against a real kernel, and not all
    /// settled by the kernel's headers and Kconfig (each such preset's doc says which and why).
    /// </summary>
    public static bool IsPartlyUnverified(Arch arch) => arch is Arch.Arm64_4K_Pre512 or Arch.Riscv64 or Arch.LoongArch64 or Arch.Sparc64 or Arch.Arm;

    /// <summary>Fills the options that <paramref name="options"/> does not already set with the preset's values.</summary>
    /// <param name="arch">The architecture.</param>
    /// <param name="options">Options, some perhaps set by the user; those are kept.</param>
    /// <param name="filled">The names of the options the preset filled.</param>
    /// <returns>False for a value that is not an <see cref="Arch"/>.</returns>
    public static bool TryApply(Arch arch, LayoutOptions options, out IReadOnlyList<string> filled)
    {
        var names = new List<string>();
        filled = names;
        var p = Preset(arch);
        if (p is null)
        {
            return false;
        }

        T? Fill<T>(T? mine, T? preset, string name)
            where T : struct
        {
            if (mine.HasValue || !preset.HasValue)
            {
                return mine;
            }

            names.Add(name);
            return preset;
        }

        options.Model = Fill(options.Model, p.Model, "Model");
        options.PageShift = Fill(options.PageShift, p.PageShift, "PageShift");
        options.BitsPerLong = Fill(options.BitsPerLong, p.BitsPerLong, "BitsPerLong");
        options.SectionSizeBits = Fill(options.SectionSizeBits, p.SectionSizeBits, "SectionSizeBits");
        options.MaxPhysmemBits = Fill(options.MaxPhysmemBits, p.MaxPhysmemBits, "MaxPhysmemBits");
        options.Vmemmap = Fill(options.Vmemmap, p.Vmemmap, "Vmemmap");
        options.Extreme = Fill(options.Extreme, p.Extreme, "Extreme");
        options.NodesShift = Fill(options.NodesShift, p.NodesShift, "NodesShift");
        if (!options.MaxNrZones.HasValue)
        {
            // A bare zone count replaces the zone list, the preset's included.
            options.Zones = Fill(options.Zones, p.Zones, "Zones");
        }
        options.NrPageflags = Fill(options.NrPageflags, p.NrPageflags, "NrPageflags");
        options.MaxPageOrder = Fill(options.MaxPageOrder, p.MaxPageOrder, "MaxPageOrder");
        return true;
    }

    private static LayoutOptions? Preset(Arch arch)
    {
        const Zones Zones64 = LayoutDefaults.Zones64;
        const Zones Zones32 = LayoutDefaults.Zones32;
        // Zone sets of the architectures that do not have x86-64's and arm64's four (see each Arch's doc).
        const Zones Dma32Only = Zones.Dma32 | Zones.Normal | Zones.Movable;
        const Zones NormalOnly = Zones.Normal | Zones.Movable;
        LayoutOptions Sparse64(int pageShift, int ssb, int mpb, int nodesShift, int maxOrder, Zones zones = Zones64) => new()
        {
            Model = Model.Sparse, PageShift = pageShift, BitsPerLong = 64, SectionSizeBits = ssb, MaxPhysmemBits = mpb,
            Vmemmap = true, Extreme = true, NodesShift = nodesShift, Zones = zones, NrPageflags = LayoutDefaults.NrPageflags64, MaxPageOrder = maxOrder,
        };
        LayoutOptions Sparse32(int ssb, int mpb) => new()
        {
            Model = Model.Sparse, PageShift = 12, BitsPerLong = 32, SectionSizeBits = ssb, MaxPhysmemBits = mpb,
            Vmemmap = false, Extreme = false, NodesShift = 0, Zones = Zones32, NrPageflags = LayoutDefaults.NrPageflags32, MaxPageOrder = 10,
        };

        return arch switch
        {
            Arch.X86_64 => Sparse64(12, 27, 46, 6, 10),
            Arch.X86_64_5Level => Sparse64(12, 27, 52, 6, 10),
            Arch.X86_32 => Sparse32(26, 32),
            Arch.X86_32_Pae => Sparse32(29, 36),
            Arch.Arm64_4K => Sparse64(12, 27, 48, 4, 10),
            Arch.Arm64_16K => Sparse64(14, 27, 48, 4, 11),
            Arch.Arm64_64K => Sparse64(16, 29, 48, 4, 13),
            Arch.Arm64_4K_Pre512 => Sparse64(12, 30, 48, 4, 10),
            Arch.Riscv64 => Sparse64(12, 27, 56, 2, 10, Dma32Only),
            Arch.Ppc64 => Sparse64(16, 24, 51, 8, 8, NormalOnly),
            Arch.S390 => Sparse64(12, 28, 46, 0, 10, Zones.Dma | Zones.Normal | Zones.Movable),
            Arch.LoongArch64 => Sparse64(14, 29, 48, 6, 11, Dma32Only),
            Arch.Sparc64 => Sparse64(13, 30, 53, 5, 12, NormalOnly),
            Arch.Arm => Sparse32(28, 36),
            _ => null,
        };
    }
}
