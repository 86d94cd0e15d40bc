namespace PhysMem.Generator;

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
    public const string VmcoreInfoNames = "PhysMem.VmcoreInfoNames";
    public const string VmcoreInfo = "PhysMem.VmcoreInfo";
    public const string VmcoreInfoFiles = "PhysMem.VmcoreInfoFiles";
    public const string MemoryMapNames = "PhysMem.MemoryMapNames";
    public const string MemoryMap = "PhysMem.MemoryMap";
    public const string MemoryMapFiles = "PhysMem.MemoryMapFiles";
    public const string Resolved = "PhysMem.Resolved";
    public const string Banks = "PhysMem.Banks";
    public const string Results = "PhysMem.Results";
    public const string Diagnostics = "PhysMem.Diagnostics";
    public const string Sources = "PhysMem.Sources";
}
