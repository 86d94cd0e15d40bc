namespace PhysMem.Tests.Generated;

// Models generated at build time, one per storage variant, over the default Page and over a page
// type of their own; the layouts are HotplugState's (x86-64, 128 MiB sections, 46-bit addresses,
// 64 nodes) so that the hotplug harness can drive their storage.
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable)]
public partial class ClassicStatic
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Extreme = true, Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable)]
public partial class ClassicExtreme
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable)]
public partial class VmemmapStatic
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, Extreme = true, Zones = Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable)]
public partial class VmemmapExtreme
{
}

[MemoryModel(Model.Flat)]
public partial class Flat
{
}

[MemoryModel(Model.Flat, HolesInMemmap = true)]
public partial class FlatWithHoles
{
}

[MemoryModel(Model.Discontig, NodesShift = 2)]
public partial class DiscontigFromMap
{
}

[MemoryModel(Model.Discontig, NodesShift = 2)]
[MemoryBank(0x10_0000, 0x3ff0_0000)]
[MemoryBank(0x1_0000_0000, 0x4000_0000, Node = 1)]
public partial class DiscontigFromBanks
{
}

// A frame descriptor of 24 bytes, Flags not first.
public struct SmallPage
{
    public uint Refcount;
    public ulong Flags;
    public nint Owner;
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, PageType = typeof(SmallPage))]
public partial class SmallClassicStatic
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Extreme = true, PageType = typeof(SmallPage))]
public partial class SmallClassicExtreme
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, PageType = typeof(SmallPage))]
public partial class SmallVmemmapStatic
{
}

[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, NodesShift = 6, Vmemmap = true, Extreme = true, PageType = typeof(SmallPage))]
public partial class SmallVmemmapExtreme
{
}

[MemoryModel(Model.Flat, PageType = typeof(SmallPage))]
public partial class SmallFlat
{
}

[MemoryModel(Model.Discontig, NodesShift = 2, PageType = typeof(SmallPage))]
public partial class SmallDiscontig
{
}

// An arm64 model by its preset: its storage takes arm64's zone limits (ZoneRule.ForArch).
[MemoryModel(Arch.Arm64_4K)]
public partial class Arm64Preset
{
}

// An x86-64 model by its preset, for comparison: the x86 limits, as without a preset.
[MemoryModel(Arch.X86_64)]
public partial class X86Preset
{
}
