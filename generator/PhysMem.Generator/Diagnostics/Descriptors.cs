using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PhysMem.Generator.Diagnostics;

/// <summary>
/// Roslyn descriptors for the shared <see cref="DiagnosticCatalog"/>: one per ID, with the catalog's
/// title and message and a help link from <see cref="HelpLinks"/>.
/// </summary>
/// <remarks>
/// Each descriptor is a field that spells its ID, category and severity as constants, the form the
/// release-tracking analyzer (RS2000-RS2008) follows, so it checks them against
/// AnalyzerReleases.Shipped.md and Unshipped.md. A test checks that they agree with the catalog,
/// which stays the one source of titles and messages.
/// </remarks>
internal static class Descriptors
{
    private static readonly DiagnosticDescriptor NotPartial = new(
        "PMEM0001", DiagnosticCatalog.NotPartial.Title, DiagnosticCatalog.NotPartial.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0001"));

    private static readonly DiagnosticDescriptor GenericType = new(
        "PMEM0002", DiagnosticCatalog.GenericType.Title, DiagnosticCatalog.GenericType.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0002"));

    private static readonly DiagnosticDescriptor OutOfRange = new(
        "PMEM0003", DiagnosticCatalog.OutOfRange.Title, DiagnosticCatalog.OutOfRange.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0003"));

    private static readonly DiagnosticDescriptor DependencyNotMet = new(
        "PMEM0004", DiagnosticCatalog.DependencyNotMet.Title, DiagnosticCatalog.DependencyNotMet.MessageFormat, "PhysMem.Kconfig", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0004"));

    private static readonly DiagnosticDescriptor UnsafeRequired = new(
        "PMEM0005", DiagnosticCatalog.UnsafeRequired.Title, DiagnosticCatalog.UnsafeRequired.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0005"));

    private static readonly DiagnosticDescriptor NotSupported = new(
        "PMEM0006", DiagnosticCatalog.NotSupported.Title, DiagnosticCatalog.NotSupported.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0006"));

    private static readonly DiagnosticDescriptor Conflict = new(
        "PMEM0007", DiagnosticCatalog.Conflict.Title, DiagnosticCatalog.Conflict.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0007"));

    private static readonly DiagnosticDescriptor InvalidArgument = new(
        "PMEM0008", DiagnosticCatalog.InvalidArgument.Title, DiagnosticCatalog.InvalidArgument.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0008"));

    private static readonly DiagnosticDescriptor RecordType = new(
        "PMEM0009", DiagnosticCatalog.RecordType.Title, DiagnosticCatalog.RecordType.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0009"));

    private static readonly DiagnosticDescriptor InvalidBank = new(
        "PMEM0010", DiagnosticCatalog.InvalidBank.Title, DiagnosticCatalog.InvalidBank.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0010"));

    private static readonly DiagnosticDescriptor KconfigNotFound = new(
        "PMEM0011", DiagnosticCatalog.KconfigNotFound.Title, DiagnosticCatalog.KconfigNotFound.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0011"));

    private static readonly DiagnosticDescriptor KconfigUnreadable = new(
        "PMEM0012", DiagnosticCatalog.KconfigUnreadable.Title, DiagnosticCatalog.KconfigUnreadable.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0012"));

    private static readonly DiagnosticDescriptor KconfigNotKernelConfig = new(
        "PMEM0013", DiagnosticCatalog.KconfigNotKernelConfig.Title, DiagnosticCatalog.KconfigNotKernelConfig.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0013"));

    private static readonly DiagnosticDescriptor KconfigUnknownArch = new(
        "PMEM0014", DiagnosticCatalog.KconfigUnknownArch.Title, DiagnosticCatalog.KconfigUnknownArch.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0014"));

    private static readonly DiagnosticDescriptor KconfigVersionApproximated = new(
        "PMEM0015", DiagnosticCatalog.KconfigVersionApproximated.Title, DiagnosticCatalog.KconfigVersionApproximated.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0015"));

    private static readonly DiagnosticDescriptor BuildPropertyInvalid = new(
        "PMEM0016", DiagnosticCatalog.BuildPropertyInvalid.Title, DiagnosticCatalog.BuildPropertyInvalid.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0016"));

    private static readonly DiagnosticDescriptor PageTypeNotUnmanaged = new(
        "PMEM0017", DiagnosticCatalog.PageTypeNotUnmanaged.Title, DiagnosticCatalog.PageTypeNotUnmanaged.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0017"));

    private static readonly DiagnosticDescriptor PageTypeField = new(
        "PMEM0018", DiagnosticCatalog.PageTypeField.Title, DiagnosticCatalog.PageTypeField.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0018"));

    private static readonly DiagnosticDescriptor MemoryMapMalformed = new(
        "PMEM0019", DiagnosticCatalog.MemoryMapMalformed.Title, DiagnosticCatalog.MemoryMapMalformed.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0019"));

    private static readonly DiagnosticDescriptor MemoryMapNotFound = new(
        "PMEM0020", DiagnosticCatalog.MemoryMapNotFound.Title, DiagnosticCatalog.MemoryMapNotFound.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0020"));

    private static readonly DiagnosticDescriptor MemoryMapAndBanks = new(
        "PMEM0021", DiagnosticCatalog.MemoryMapAndBanks.Title, DiagnosticCatalog.MemoryMapAndBanks.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0021"));

    private static readonly DiagnosticDescriptor MemoryMapOverlap = new(
        "PMEM0022", DiagnosticCatalog.MemoryMapOverlap.Title, DiagnosticCatalog.MemoryMapOverlap.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0022"));

    private static readonly DiagnosticDescriptor MemoryMapBeyondMaxPhysmem = new(
        "PMEM0023", DiagnosticCatalog.MemoryMapBeyondMaxPhysmem.Title, DiagnosticCatalog.MemoryMapBeyondMaxPhysmem.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0023"));

    private static readonly DiagnosticDescriptor MemoryMapNodeTooLarge = new(
        "PMEM0024", DiagnosticCatalog.MemoryMapNodeTooLarge.Title, DiagnosticCatalog.MemoryMapNodeTooLarge.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0024"));

    private static readonly DiagnosticDescriptor MemoryMapUnreadable = new(
        "PMEM0025", DiagnosticCatalog.MemoryMapUnreadable.Title, DiagnosticCatalog.MemoryMapUnreadable.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0025"));

    private static readonly DiagnosticDescriptor MemoryMapNoNode = new(
        "PMEM0026", DiagnosticCatalog.MemoryMapNoNode.Title, DiagnosticCatalog.MemoryMapNoNode.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0026"));

    private static readonly DiagnosticDescriptor MemoryMapHiddenAddresses = new(
        "PMEM0027", DiagnosticCatalog.MemoryMapHiddenAddresses.Title, DiagnosticCatalog.MemoryMapHiddenAddresses.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0027"));

    private static readonly DiagnosticDescriptor MemoryMapNodesInterleave = new(
        "PMEM0028", DiagnosticCatalog.MemoryMapNodesInterleave.Title, DiagnosticCatalog.MemoryMapNodesInterleave.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0028"));

    private static readonly DiagnosticDescriptor DuplicateModel = new(
        "PMEM0029", DiagnosticCatalog.DuplicateModel.Title, DiagnosticCatalog.DuplicateModel.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0029"));

    private static readonly DiagnosticDescriptor GeneratorFailed = new(
        "PMEM0030", DiagnosticCatalog.GeneratorFailed.Title, DiagnosticCatalog.GeneratorFailed.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0030"));

    private static readonly DiagnosticDescriptor TypeKind = new(
        "PMEM0031", DiagnosticCatalog.TypeKind.Title, DiagnosticCatalog.TypeKind.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0031"));

    private static readonly DiagnosticDescriptor MemberConflict = new(
        "PMEM0032", DiagnosticCatalog.MemberConflict.Title, DiagnosticCatalog.MemberConflict.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0032"));

    private static readonly DiagnosticDescriptor ConstructorWithoutStorage = new(
        "PMEM0037", DiagnosticCatalog.ConstructorWithoutStorage.Title, DiagnosticCatalog.ConstructorWithoutStorage.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0037"));

    private static readonly DiagnosticDescriptor VmcoreInfoNotFound = new(
        "PMEM0038", DiagnosticCatalog.VmcoreInfoNotFound.Title, DiagnosticCatalog.VmcoreInfoNotFound.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0038"));

    private static readonly DiagnosticDescriptor VmcoreInfoUnreadable = new(
        "PMEM0039", DiagnosticCatalog.VmcoreInfoUnreadable.Title, DiagnosticCatalog.VmcoreInfoUnreadable.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0039"));

    private static readonly DiagnosticDescriptor VmcoreInfoMalformed = new(
        "PMEM0040", DiagnosticCatalog.VmcoreInfoMalformed.Title, DiagnosticCatalog.VmcoreInfoMalformed.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0040"));

    private static readonly DiagnosticDescriptor VmcoreInfoKeyMissing = new(
        "PMEM0041", DiagnosticCatalog.VmcoreInfoKeyMissing.Title, DiagnosticCatalog.VmcoreInfoKeyMissing.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0041"));

    private static readonly DiagnosticDescriptor VmcoreInfoKeysDisagree = new(
        "PMEM0042", DiagnosticCatalog.VmcoreInfoKeysDisagree.Title, DiagnosticCatalog.VmcoreInfoKeysDisagree.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0042"));

    private static readonly DiagnosticDescriptor OptionIgnored = new(
        "PMEM0035", DiagnosticCatalog.OptionIgnored.Title, DiagnosticCatalog.OptionIgnored.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0035"));

    private static readonly DiagnosticDescriptor StaticSectionTableTooLarge = new(
        "PMEM0036", DiagnosticCatalog.StaticSectionTableTooLarge.Title, DiagnosticCatalog.StaticSectionTableTooLarge.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0036"));

    private static readonly DiagnosticDescriptor KconfigValueInvalid = new(
        "PMEM0033", DiagnosticCatalog.KconfigValueInvalid.Title, DiagnosticCatalog.KconfigValueInvalid.MessageFormat, "PhysMem.Kconfig", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0033"));

    private static readonly DiagnosticDescriptor MemoryMapEmpty = new(
        "PMEM0115", DiagnosticCatalog.MemoryMapEmpty.Title, DiagnosticCatalog.MemoryMapEmpty.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0115"));

    private static readonly DiagnosticDescriptor MemoryMapNoWholePage = new(
        "PMEM0116", DiagnosticCatalog.MemoryMapNoWholePage.Title, DiagnosticCatalog.MemoryMapNoWholePage.MessageFormat, "PhysMem.Usage", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0116"));

    private static readonly DiagnosticDescriptor SectionSizeOutOfRange = new(
        "PMEM0101", DiagnosticCatalog.SectionSizeOutOfRange.Title, DiagnosticCatalog.SectionSizeOutOfRange.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0101"));

    private static readonly DiagnosticDescriptor PhysmemTooWide = new(
        "PMEM0102", DiagnosticCatalog.PhysmemTooWide.Title, DiagnosticCatalog.PhysmemTooWide.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0102"));

    private static readonly DiagnosticDescriptor SubsectionExceedsSection = new(
        "PMEM0103", DiagnosticCatalog.SubsectionExceedsSection.Title, DiagnosticCatalog.SubsectionExceedsSection.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0103"));

    private static readonly DiagnosticDescriptor OrderExceedsSection = new(
        "PMEM0104", DiagnosticCatalog.OrderExceedsSection.Title, DiagnosticCatalog.OrderExceedsSection.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0104"));

    private static readonly DiagnosticDescriptor SectionMapBitsDoNotFit = new(
        "PMEM0105", DiagnosticCatalog.SectionMapBitsDoNotFit.Title, DiagnosticCatalog.SectionMapBitsDoNotFit.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0105"));

    private static readonly DiagnosticDescriptor TooManyZones = new(
        "PMEM0106", DiagnosticCatalog.TooManyZones.Title, DiagnosticCatalog.TooManyZones.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0106"));

    private static readonly DiagnosticDescriptor VmemmapNoSpaceForNodes = new(
        "PMEM0107", DiagnosticCatalog.VmemmapNoSpaceForNodes.Title, DiagnosticCatalog.VmemmapNoSpaceForNodes.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0107"));

    private static readonly DiagnosticDescriptor NotEnoughBits = new(
        "PMEM0108", DiagnosticCatalog.NotEnoughBits.Title, DiagnosticCatalog.NotEnoughBits.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0108"));

    private static readonly DiagnosticDescriptor GfpZonesShiftTooLarge = new(
        "PMEM0109", DiagnosticCatalog.GfpZonesShiftTooLarge.Title, DiagnosticCatalog.GfpZonesShiftTooLarge.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0109"));

    private static readonly DiagnosticDescriptor PageblockOrderTooLarge = new(
        "PMEM0110", DiagnosticCatalog.PageblockOrderTooLarge.Title, DiagnosticCatalog.PageblockOrderTooLarge.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0110"));

    private static readonly DiagnosticDescriptor NodeNotInPageFlags = new(
        "PMEM0111", DiagnosticCatalog.NodeNotInPageFlags.Title, DiagnosticCatalog.NodeNotInPageFlags.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0111"));

    private static readonly DiagnosticDescriptor LastCpupidNotInPageFlags = new(
        "PMEM0112", DiagnosticCatalog.LastCpupidNotInPageFlags.Title, DiagnosticCatalog.LastCpupidNotInPageFlags.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0112"));

    private static readonly DiagnosticDescriptor NodeNeedsSections = new(
        "PMEM0113", DiagnosticCatalog.NodeNeedsSections.Title, DiagnosticCatalog.NodeNeedsSections.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0113"));

    private static readonly DiagnosticDescriptor KconfigRuleBroken = new(
        "PMEM0114", DiagnosticCatalog.KconfigRuleBroken.Title, DiagnosticCatalog.KconfigRuleBroken.MessageFormat, "PhysMem.Kconfig", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0114"));

    private static readonly DiagnosticDescriptor PageBlockMaxOrderTooLarge = new(
        "PMEM0117", DiagnosticCatalog.PageBlockMaxOrderTooLarge.Title, DiagnosticCatalog.PageBlockMaxOrderTooLarge.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0117"));

    private static readonly DiagnosticDescriptor PageblockOrderAboveLimit = new(
        "PMEM0118", DiagnosticCatalog.PageblockOrderAboveLimit.Title, DiagnosticCatalog.PageblockOrderAboveLimit.MessageFormat, "PhysMem.Layout", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinks.For("PMEM0118"));

    private static readonly DiagnosticDescriptor[] Catalog =
    {
        NotPartial, GenericType, OutOfRange, DependencyNotMet, UnsafeRequired, NotSupported, Conflict, InvalidArgument, RecordType, InvalidBank, KconfigNotFound, KconfigUnreadable, KconfigNotKernelConfig, KconfigUnknownArch, KconfigVersionApproximated, BuildPropertyInvalid, PageTypeNotUnmanaged, PageTypeField, MemoryMapMalformed, MemoryMapNotFound, MemoryMapAndBanks, MemoryMapOverlap, MemoryMapBeyondMaxPhysmem, MemoryMapNodeTooLarge, MemoryMapUnreadable, MemoryMapNoNode, MemoryMapHiddenAddresses, MemoryMapNodesInterleave, DuplicateModel, GeneratorFailed, TypeKind, MemberConflict, ConstructorWithoutStorage, VmcoreInfoNotFound, VmcoreInfoUnreadable, VmcoreInfoMalformed, VmcoreInfoKeyMissing, VmcoreInfoKeysDisagree, OptionIgnored, StaticSectionTableTooLarge, KconfigValueInvalid, MemoryMapEmpty, MemoryMapNoWholePage, SectionSizeOutOfRange, PhysmemTooWide, SubsectionExceedsSection, OrderExceedsSection, SectionMapBitsDoNotFit, TooManyZones, VmemmapNoSpaceForNodes, NotEnoughBits, GfpZonesShiftTooLarge, PageblockOrderTooLarge, NodeNotInPageFlags, LastCpupidNotInPageFlags, NodeNeedsSections, KconfigRuleBroken, PageBlockMaxOrderTooLarge, PageblockOrderAboveLimit,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Build();

    /// <summary>The descriptor of a catalog ID.</summary>
    /// <param name="id">A PMEMnnnn ID from <see cref="DiagnosticCatalog"/>.</param>
    /// <returns>Its descriptor.</returns>
    public static DiagnosticDescriptor Get(string id) => ById[id];

    /// <summary>Gets every descriptor, one per catalog ID.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => Catalog;

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var descriptor in Catalog)
        {
            map.Add(descriptor.Id, descriptor);
        }

        return map;
    }
}
