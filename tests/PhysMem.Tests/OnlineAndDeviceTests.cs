using System;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// online_mem_sections / offline_mem_sections, pfn_to_online_page, and ZONE_DEVICE memory with
// SECTION_TAINT_ZONE_DEVICE (set by move_pfn_range_to_zone on a section a device range starts or
// ends inside of; bit 4 when CONFIG_ZONE_DEVICE is set).
public unsafe class OnlineAndDeviceTests
{
    private const ulong Online = 0b0100;
    private const ulong Taint = 0b1_0000;
    private const int DeviceZone = 4; // DMA, DMA32, Normal, Movable, Device

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HotAddedMemory_IsOfflineUntilOnlined(bool vmemmap)
    {
        using var mem = Create(vmemmap, extreme: true);
        mem.AddMemory(Pfn(8), 2 * PagesPerSection, 0);
        int online = mem.GetAccounting().OnlineSections;
        Assert.True(mem.PfnToOnlinePage(Pfn(8) + 5) == null);

        mem.OnlineSections(Pfn(8), 2 * PagesPerSection);

        Assert.Equal(Online, (ulong)mem.NrToSection(8)->SectionMemMap & Online);
        Assert.Equal(Online, (ulong)mem.NrToSection(9)->SectionMemMap & Online);
        Assert.True(mem.PfnToOnlinePage(Pfn(8) + 5) == mem.PfnToPage(Pfn(8) + 5));
        Assert.True(mem.PfnToOnlinePage(Pfn(9, 63) + 511) == mem.PfnToPage(Pfn(9, 63) + 511));
        Assert.Equal(online + 2, mem.GetAccounting().OnlineSections);

        // Offlining from a pageblock boundary inside section 8 to the end of section 9 takes both.
        mem.OfflineSections(Pfn(8) + 512, 2 * PagesPerSection - 512);
        Assert.Equal(0UL, (ulong)mem.NrToSection(8)->SectionMemMap & Online);
        Assert.Equal(0UL, (ulong)mem.NrToSection(9)->SectionMemMap & Online);
        Assert.True(mem.PfnToOnlinePage(Pfn(8) + 5) == null);
        Assert.True(mem.PfnValid(Pfn(8) + 5));
        mem.RemoveMemory(Pfn(8), 2 * PagesPerSection);
    }

    [Fact]
    public void PfnToOnlinePage_FollowsTheKernelsChecks()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        Assert.True(mem.PfnToOnlinePage(0x200) == mem.Vmemmap + 0x200);
        Assert.True(mem.PfnToOnlinePage(Pfn(32, 1) + 7) == mem.Vmemmap + Pfn(32, 1) + 7);

        // pfn_section_valid: a hole of a boot section is pfn_valid but not an online page.
        Assert.True(mem.PfnValid(Pfn(32, 2)));
        Assert.True(mem.PfnToOnlinePage(Pfn(32, 2)) == null);
        Assert.True(mem.PfnToOnlinePage(Pfn(33)) == null);
        Assert.True(mem.PfnToOnlinePage(1UL << 40) == null);
        Assert.True(mem.PfnToOnlinePage(ulong.MaxValue) == null);
    }

    [Fact]
    public void DeviceMemory_FillingSections_IsNotTaintedAndNeverOnline()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        mem.AddDeviceMemory(Pfn(8), PagesPerSection, 2);

        MemSection* ms = mem.NrToSection(8);
        Assert.Equal((ulong)mem.Vmemmap | 0b0011, (ulong)ms->SectionMemMap);
        Assert.Equal(DeviceZone, mem.PageFlags.Zonenum(mem.PfnToPage(Pfn(8) + 3)->Flags));
        Assert.Equal(2, mem.PageFlags.Nid(mem.PfnToPage(Pfn(8) + 3)->Flags));
        Assert.True(mem.PfnToOnlinePage(Pfn(8)) == null);
        Assert.False(mem.OnlineDeviceSection(ms));

        // Device memory is removed without being offlined; RAM and device memory go separately.
        mem.AddMemory(Pfn(9), PagesPerSection, 2);
        Assert.Throws<ArgumentException>(() => mem.RemoveMemory(Pfn(8), 2 * PagesPerSection));
        mem.RemoveMemory(Pfn(8), PagesPerSection);
        Assert.Equal(0UL, (ulong)ms->SectionMemMap);
    }

    [Fact]
    public void DeviceMemory_SharingAnOnlineSection_TaintsIt_AndIsNoOnlinePage()
    {
        using var mem = Create(vmemmap: true, extreme: true);
        MemSection* ms = mem.NrToSection(32);
        ulong boot = ms->SectionMemMap;

        mem.AddDeviceMemory(Pfn(32, 20), 4 * PagesPerSubsection, 1);

        Assert.Equal(boot | Taint, (ulong)ms->SectionMemMap);
        Assert.Equal(0b11UL | (0b1111UL << 20), ms->Usage[0]);
        Assert.True(mem.OnlineDeviceSection(ms));
        Assert.True(mem.PfnToOnlinePage(Pfn(32, 21)) == null);
        Assert.True(mem.PfnToOnlinePage(Pfn(32, 1)) == mem.Vmemmap + Pfn(32, 1));
        Assert.Equal(DeviceZone, mem.PageFlags.Zonenum(mem.PfnToPage(Pfn(32, 21))->Flags));
        Assert.Throws<ArgumentException>(() => mem.RemoveMemory(Pfn(32), 24 * PagesPerSubsection));

        // The section stays online (its RAM is); the device part goes, the taint stays until the
        // section empties.
        mem.RemoveMemory(Pfn(32, 20), 4 * PagesPerSubsection);
        Assert.Equal(0b11UL, ms->Usage[0]);
        Assert.Equal(boot | Taint, (ulong)ms->SectionMemMap);
    }

    [Fact]
    public void DeviceMemory_StartingAndEndingInsideSections_TaintsExactlyThose()
    {
        using var mem = Create(vmemmap: true, extreme: true);

        // From subsection 60 of section 8 to subsection 2 of section 10: 8 and 10 are shared, 9 is whole.
        mem.AddDeviceMemory(Pfn(8, 60), 4 * PagesPerSubsection + PagesPerSection + 3 * PagesPerSubsection, 0);

        Assert.Equal(Taint, (ulong)mem.NrToSection(8)->SectionMemMap & Taint);
        Assert.Equal(0UL, (ulong)mem.NrToSection(9)->SectionMemMap & Taint);
        Assert.Equal(Taint, (ulong)mem.NrToSection(10)->SectionMemMap & Taint);
    }
}
