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
