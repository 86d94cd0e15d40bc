using System;

namespace PhysMem;

/// <summary>
/// Which zone a page belongs to at boot. This default follows x86 (arch/x86/mm/init.c
/// <c>zone_sizes_init</c>): below 16 MiB is <c>ZONE_DMA</c>, below 4 GiB <c>ZONE_DMA32</c>, on 32-bit
/// kernels with highmem everything from 896 MiB up is <c>ZONE_HIGHMEM</c>, the rest
/// <c>ZONE_NORMAL</c>; a zone that is not configured is skipped.
/// </summary>
/// <remarks>
/// Zone indices are positions among the configured zones in <see cref="Zones"/> order, as the kernel
/// numbers <c>enum zone_type</c>. Other architectures' limits can be given to the second
/// constructor; a derived rule that overrides <see cref="ZoneFor"/> must override
/// <see cref="ZoneEnd"/> too (returning <c>pfn + 1</c> is always correct, only slower).
/// </remarks>
public class ZoneRule
{
    /// <summary>The top of <c>ZONE_DMA</c> on x86: 16 MiB (<c>MAX_DMA_PFN</c>).</summary>
    public const ulong DmaLimitBytes = 16UL << 20;

    /// <summary>The top of <c>ZONE_DMA32</c>: 4 GiB (<c>MAX_DMA32_PFN</c>).</summary>
    public const ulong Dma32LimitBytes = 4UL << 30;

    /// <summary>Where x86-32 highmem starts: 896 MiB (the default <c>MAXMEM</c> with a 3 GiB user split).</summary>
    public const ulong HighMemStartBytes = 896UL << 20;

    private readonly ulong _dmaLimitPfn;
    private readonly ulong _dma32LimitPfn;
    private readonly ulong _highMemStartPfn;
    private readonly int _dma = -1;
    private readonly int _dma32 = -1;
    private readonly int _normal = -1;
    private readonly int _highMem = -1;

    /// <summary>Creates the x86 rule for a layout's page size, word size and configured zones.</summary>
    /// <param name="layout">The layout.</param>
    public ZoneRule(MemoryLayout layout)
        : this(layout ?? throw new ArgumentNullException(nameof(layout)), DmaLimitBytes >> layout.PageShift, Dma32LimitBytes >> layout.PageShift, HighMemStartBytes >> layout.PageShift)
    {
    }

