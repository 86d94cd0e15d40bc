using PhysMem;

namespace KernelConfig;

/// <summary>
/// The memory model of whatever kernel <c>PhysMem_Kconfig</c> names (see the project file): the
/// architecture, SPARSEMEM variant, page size, nodes, cpus, zones and page-flag count all come from
/// that kernel's .config, as its own build derived them. Nothing is set here; a property set on the
/// attribute (<c>[MemoryModel(MaxPhysmemBits = 46)]</c>) would win over the file.
/// </summary>
[MemoryModel]
public partial class KernelMemory
{
}
