using System.Runtime.InteropServices;

namespace PhysMem;

/// <summary>
/// One entry of the section table: the kernel's <c>struct mem_section</c> without the page
/// extension words (include/linux/mmzone.h). 16 bytes on a 64-bit host.
/// </summary>
/// <remarks>
/// <para><see cref="SectionMemMap"/> holds the section's flag bits (present, has a memmap, online,
/// early, ...) in its low <c>SECTION_MAP_LAST_BIT</c> bits. Before the memmap exists the rest holds
/// the node (<c>nid &lt;&lt; SECTION_NID_SHIFT</c>); afterwards it holds the memmap's address minus
/// <c>section_nr_to_pfn(nr) * sizeof(Page)</c>, so that adding an absolute pfn gives the page.</para>
/// <para><see cref="Usage"/> points at the section's usage block: the subsection map first
/// (SPARSEMEM_VMEMMAP only; one bit per 2 MiB subsection, in 64-bit host words), then the pageblock
/// flags (<see cref="MemoryLayout.UsemapSize"/> bytes).</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MemSection
{
    /// <summary><c>section_mem_map</c>: the encoded memmap pointer and the section's flag bits.</summary>
    public nuint SectionMemMap;

    /// <summary><c>usage</c>: the section's subsection map and pageblock flags, or null.</summary>
    public ulong* Usage;
}