    /// <summary>Creates a rule with other limits (as an architecture's <c>max_zone_pfns</c> would give them).</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="dmaEndPfn">The first pfn above <c>ZONE_DMA</c>.</param>
    /// <param name="dma32EndPfn">The first pfn above <c>ZONE_DMA32</c>.</param>
    /// <param name="highMemStartPfn">The first pfn of <c>ZONE_HIGHMEM</c> (32-bit layouts with HighMem only).</param>
    public ZoneRule(MemoryLayout layout, ulong dmaEndPfn, ulong dma32EndPfn, ulong highMemStartPfn)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _dmaLimitPfn = dmaEndPfn;
        _dma32LimitPfn = dma32EndPfn;
        _highMemStartPfn = highMemStartPfn;
        _dma = IndexOf(Zones.Dma);
        _dma32 = IndexOf(Zones.Dma32);
        _normal = IndexOf(Zones.Normal);
        _highMem = layout.BitsPerLong == 32 ? IndexOf(Zones.HighMem) : -1;
        if (_normal < 0)
        {
            _normal = 0;
        }
    }

    /// <summary>
    /// The zone limits an architecture's kernel computes for this memory at boot.
    /// </summary>
    /// <remarks>
    /// <para>x86 (both widths): the fixed limits of <see cref="ZoneRule(MemoryLayout)"/>.</para>
    /// <para>
    /// arm64 (arch/arm64/mm/init.c, 6.1 and 6.12): <c>zone_dma_bits</c> is the smallest of 32 and
    /// the widths the firmware's DMA ranges allow (device tree <c>dma-ranges</c>, ACPI IORT; nothing
    /// restricts them on QEMU's <c>virt</c> board), and each limit is <c>max_zone_phys</c>: the mask
    /// of that many bits, unless DRAM starts above 4 GiB (then everything) or above the mask (then
    /// 4 GiB), capped at the end of DRAM. With RAM below 4 GiB and no restriction, ZONE_DMA takes
    /// all of it and ZONE_DMA32 is empty.
    /// </para>
    /// <para>Other architectures: the x86 limits, UNVERIFIED against their kernels.</para>
    /// </remarks>
    /// <param name="arch">The architecture preset.</param>
    /// <param name="layout">The layout.</param>
    /// <param name="map">The memory (its first and last byte set the arm64 limits).</param>
    /// <param name="dmaBits">arm64: the width the firmware's DMA ranges restrict ZONE_DMA to (30 on a Raspberry Pi 4); null when nothing restricts it.</param>
    /// <returns>The rule.</returns>
    public static ZoneRule ForArch(Arch arch, MemoryLayout layout, MemoryMap map, int? dmaBits = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(map);
        if (dmaBits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(dmaBits), dmaBits, "The DMA width is between 1 and 64 bits.");
        }

        if (arch is not (Arch.Arm64_4K or Arch.Arm64_16K or Arch.Arm64_64K or Arch.Arm64_4K_Pre512) || map.Count == 0)
        {
            return new ZoneRule(layout);
        }

        ulong dramStart = map.Ranges[0].Start;
        ulong dramEnd = map.EndAddress;
        int zoneDmaBits = Math.Min(32, dmaBits ?? 64);
        ulong MaxZonePhys(int bits)
        {
            ulong mask = bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
            if (dramStart > uint.MaxValue)
            {
                mask = ulong.MaxValue;
            }
            else if (dramStart > mask)
            {
                mask = uint.MaxValue;
            }

            return Math.Min(mask, dramEnd - 1) + 1;
        }

        return new ZoneRule(layout, MaxZonePhys(zoneDmaBits) >> layout.PageShift, MaxZonePhys(32) >> layout.PageShift, ulong.MaxValue);
    }

    /// <summary>The layout the rule was made for.</summary>
    public MemoryLayout Layout { get; }

    /// <summary>
    /// The index of a zone among the configured ones (the kernel's <c>enum zone_type</c> value),
    /// or -1 when the zone is not configured.
    /// </summary>
    /// <param name="zone">One zone.</param>
    /// <returns>The index, or -1.</returns>
    public int IndexOf(Zones zone)
    {
        Zones configured = Layout.Spec.Zones;
        if ((configured & zone) == 0 || zone == Zones.None || ((int)zone & ((int)zone - 1)) != 0)
        {
            return -1;
        }

        int index = 0;
        for (int bit = 1; bit < (int)zone; bit <<= 1)
        {
            if (((int)configured & bit) != 0)
            {
                index++;
            }
        }

        return index;
    }

    /// <summary>The zone index a page gets at boot.</summary>
    /// <param name="pfn">The page frame number.</param>
    /// <returns>The zone index (<c>page_zonenum</c>).</returns>
    public virtual int ZoneFor(ulong pfn)
    {
        if (pfn < _dmaLimitPfn && _dma >= 0)
        {
            return _dma;
        }

        if (pfn < _dma32LimitPfn && _dma32 >= 0)
        {
            return _dma32;
        }

        if (pfn >= _highMemStartPfn && _highMem >= 0)
        {
            return _highMem;
        }

        return _normal;
    }

    /// <summary>
    /// The end of the run of pfns, starting at <paramref name="pfn"/>, that <see cref="ZoneFor"/>
    /// puts in one zone: the next limit above <paramref name="pfn"/>, or <see cref="ulong.MaxValue"/>.
    /// Lets the storage set the links of a whole run at once.
    /// </summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The first pfn above <paramref name="pfn"/> whose zone may differ.</returns>
    public virtual ulong ZoneEnd(ulong pfn)
    {
        ulong end = ulong.MaxValue;
        end = _dma >= 0 && _dmaLimitPfn > pfn && _dmaLimitPfn < end ? _dmaLimitPfn : end;
        end = _dma32 >= 0 && _dma32LimitPfn > pfn && _dma32LimitPfn < end ? _dma32LimitPfn : end;
        end = _highMem >= 0 && _highMemStartPfn > pfn && _highMemStartPfn < end ? _highMemStartPfn : end;
        return end;
    }
}
