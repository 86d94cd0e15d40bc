using System;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// A kernel version as a <c>.config</c> header names it (<c>6.1.192</c>, <c>6.9.0-rc3</c>,
/// <c>6.12.117+deb12</c>): major, minor, sublevel, and the release candidate (0 for a release).
/// </summary>
internal readonly struct KernelVersion : IComparable<KernelVersion>, IEquatable<KernelVersion>
{
    /// <summary>Creates a version.</summary>
    public KernelVersion(int major, int minor, int sublevel = 0, int rc = 0)
    {
        Major = major;
        Minor = minor;
        Sublevel = sublevel;
        Rc = rc;
    }

    /// <summary>The major number (6).</summary>
    public int Major { get; }

    /// <summary>The minor number (1 in 6.1).</summary>
    public int Minor { get; }

    /// <summary>The sublevel, the stable release (192 in 6.1.192).</summary>
    public int Sublevel { get; }

    /// <summary>The release candidate number, 0 for a release.</summary>
    public int Rc { get; }

    /// <summary>
    /// Reads the leading <c>MAJOR.MINOR[.SUBLEVEL][-rcN]</c> of a version string; anything after is
    /// ignored (<c>+deb12</c>). A number too large for a version makes the whole text not one.
    /// </summary>
    public static bool TryParse(string? text, out KernelVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        int i = 0;
        int[] parts = new int[3];
        int count = 0;
        while (count < 3)
        {
            int start = i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            if (!int.TryParse(text.Substring(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                // A number no kernel version has (a 20-digit major): not a version, rather than a shorter one.
                return false;
            }

            count++;
            if (i < text.Length && text[i] == '.' && count < 3)
            {
                i++;
                continue;
            }

            break;
        }

        if (count < 2)
        {
            return false;
        }

        int rc = 0;
        if (i + 3 < text.Length && string.CompareOrdinal(text, i, "-rc", 0, 3) == 0)
        {
            int start = i + 3;
            int end = start;
            while (end < text.Length && text[end] >= '0' && text[end] <= '9')
            {
                end++;
            }

            if (end > start && !int.TryParse(text.Substring(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out rc))
            {
                return false;
            }
        }

        version = new KernelVersion(parts[0], parts[1], count > 2 ? parts[2] : 0, rc);
        return true;
    }

    /// <summary>True when this version is at least <paramref name="major"/>.<paramref name="minor"/>.<paramref name="sublevel"/> (a release candidate comes before its release).</summary>
    public bool AtLeast(int major, int minor, int sublevel = 0) => CompareTo(new KernelVersion(major, minor, sublevel)) >= 0;

    /// <summary>True for the stable series <paramref name="major"/>.<paramref name="minor"/>.y from <paramref name="sublevel"/> on.</summary>
    public bool InSeriesFrom(int major, int minor, int sublevel) => Major == major && Minor == minor && Sublevel >= sublevel && Rc == 0;

    /// <inheritdoc />
    public int CompareTo(KernelVersion other)
    {
        int c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Sublevel.CompareTo(other.Sublevel);
        }

        if (c == 0 && Rc != other.Rc)
        {
            // 6.9.0-rc3 < 6.9.0: a release candidate precedes the release.
            c = Rc == 0 ? 1 : other.Rc == 0 ? -1 : Rc.CompareTo(other.Rc);
        }

        return c;
    }

    /// <inheritdoc />
    public bool Equals(KernelVersion other) => CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is KernelVersion v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => (((Major * 100) + Minor) * 1000 + Sublevel) * 31 + Rc;

    /// <summary><c>6.1.192</c> or <c>6.9.0-rc3</c>.</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}", Major, Minor, Sublevel) + (Rc > 0 ? "-rc" + Rc.ToString(CultureInfo.InvariantCulture) : string.Empty);
}

/// <summary>How <c>kernel/bounds.c</c> turns <c>CONFIG_NR_CPUS</c> into <c>NR_CPUS_BITS</c>.</summary>
internal enum NrCpusBitsFormula
{
    /// <summary><c>ilog2(NR_CPUS)</c>: rounds down (the original form).</summary>
    Ilog2,

    /// <summary><c>bits_per(NR_CPUS)</c>: one bit too many for powers of two (commit f2d5dcb48f7b).</summary>
    BitsPer,

    /// <summary><c>order_base_2(NR_CPUS)</c>: rounds up (commit 5af385f5f4cd).</summary>
    OrderBase2,
}

/// <summary>
/// What a kernel version decides about the layout beyond the <c>.config</c> itself: the
/// <c>enum pageflags</c> of its include/linux/page-flags.h, the <c>NR_CPUS_BITS</c> formula of its
/// kernel/bounds.c, the KASAN tag width of its page-flags-layout.h, and what
/// <c>CONFIG_ARCH_FORCE_MAX_ORDER</c> means. Page-flag lists are known for the series listed in
/// <see cref="Known"/>; another version uses the nearest of them (and the reader says so).
/// </summary>
internal sealed class KernelRules
{
    private KernelRules(string series, KernelVersion version, int unconditionalPageflags)
    {
        Series = series;
        Version = version;
        UnconditionalPageflags = unconditionalPageflags;
    }

    /// <summary>The series whose page-flag list these are: <c>6.1</c>, <c>6.6</c>, <c>6.12</c> or <c>6.17</c>.</summary>
    public string Series { get; }

    /// <summary>The exact version the rules were chosen for (the formulas below follow it, the page-flag list follows <see cref="Series"/>).</summary>
    public KernelVersion Version { get; }

    /// <summary>The <c>enum pageflags</c> entries that exist in every configuration of the series.</summary>
    public int UnconditionalPageflags { get; }

    /// <summary>The page-flag series PhysMem knows, oldest first.</summary>
    public static string[] Known { get; } = { "6.1", "6.6", "6.12", "6.17" };

    /// <summary>
    /// The rules for <paramref name="version"/>: its own series when known, else the nearest known
    /// series (<paramref name="exact"/> false). Without a version, mainline's rules (6.17).
    /// </summary>
    public static KernelRules For(KernelVersion? version, out bool exact)
    {
        var v = version ?? new KernelVersion(6, 17);
        string series = NearestSeries(v, out exact);
        if (version is null)
        {
            exact = false;
        }

        // Unconditional entries of enum pageflags (include/linux/page-flags.h):
        //   6.1 / 6.6: 21 (locked ... unevictable, with error, slab and mappedtodisk);
        //   6.12: 19 (error, slab, mappedtodisk gone, owner_2 added);
        //   6.17: 20 (dropbehind added in 6.14).
        int unconditional = series switch
        {
            "6.1" or "6.6" => 21,
            "6.12" => 19,
            _ => 20,
        };
        return new KernelRules(series, v, unconditional);
    }

    /// <summary>The <c>NR_CPUS_BITS</c> formula of kernel/bounds.c in this exact version, stable backports included.</summary>
    public NrCpusBitsFormula NrCpusBitsFormula
    {
        get
        {
            var v = Version;

            // 5af385f5f4cd (order_base_2) reached 6.9 (from -rc7), 6.8.9, 6.6.30, 6.1.90, 5.10.216, 5.4.275.
            if (v.AtLeast(6, 9) || (v.Major == 6 && v.Minor == 9 && v.Rc >= 7)
                || v.InSeriesFrom(6, 8, 9) || v.InSeriesFrom(6, 6, 30) || v.InSeriesFrom(6, 1, 90) || v.InSeriesFrom(5, 10, 216) || v.InSeriesFrom(5, 4, 275))
            {
                return NrCpusBitsFormula.OrderBase2;
            }

            // f2d5dcb48f7b (bits_per) came with 6.9-rc1 and the stable releases of early April 2024:
            // 6.8.3, 6.7.12, 6.6.24, 6.1.84, 5.10.215.
            if ((v.Major == 6 && v.Minor == 9) || v.InSeriesFrom(6, 8, 3) || v.InSeriesFrom(6, 7, 12) || v.InSeriesFrom(6, 6, 24) || v.InSeriesFrom(6, 1, 84) || v.InSeriesFrom(5, 10, 215))
            {
                return NrCpusBitsFormula.BitsPer;
            }

            return NrCpusBitsFormula.Ilog2;
        }
    }

    /// <summary>KASAN_TAG_WIDTH for hardware tags: 4 from 6.16 on, 8 before (software tags are always 8).</summary>
    public int KasanHwTagWidth => Version.AtLeast(6, 16) ? 4 : 8;

    /// <summary>Whether <c>CONFIG_ARCH_FORCE_MAX_ORDER</c> is the largest order itself (6.4 on) rather than one more than it.</summary>
    public bool ForceMaxOrderIsInclusive => Version.AtLeast(6, 4);

    /// <summary>Whether every x86-64 kernel can use 5-level paging (6.16 on, where CONFIG_X86_5LEVEL is gone).</summary>
    public bool X86FiveLevelAlways => Version.AtLeast(6, 16);

    /// <summary>Whether arm64 uses the smaller sections (SECTION_SIZE_BITS 27 or 29 rather than 30), from 5.12 on.</summary>
    public bool Arm64SmallSections => Version.AtLeast(5, 12);

    /// <summary>riscv32's MAX_PHYSMEM_BITS: 32 from 6.12 on, 34 before.</summary>
    public int Riscv32MaxPhysmemBits => Version.AtLeast(6, 12) ? 32 : 34;

    /// <summary>
    /// Whether the version has <c>CONFIG_SPARSEMEM_VMEMMAP_PREINIT</c> and its section flag bit: 6.15 on
    /// ("mm/sparse: allow for alternate vmemmap section init at boot", the hugetlb/CMA series of 6.15-rc1).
    /// </summary>
    public bool HasVmemmapPreinit => Version.AtLeast(6, 15);

    /// <summary>
    /// The Kconfig symbol of <c>PAGE_BLOCK_MAX_ORDER</c> in this version: <c>PAGE_BLOCK_MAX_ORDER</c>
    /// from 6.17 on (renamed in 6.17-rc1), <c>PAGE_BLOCK_ORDER</c> in 6.16 (added in 6.16-rc1), and
    /// null before, where pageblock_order is capped by <c>MAX_PAGE_ORDER</c> alone.
    /// </summary>
    public string? PageBlockMaxOrderSymbol => Version.AtLeast(6, 17) ? "PAGE_BLOCK_MAX_ORDER" : Version.AtLeast(6, 16) ? "PAGE_BLOCK_ORDER" : null;

    /// <summary><c>NR_CPUS_BITS</c> for <paramref name="nrCpus"/> with this version's formula.</summary>
    public int NrCpusBits(long nrCpus) => NrCpusBitsFormula switch
    {
        NrCpusBitsFormula.Ilog2 => Ilog2(nrCpus),
        NrCpusBitsFormula.BitsPer => nrCpus < 2 ? 1 : Ilog2(nrCpus) + 1,
        _ => LayoutOptions.OrderBase2(nrCpus),
    };

    /// <summary>The formula as kernel/bounds.c writes it, for explanations.</summary>
    public string NrCpusBitsFormulaText => NrCpusBitsFormula switch
    {
        NrCpusBitsFormula.Ilog2 => "ilog2",
        NrCpusBitsFormula.BitsPer => "bits_per",
        _ => "order_base_2",
    };

    private static int Ilog2(long n)
    {
        int bits = 0;
        while (bits < 62 && (2L << bits) <= n)
        {
            bits++;
        }

        return n < 1 ? 0 : bits;
    }

    private static string NearestSeries(KernelVersion v, out bool exact)
    {
        exact = false;
        if (v.Major < 6)
        {
            return Known[0];
        }

        if (v.Major > 6)
        {
            return Known[Known.Length - 1];
        }

        string best = Known[0];
        int bestDistance = int.MaxValue;
        foreach (var s in Known)
        {
            int minor = int.Parse(s.Substring(2), CultureInfo.InvariantCulture);
            int distance = Math.Abs(minor - v.Minor);
            if (distance < bestDistance)
            {
                best = s;
                bestDistance = distance;
            }
        }

        exact = bestDistance == 0;
        return best;
    }
}
