using PhysMem.Generator.AdditionalFiles;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator;

/// <summary>Metadata and global-qualified names of the runtime types the generator reads or emits.</summary>
internal static class TypeNames
{
    public const string MemoryModelAttributeMetadataName = "PhysMem.MemoryModelAttribute";
    public const string RuntimeNamespace = "PhysMem";
    public const string MemoryBankAttributeName = "MemoryBankAttribute";
    public const string DiscontigMemory = Runtime + ".DiscontigMemory";
    public const string NodeData = Runtime + ".NodeData";
    public const string MemoryRange = Runtime + ".MemoryRange";
    public const string Runtime = "global::PhysMem";
    public const string Page = Runtime + ".Page";
    public const string MemSection = Runtime + ".MemSection";
    public const string MemoryLayout = Runtime + ".MemoryLayout";
    public const string LayoutSpec = Runtime + ".LayoutSpec";
    public const string MemoryMap = Runtime + ".MemoryMap";
    public const string SparseMemory = Runtime + ".SparseMemory";
    public const string FlatMemory = Runtime + ".FlatMemory";
    public const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
}

/// <summary>Names of the pipeline steps, for step tracking in tests.</summary>
internal static class TrackingNames
{
    public const string Targets = "PhysMem.Targets";
    public const string HintNames = "PhysMem.HintNames";
    public const string Named = "PhysMem.Named";
    public const string AllowUnsafe = "PhysMem.AllowUnsafe";
    public const string BuildOptions = "PhysMem.BuildOptions";
    public const string KconfigNames = "PhysMem.KconfigNames";
    public const string Kconfig = "PhysMem.Kconfig";
    public const string KconfigFiles = "PhysMem.KconfigFiles";
    public const string MemoryMapNames = "PhysMem.MemoryMapNames";
    public const string MemoryMap = "PhysMem.MemoryMap";
    public const string MemoryMapFiles = "PhysMem.MemoryMapFiles";
    public const string Resolved = "PhysMem.Resolved";
    public const string Banks = "PhysMem.Banks";
    public const string Results = "PhysMem.Results";
    public const string Diagnostics = "PhysMem.Diagnostics";
    public const string Sources = "PhysMem.Sources";
}
