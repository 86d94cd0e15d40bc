namespace PhysMem.Generator.Pipeline;

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
