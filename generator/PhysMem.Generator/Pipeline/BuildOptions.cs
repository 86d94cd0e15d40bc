namespace PhysMem.Generator.Pipeline;

/// <summary>One <c>PhysMem_*</c> MSBuild property that is set: its name and its value as MSBuild gave it.</summary>
internal sealed record BuildProperty(string Name, string Value);

/// <summary>
/// The project-wide settings from MSBuild, read once from the global analyzer options (the
/// <c>PhysMem_*</c> properties made visible by the package's <c>buildTransitive/PhysMem.props</c>):
/// only the properties that are set, so an unrelated project change leaves this record equal.
/// </summary>
internal sealed record BuildOptions(EquatableArray<BuildProperty> Properties)
{
    /// <summary>The prefix of every PhysMem MSBuild property.</summary>
    public const string Prefix = "PhysMem_";

    /// <summary>The property naming the kernel configuration for every model that does not name its own.</summary>
    public const string KconfigProperty = Prefix + "Kconfig";

    /// <summary>The property naming the VMCOREINFO note for every model that does not name its own.</summary>
    public const string VmcoreInfoProperty = Prefix + "VmcoreInfo";

    /// <summary>The property naming the architecture preset for every model whose attribute names none.</summary>
    public const string ArchProperty = Prefix + "Arch";

    /// <summary>No property set.</summary>
    public static BuildOptions Empty { get; } = new(EquatableArray<BuildProperty>.Empty);

    /// <summary>The value of a property, or null when it is not set.</summary>
    public string? Get(string name)
    {
        foreach (var p in Properties)
        {
            if (p.Name == name)
            {
                return p.Value;
            }
        }

        return null;
    }
}
