using System;
using PhysMem.Benchmarks.Models;

namespace PhysMem.Benchmarks.GenericMath;

// One config struct per benchmarked model. The values are the generated models' constants, so
// the generic-math variant and the generated one cannot disagree about the layout.

/// <summary>The layout of <see cref="FlatModel"/>.</summary>
public readonly struct FlatConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsFlat => true;

    /// <inheritdoc />
    public static bool IsVmemmap => false;

    /// <inheritdoc />
    public static bool IsExtreme => false;

    /// <inheritdoc />
    public static int PageShift => FlatModel.PageShift;

    /// <inheritdoc />
    public static ulong ArchPfnOffset => FlatModel.ArchPfnOffset;

    /// <inheritdoc />
    public static int PfnSectionShift => 0;

    /// <inheritdoc />
    public static ulong NrMemSections => 0;

    /// <inheritdoc />
    public static ulong SectionsPerRoot => 1;

    /// <inheritdoc />
    public static ulong NrSectionRoots => 0;

    /// <inheritdoc />
    public static ulong PageSectionMask => 0;

    /// <inheritdoc />
    public static int PfnSubsectionShift => 0;

    /// <inheritdoc />
    public static ulong HostSectionMapMask => 0;

    /// <inheritdoc />
    public static int SectionsPgshift => FlatModel.SectionsPgshift;

    /// <inheritdoc />
    public static ulong SectionsMask => FlatModel.SectionsMask;

    /// <inheritdoc />
    public static int NodesPgshift => FlatModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => FlatModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => FlatModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => FlatModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => FlatModel.NodeNotInPageFlags;
}

/// <summary>The layout of <see cref="ClassicStaticModel"/>.</summary>
public readonly struct ClassicStaticConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsFlat => false;

    /// <inheritdoc />
    public static bool IsVmemmap => false;

    /// <inheritdoc />
    public static bool IsExtreme => false;

    /// <inheritdoc />
    public static int PageShift => ClassicStaticModel.PageShift;

    /// <inheritdoc />
    public static ulong ArchPfnOffset => 0;

    /// <inheritdoc />
    public static int PfnSectionShift => ClassicStaticModel.PfnSectionShift;

    /// <inheritdoc />
    public static ulong NrMemSections => ClassicStaticModel.NrMemSections;

    /// <inheritdoc />
    public static ulong SectionsPerRoot => ClassicStaticModel.SectionsPerRoot;

    /// <inheritdoc />
    public static ulong NrSectionRoots => ClassicStaticModel.NrSectionRoots;

    /// <inheritdoc />
    public static ulong PageSectionMask => ClassicStaticModel.PageSectionMask;

    /// <inheritdoc />
    public static int PfnSubsectionShift => ClassicStaticModel.PfnSubsectionShift;

    /// <inheritdoc />
    public static ulong HostSectionMapMask => ClassicStaticModel.SectionMapMask;

    /// <inheritdoc />
    public static int SectionsPgshift => ClassicStaticModel.SectionsPgshift;

    /// <inheritdoc />
    public static ulong SectionsMask => ClassicStaticModel.SectionsMask;

    /// <inheritdoc />
    public static int NodesPgshift => ClassicStaticModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => ClassicStaticModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => ClassicStaticModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => ClassicStaticModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => ClassicStaticModel.NodeNotInPageFlags;
}

/// <summary>The layout of <see cref="ClassicExtremeModel"/>.</summary>
public readonly struct ClassicExtremeConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsFlat => false;

    /// <inheritdoc />
    public static bool IsVmemmap => false;

    /// <inheritdoc />
    public static bool IsExtreme => true;

    /// <inheritdoc />
    public static int PageShift => ClassicExtremeModel.PageShift;

    /// <inheritdoc />
    public static ulong ArchPfnOffset => 0;

    /// <inheritdoc />
    public static int PfnSectionShift => ClassicExtremeModel.PfnSectionShift;

    /// <inheritdoc />
    public static ulong NrMemSections => ClassicExtremeModel.NrMemSections;

    /// <inheritdoc />
    public static ulong SectionsPerRoot => ClassicExtremeModel.SectionsPerRoot;

    /// <inheritdoc />
    public static ulong NrSectionRoots => ClassicExtremeModel.NrSectionRoots;

    /// <inheritdoc />
    public static ulong PageSectionMask => ClassicExtremeModel.PageSectionMask;

    /// <inheritdoc />
    public static int PfnSubsectionShift => ClassicExtremeModel.PfnSubsectionShift;

    /// <inheritdoc />
    public static ulong HostSectionMapMask => ClassicExtremeModel.SectionMapMask;

    /// <inheritdoc />
    public static int SectionsPgshift => ClassicExtremeModel.SectionsPgshift;

    /// <inheritdoc />
    public static ulong SectionsMask => ClassicExtremeModel.SectionsMask;

    /// <inheritdoc />
    public static int NodesPgshift => ClassicExtremeModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => ClassicExtremeModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => ClassicExtremeModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => ClassicExtremeModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => ClassicExtremeModel.NodeNotInPageFlags;
}

