using PhysMem;

namespace QuickStart;

/// <summary>
/// The memory model of an x86-64 kernel with 4-level paging: SPARSEMEM_VMEMMAP with the EXTREME
/// section table, 128 MiB sections, 46-bit physical addresses. The generator adds the rest.
/// </summary>
[MemoryModel(Model.Sparse, SectionSizeBits = 27, MaxPhysmemBits = 46, Vmemmap = true, Extreme = true)]
public partial class X86Memory
{
}
