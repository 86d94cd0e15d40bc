namespace PhysMem.Generator.Pipeline;

/// <summary>
/// What a refused model's generated half is made from: the members a model of this kind would have
/// (those of <see cref="Spec"/>, with banks when it has them), each with a body that throws
/// <see cref="Reason"/>, so the user sees the PMEM error alone and not a compiler error at every use.
/// </summary>
/// <param name="Spec">A layout of the same model kind that can be computed (the model's own, when only something else is wrong).</param>
/// <param name="PageType">The page type its pointer members use.</param>
/// <param name="HasBanks">Whether the model names banks (a parameterless constructor and <c>Banks</c>).</param>
/// <param name="AllowUnsafe">False when the project does not allow unsafe code: members with pointers are left out.</param>
/// <param name="Skip">Generated member names the user's own members take (PMEM0032): left out.</param>
/// <param name="Reason">The first error, as the exception says it: <c>PMEM0003: PageShift = 40 is out of range: ...</c>.</param>
internal sealed record SurfaceInfo(LayoutSpec Spec, PageTypeInfo PageType, bool HasBanks, bool AllowUnsafe, EquatableArray<string> Skip, string Reason);
