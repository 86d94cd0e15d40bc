namespace PhysMem.Generator.Model;

/// <summary>A type that contains the model type (for nested models): its keyword and its name with type parameters, both as C# source.</summary>
/// <param name="Keyword">The declaration's keyword: <c>class</c>, <c>struct</c>, <c>interface</c>, <c>record class</c> or <c>record struct</c>.</param>
/// <param name="NameWithTypeParameters">The escaped name and type parameter list, as a partial declaration repeats it (<c>Outer&lt;out T&gt;</c>).</param>
/// <param name="MetadataName">The name with its arity, as metadata spells it (<c>Outer`1</c>): part of the model's identity.</param>
internal sealed record ContainingType(string Keyword, string NameWithTypeParameters, string MetadataName);

/// <summary>The annotated type, as plain data.</summary>
/// <param name="Namespace">The namespace as C# source (segments escaped), or null for the global namespace.</param>
/// <param name="Containers">Containing types, outermost first.</param>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record class</c> or <c>record struct</c>.</param>
/// <param name="Name">The type's name as C# source (escaped when it is a keyword: <c>@class</c>).</param>
/// <param name="Identity">
/// What makes the type one type: namespace, containers with arity, name, and for a file-local type the
/// file that declares it. Partial declarations of one type share it; hint names are made from it.
/// </param>
/// <param name="CanTakeSurface">
/// Whether a generated half with the model's members can be added to the declaration even when the
/// model is refused (a partial, non-static class or record class): then the members are emitted with
/// bodies that throw, so the refusal is one PMEM error instead of one compiler error at every use.
/// </param>
internal sealed record ModelTarget(string? Namespace, EquatableArray<ContainingType> Containers, string Keyword, string Name, string Identity, bool CanTakeSurface)
{
    /// <summary>Whether the type has a primary constructor, which any constructor the generator writes would have to call.</summary>
    public bool HasPrimaryConstructor { get; init; }

    /// <summary>Whether the user's declaration carries <c>[GeneratedCode]</c> already (it may appear once per type).</summary>
    public bool HasGeneratedCodeAttribute { get; init; }

    /// <summary>The name as users write it, with namespace and containing types.</summary>
    public string FullName
    {
        get
        {
            var sb = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                sb.Append(Namespace).Append('.');
            }

            foreach (var c in Containers)
            {
                sb.Append(c.NameWithTypeParameters).Append('.');
            }

            return sb.Append(Name).ToString();
        }
    }

    /// <summary>
    /// The hint name of the generated file, given by <see cref="Parsing.HintNames"/> once every
    /// model's identity is known: <c>Namespace.Outer.Type.g.cs</c> for most, with a suffix where
    /// identities would otherwise meet (arity, file-local types, names equal but for case).
    /// </summary>
    public string HintName { get; init; } = string.Empty;
}

/// <summary>
/// A bank of memory, from a <c>[MemoryBank]</c> or a line of a memory map file: physical bytes
/// <c>[Start, Start + Size)</c> on a node, where it was written, and (from a file with a NUMA line)
/// where its node was given.
/// </summary>
internal sealed record BankInfo(ulong Start, ulong Size, int Node, LocationInfo? Location, LocationInfo? NodeLocation = null)
{
    /// <summary>The bank without its locations, for the output (so moving the attribute does not regenerate).</summary>
    public BankInfo WithoutLocation() => this with { Location = null, NodeLocation = null };
}

/// <summary>One input of the model and where it came from (<c>attribute</c>, <c>preset X86_64</c>, <c>default</c>), for the generated header.</summary>
internal sealed record InputSource(string Name, string Value, string Source);

/// <summary>
/// What the attribute says about one annotated type: plain, value-equatable data, built inside the
/// transform so nothing downstream holds a symbol, a syntax node or a compilation. The inputs it
/// sets are only one layer; <see cref="ResolvedInput"/> adds MSBuild, the kernel configuration and
/// the preset.
/// </summary>
/// <param name="Target">The type, or null when it cannot get a generated half.</param>
/// <param name="AttributeInputs">The inputs the attribute's arguments set (source <c>attribute</c>).</param>
/// <param name="Arch">The preset named by the constructor, or null.</param>
/// <param name="Kconfig">The kernel configuration named by <c>Kconfig</c>, or null.</param>
/// <param name="MemoryMapFile">The memory map named by <c>MemoryMapFile</c>, or null.</param>
/// <param name="Diagnostics">Misuses found while reading the attribute.</param>
/// <param name="AttributeLocation">Where the attribute is written.</param>
/// <param name="Arguments">Where each argument is written.</param>
/// <param name="Banks">The <c>[MemoryBank]</c>s.</param>
/// <param name="PageType">The frame descriptor named by <c>PageType</c>, or null for the runtime's <c>Page</c>.</param>
/// <param name="Usable">False when the attribute's own values are unusable (a diagnostic says why), so nothing is resolved.</param>
internal sealed record ModelInput(
    ModelTarget? Target,
    EquatableArray<InputSource> AttributeInputs,
    string? Arch,
    string? Kconfig,
    string? MemoryMapFile,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? AttributeLocation,
    EquatableArray<ArgumentLocation> Arguments,
    EquatableArray<BankInfo> Banks,
    PageTypeInfo? PageType,
    bool Usable)
{
    /// <summary>The members the user declared on the type or inherits, which the generated ones must not collide with.</summary>
    public EquatableArray<UserMember> Members { get; init; } = EquatableArray<UserMember>.Empty;
}

/// <summary>
/// One model with every layer of inputs merged (attribute, MSBuild, kernel configuration, preset,
/// defaults) into a <see cref="LayoutSpec"/>, with where each input came from, and its banks: from
/// the <c>[MemoryBank]</c>s, or, once <see cref="Parsing.MemoryMapParser.Apply"/> has run, from the
/// memory map file it names (<see cref="MemoryMapFile"/>).
/// </summary>
internal sealed record ResolvedInput(
    ModelTarget? Target,
    LayoutSpec? Spec,
    EquatableArray<InputSource> Inputs,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? AttributeLocation,
    EquatableArray<ArgumentLocation> Arguments,
    EquatableArray<BankInfo> Banks,
    PageTypeInfo? PageType,
    string? MemoryMapFile = null)
{
    /// <summary>The members the user declared on the type or inherits (from <see cref="ModelInput.Members"/>).</summary>
    public EquatableArray<UserMember> Members { get; init; } = EquatableArray<UserMember>.Empty;

    /// <summary>When the layers could not be merged: the layout the attribute alone asks for, which a refused model's surface follows.</summary>
    public LayoutSpec? SurfaceSpec { get; init; }
}

/// <summary>
/// The outcome for one model: what to emit and what to report. A model without errors has its
/// <see cref="Spec"/>; a refused one has none, but may have a <see cref="Surface"/> (its members,
/// with bodies that throw). <see cref="BanksFile"/> names the memory map the banks came from (null:
/// <c>[MemoryBank]</c>s).
/// </summary>
internal sealed record ModelResult(ModelTarget? Target, LayoutSpec? Spec, EquatableArray<InputSource> Inputs, EquatableArray<BankInfo> Banks, PageTypeInfo? PageType, EquatableArray<DiagnosticInfo> Diagnostics, string? BanksFile = null, SurfaceInfo? Surface = null)
{
    public bool CanEmit => Target is not null && Spec is not null;

    /// <summary>Whether there is anything to write: the model, or the surface of a refused one.</summary>
    public bool HasSource => Target is not null && (Spec is not null || Surface is not null);
}
