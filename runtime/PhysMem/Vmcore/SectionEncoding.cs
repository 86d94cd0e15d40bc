namespace PhysMem;

/// <summary>
/// How a kernel version encodes the flag bits in the low end of <c>section_mem_map</c>
/// (include/linux/mmzone.h): which bit means present, has-memmap, online and early, and how many low
/// bits the flags take (<c>SECTION_MAP_LAST_BIT</c>) above which the encoded memmap pointer starts.
/// A flag a version does not have is -1.
/// </summary>
/// <param name="Present">SECTION_MARKED_PRESENT.</param>
/// <param name="HasMemMap">SECTION_HAS_MEM_MAP.</param>
/// <param name="Online">SECTION_IS_ONLINE (4.13 and later).</param>
/// <param name="Early">SECTION_IS_EARLY (5.3 and later).</param>
/// <param name="ZoneDevice">SECTION_TAINT_ZONE_DEVICE (5.12 and later; from 6.0 only with CONFIG_ZONE_DEVICE).</param>
/// <param name="MapLastBit">The number of low bits the flags take.</param>
/// <param name="Era">Which kernels encode it so, for reports.</param>
internal readonly record struct SectionEncoding(int Present, int HasMemMap, int Online, int Early, int ZoneDevice, int MapLastBit, string Era)
{
    /// <summary>The mask that keeps the encoded memmap pointer.</summary>
    public ulong MapMask => ~((1UL << MapLastBit) - 1);

    /// <summary>Whether <paramref name="bit"/> (a flag's number, or -1) is set in <paramref name="value"/>.</summary>
    public static bool Has(ulong value, int bit) => bit >= 0 && (value & (1UL << bit)) != 0;

    /// <summary>
    /// The encoding of <paramref name="version"/>: the flags were a list of masks until 5.19 and an enum
    /// from 6.0, where SECTION_TAINT_ZONE_DEVICE exists only with CONFIG_ZONE_DEVICE. The release
    /// boundaries before 6.0 are those of the reference (approximate).
    /// </summary>
    /// <param name="version">The kernel version, or null when unknown (the 6.0 encoding is used).</param>
    /// <param name="zoneDevice">CONFIG_ZONE_DEVICE from the configuration, or null when unknown (then
    /// bit 4 is read as the taint flag; the memmap pointer is page-aligned, so masking one bit more is harmless).</param>
    public static SectionEncoding For(KernelVersion? version, bool? zoneDevice)
    {
        if (version is KernelVersion v && !v.AtLeast(6, 0))
        {
            return !v.AtLeast(4, 13) ? new SectionEncoding(0, 1, -1, -1, -1, 2, "before 4.13")
                : !v.AtLeast(5, 3) ? new SectionEncoding(0, 1, 2, -1, -1, 3, "4.13 to 5.2")
                : !v.AtLeast(5, 12) ? new SectionEncoding(0, 1, 2, 3, -1, 4, "5.3 to 5.11")
                : new SectionEncoding(0, 1, 2, 3, 4, 5, "5.12 to 5.19");
        }

        return zoneDevice == false
            ? new SectionEncoding(0, 1, 2, 3, -1, 4, "6.0 and later, without CONFIG_ZONE_DEVICE")
            : new SectionEncoding(0, 1, 2, 3, 4, 5, zoneDevice == true ? "6.0 and later, with CONFIG_ZONE_DEVICE" : "6.0 and later (CONFIG_ZONE_DEVICE assumed)");
    }
}
