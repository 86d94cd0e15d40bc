namespace PhysMem.Generator.Pipeline;

/// <summary>
/// The frame descriptor a model uses (<c>PageType</c>), as plain data: what the emitter writes for
/// it and what the validator still has to check against the layout.
/// </summary>
/// <param name="Name">The global-qualified name the generated code writes.</param>
/// <param name="Display">The name as users write it, for messages.</param>
/// <param name="Flags32">True when its <c>Flags</c> field is a <c>uint</c> (only a 32-bit layout accepts it).</param>
/// <param name="LastCpupidType">The keyword of its usable <c>LastCpupid</c> field (<c>uint</c> or <c>int</c>), or null.</param>
/// <param name="LastCpupidProblem">Why it has no usable <c>LastCpupid</c> field, or null when it has one.</param>
internal sealed record PageTypeInfo(string Name, string Display, bool Flags32, string? LastCpupidType, string? LastCpupidProblem)
{
    /// <summary>The runtime's 64-byte <c>Page</c>.</summary>
    public static PageTypeInfo Default { get; } = new(TypeNames.Page, "PhysMem.Page", false, "uint", null);

    /// <summary>True for the runtime's own <c>Page</c>, whose storages have non-generic names.</summary>
    public bool IsDefault => Name == TypeNames.Page;

    /// <summary>The storage type over this page type: <c>SparseMemory</c> for the default, <c>SparseMemory&lt;T&gt;</c> otherwise.</summary>
    public string Storage(string nonGeneric) => IsDefault ? nonGeneric : nonGeneric + "<" + Name + ">";

    /// <summary>A store of a 64-bit expression into <c>page-&gt;Flags</c>, narrowed for a 32-bit field.</summary>
    public string StoreFlags(string value) => Flags32 ? "page->Flags = (uint)(" + value + ")" : "page->Flags = " + value;
}