/// <summary>The layout of <see cref="VmemmapModel"/>.</summary>
public readonly struct VmemmapConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsFlat => false;

    /// <inheritdoc />
    public static bool IsVmemmap => true;

    /// <inheritdoc />
    public static bool IsExtreme => true;

    /// <inheritdoc />
    public static int PageShift => VmemmapModel.PageShift;

    /// <inheritdoc />
    public static ulong ArchPfnOffset => 0;

    /// <inheritdoc />
    public static int PfnSectionShift => VmemmapModel.PfnSectionShift;

    /// <inheritdoc />
    public static ulong NrMemSections => VmemmapModel.NrMemSections;

    /// <inheritdoc />
    public static ulong SectionsPerRoot => VmemmapModel.SectionsPerRoot;

    /// <inheritdoc />
    public static ulong NrSectionRoots => VmemmapModel.NrSectionRoots;

    /// <inheritdoc />
    public static ulong PageSectionMask => VmemmapModel.PageSectionMask;

    /// <inheritdoc />
    public static int PfnSubsectionShift => VmemmapModel.PfnSubsectionShift;

    /// <inheritdoc />
    public static ulong HostSectionMapMask => VmemmapModel.SectionMapMask;

    /// <inheritdoc />
    public static int SectionsPgshift => VmemmapModel.SectionsPgshift;

    /// <inheritdoc />
    public static ulong SectionsMask => VmemmapModel.SectionsMask;

    /// <inheritdoc />
    public static int NodesPgshift => VmemmapModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => VmemmapModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => VmemmapModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => VmemmapModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => VmemmapModel.NodeNotInPageFlags;
}

/// <summary>The layout of <see cref="DiscontigTwoNodeModel"/>, with its node spans and banks in pfns (checked against the storage when the model is built).</summary>
public readonly struct DiscontigTwoNodeConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsDiscontig => true;

    /// <inheritdoc />
    public static int PageShift => DiscontigTwoNodeModel.PageShift;

    /// <inheritdoc />
    public static int NodesPgshift => DiscontigTwoNodeModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => DiscontigTwoNodeModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => DiscontigTwoNodeModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => DiscontigTwoNodeModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => DiscontigTwoNodeModel.NodeNotInPageFlags;

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> NodeStarts => [0x1, 0x40_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> NodeEnds => [0x24_0000, 0x60_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> BankStarts => [0x1, 0x100, 0x10_0000, 0x40_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> BankEnds => [0x9F, 0xC_0000, 0x24_0000, 0x60_0000];
}

/// <summary>The layout of <see cref="DiscontigEightNodeModel"/>, with its node spans and banks in pfns (checked against the storage when the model is built).</summary>
public readonly struct DiscontigEightNodeConfig : IModelConfig
{
    /// <inheritdoc />
    public static bool IsDiscontig => true;

    /// <inheritdoc />
    public static int PageShift => DiscontigEightNodeModel.PageShift;

    /// <inheritdoc />
    public static int NodesPgshift => DiscontigEightNodeModel.NodesPgshift;

    /// <inheritdoc />
    public static ulong NodesMask => DiscontigEightNodeModel.NodesMask;

    /// <inheritdoc />
    public static int ZonesPgshift => DiscontigEightNodeModel.ZonesPgshift;

    /// <inheritdoc />
    public static ulong ZonesMask => DiscontigEightNodeModel.ZonesMask;

    /// <inheritdoc />
    public static bool NodeNotInPageFlags => DiscontigEightNodeModel.NodeNotInPageFlags;

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> NodeStarts => [0x1, 0x14_0000, 0x1C_0000, 0x20_0000, 0x30_0000, 0x34_0000, 0x3C_0000, 0x40_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> NodeEnds => [0x14_0000, 0x1C_0000, 0x20_0000, 0x28_0000, 0x34_0000, 0x3C_0000, 0x40_0000, 0x4C_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> BankStarts => [0x1, 0x100, 0x10_0000, 0x14_0000, 0x1C_0000, 0x20_0000, 0x30_0000, 0x34_0000, 0x3C_0000, 0x40_0000];

    /// <inheritdoc />
    public static ReadOnlySpan<ulong> BankEnds => [0x9F, 0xC_0000, 0x14_0000, 0x1C_0000, 0x20_0000, 0x28_0000, 0x34_0000, 0x3C_0000, 0x40_0000, 0x4C_0000];
}
