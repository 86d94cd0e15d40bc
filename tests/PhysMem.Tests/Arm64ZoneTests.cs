using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// arm64's zone limits as its kernel computes them (arch/arm64/mm/init.c, max_zone_phys): hand
/// worked for boards QEMU does not have; the captured QEMU virt machines are checked in
/// <see cref="MemoryReportTests"/>.
/// </summary>
public sealed class Arm64ZoneTests
{
    private static readonly MemoryLayout Arm64 = Layout(Arch.Arm64_4K);

    [Fact]
    public void Ram_below_4GiB_is_all_DMA_when_nothing_restricts_it()
    {
        // QEMU virt, 2 GiB at 1 GiB: zone_dma_bits = 32, max_zone_phys(32) = min(0xffffffff, 0xbfffffff) + 1.
        var map = MemoryMap.FromRanges(new MemoryRange(0x4000_0000, 0xc000_0000));
        Assert.Equal(new[] { new ZoneSpan(0, "DMA", 0x40000, 0x80000, 0x80000) }, MemoryReport.ZoneSpans(Arm64, map, ZoneRule.ForArch(Arch.Arm64_4K, Arm64, map)));
    }

    [Fact]
    public void A_30_bit_DMA_range_splits_DMA_DMA32_and_Normal()
    {
        // A Raspberry Pi 4 with 8 GiB from 0: dma-ranges allow 30 bits, so DMA ends at 1 GiB,
        // DMA32 at 4 GiB, and Normal takes the rest.
        var map = MemoryMap.FromRanges(new MemoryRange(0, 0x2_0000_0000));
        Assert.Equal(
            new[] { new ZoneSpan(0, "DMA", 0, 0x40000, 0x40000), new ZoneSpan(0, "DMA32", 0x40000, 0xc0000, 0xc0000), new ZoneSpan(0, "Normal", 0x100000, 0x100000, 0x100000) },
            MemoryReport.ZoneSpans(Arm64, map, ZoneRule.ForArch(Arch.Arm64_4K, Arm64, map, dmaBits: 30)));
    }

    [Fact]
    public void Dram_above_4GiB_is_all_DMA_and_DRAM_above_the_DMA_mask_takes_4GiB()
    {
        // DRAM starting above U32_MAX: the masks become PHYS_ADDR_MAX, so every zone limit is the end of DRAM.
        var high = MemoryMap.FromRanges(new MemoryRange(0x80_0000_0000, 0x80_4000_0000));
        Assert.Equal(new[] { "DMA" }, MemoryReport.ZoneSpans(Arm64, high, ZoneRule.ForArch(Arch.Arm64_4K, Arm64, high)).Select(z => z.Zone));

        // DRAM starting at 2 GiB with a 30-bit DMA range: start > mask, so ZONE_DMA's mask becomes U32_MAX.
        var mid = MemoryMap.FromRanges(new MemoryRange(0x8000_0000, 0x1_8000_0000));
        Assert.Equal(
            new[] { new ZoneSpan(0, "DMA", 0x80000, 0x80000, 0x80000), new ZoneSpan(0, "Normal", 0x100000, 0x80000, 0x80000) },
            MemoryReport.ZoneSpans(Arm64, mid, ZoneRule.ForArch(Arch.Arm64_4K, Arm64, mid, dmaBits: 30)));
    }

    [Fact]
    public void Other_architectures_keep_the_x86_limits()
    {
        var x86 = Layout(Arch.X86_64);
        var map = MemoryMap.Example;
        Assert.Equal(MemoryReport.ZoneSpans(x86, map), MemoryReport.ZoneSpans(x86, map, ZoneRule.ForArch(Arch.X86_64, x86, map)));
    }

    [Fact]
    public void A_model_generated_from_the_arm64_preset_puts_the_memory_below_4GiB_in_ZONE_DMA()
    {
        // The captured QEMU virt machine (Fixtures/qemu-arm64-6.12-4k): 2 GiB at 1 GiB, and the kernel
        // reports "Node 0, zone DMA start_pfn 262144 spanned 524288 present 524288", DMA32 empty.
        var map = MemoryMap.FromRanges(new MemoryRange(0x4000_0000, 0xc000_0000));
        using var model = new Generated.Arm64Preset(map);
        Assert.Equal(new[] { new ZoneSpan(0, "DMA", 262144, 524288, 524288) }, MemoryReport.ZoneSpans(model.Storage.Layout, map, model.Storage.ZoneRule));
        unsafe
        {
            // The zone is what boot wrote into page->flags: ZONE_DMA is 0, ZONE_DMA32 would be 1.
            Assert.Equal(0, Generated.Arm64Preset.PageZonenum(model.PfnToPage(262144)));
            Assert.Equal(0, Generated.Arm64Preset.PageZonenum(model.PfnToPage(262144 + 524288 - 1)));
        }
    }

    [Fact]
    public void A_model_generated_from_the_x86_preset_keeps_the_x86_limits()
    {
        // x86-64: ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB, whatever the map.
        var map = MemoryMap.FromRanges(new MemoryRange(0x4000_0000, 0xc000_0000));
        using var model = new Generated.X86Preset(map);
        Assert.Equal(new[] { new ZoneSpan(0, "DMA32", 262144, 524288, 524288) }, MemoryReport.ZoneSpans(model.Storage.Layout, map, model.Storage.ZoneRule));
    }

    private static MemoryLayout Layout(Arch arch)
    {
        var options = new LayoutOptions();
        Assert.True(ArchPresets.TryApply(arch, options, out _));
        return MemoryLayout.Create(options.Resolve(new List<LayoutDiagnostic>()));
    }
}
