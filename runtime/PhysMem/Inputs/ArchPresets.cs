using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// Architecture presets: the values an architecture's headers and usual Kconfig give, from the
/// reference's table of architectures. Every value can be overridden by the attribute's named
/// properties. Presets whose values the reference could not confirm say so in their docs. The
/// zone set of every 64-bit preset is DMA, DMA32, Normal, Movable (x86-64 and arm64; UNVERIFIED for
/// riscv64, loongarch64 and sparc64) but for powerpc64 (Normal, Movable) and s390x (DMA, Normal,
/// Movable), checked against Debian's kernels; every 32-bit preset's is DMA, Normal, HighMem, Movable.
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

    /// <summary>arm64, 4 KiB pages before 5.12 (the release is UNVERIFIED): SSB 30, MPB 48.</summary>
    Arm64_4K_Pre512,

    /// <summary>riscv64 (sv39/48/57): SSB 27, MPB 56. VMEMMAP and EXTREME as defaults are UNVERIFIED.</summary>
    Riscv64,

    /// <summary>powerpc64 book3s, 64 KiB pages: SSB 24, MPB 51, VMEMMAP and EXTREME, MAX_PAGE_ORDER 8, NODES_SHIFT 8, zones Normal and Movable (no ZONE_DMA on book3s): Debian 6.1's ppc64el kernel prints its layout from these.</summary>
    Ppc64,

    /// <summary>s390x: SSB 28, MPB 46 (CONFIG_MAX_PHYSMEM_BITS default), VMEMMAP and EXTREME, zones DMA (below 2 GiB), Normal and Movable, no NUMA: Debian 6.1's s390x kernel prints its layout from these.</summary>
    S390,

    /// <summary>loongarch64, 16 KiB pages: SSB 29, MPB 48. The page size default, VMEMMAP, EXTREME and MAX_PAGE_ORDER 11 are UNVERIFIED.</summary>
    LoongArch64,

    /// <summary>sparc64: 8 KiB pages, SSB 30, MPB 53. VMEMMAP, EXTREME and MAX_PAGE_ORDER are UNVERIFIED.</summary>
    Sparc64,

    /// <summary>32-bit arm: SSB 28, MPB 36 (the generic defaults; machine headers may override), classic SPARSEMEM. Table kind is UNVERIFIED: Debian's armhf kernels are FLATMEM (their page size, word size, zones and MAX_PAGE_ORDER agree with this preset).</summary>
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

    /// <summary>Whether the reference marks some of a preset's values UNVERIFIED.</summary>
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
            Arch.Riscv64 => Sparse64(12, 27, 56, 0, 10),
            Arch.Ppc64 => Sparse64(16, 24, 51, 8, 8, Zones.Normal | Zones.Movable),
            Arch.S390 => Sparse64(12, 28, 46, 0, 10, Zones.Dma | Zones.Normal | Zones.Movable),
            Arch.LoongArch64 => Sparse64(14, 29, 48, 0, 11),
            Arch.Sparc64 => Sparse64(13, 30, 53, 0, 10),
            Arch.Arm => Sparse32(28, 36),
            _ => null,
        };
    }
}
