using System;

namespace PhysMem;

/// <summary>
/// Declares one bank of physical memory of a <see cref="MemoryModelAttribute"/> model when the
/// machine's memory is known when the code is built, as board and firmware descriptions know it.
/// The generator then emits a parameterless constructor that builds the storage from the banks, and
/// for DISCONTIGMEM the node lookup (<c>arch_pfn_to_nid</c>) and <c>pfn_valid</c> as constant
/// comparisons: a balanced decision tree over the bank boundaries instead of a table walk.
/// </summary>
/// <remarks>
/// <code>
/// [MemoryModel(Model.Discontig, NodesShift = 1)]
/// [MemoryBank(0x0000_0000, 0xC000_0000, Node = 0)]
/// [MemoryBank(0x1_0000_0000, 0x1_4000_0000, Node = 1)]
/// public partial class TwoNodes { }
/// </code>
/// Partial pages at either end of a bank are not memory, as the kernel trims them.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
public sealed class MemoryBankAttribute : Attribute
{
    /// <summary>Declares the bank <c>[start, start + size)</c> of physical addresses.</summary>
    /// <param name="start">The first physical address of the bank.</param>
    /// <param name="size">The size of the bank in bytes.</param>
    public MemoryBankAttribute(ulong start, ulong size)
    {
        Start = start;
        Size = size;
    }

    /// <summary>The first physical address of the bank.</summary>
    public ulong Start { get; }

    /// <summary>The size of the bank in bytes.</summary>
    public ulong Size { get; }

    /// <summary>The node the bank belongs to (default 0).</summary>
    public int Node { get; set; }
}
