using System;
using KernelConfig;
using PhysMem;

// The layout of the kernel whose .config the model was generated from, as that kernel prints it
// at boot with mminit_loglevel=4 (and CONFIG_DEBUG_MEMORY_INIT), then the values behind it.
var layout = KernelMemory.Layout;
Console.WriteLine($"{layout.Describe()}: {layout.BitsPerLong}-bit, {layout.PageSize / 1024} KiB pages");
Console.WriteLine();
Console.WriteLine("What the kernel prints at boot (mminit_loglevel=4):");
Console.Write(layout.ToMminitLines());
Console.WriteLine();
Console.WriteLine("From its .config:");
Console.WriteLine($"  MAX_PHYSMEM_BITS {KernelMemory.MaxPhysmemBits}, SECTION_SIZE_BITS {KernelMemory.SectionSizeBits}, NR_MEM_SECTIONS {KernelMemory.NrMemSections}");
Console.WriteLine($"  NODES_SHIFT {KernelMemory.NodesShift}, MAX_NR_ZONES {KernelMemory.MaxNrZones}, NR_PAGEFLAGS {KernelMemory.NrPageflags}, NR_CPUS_BITS {KernelMemory.NrCpusBits}");
Console.WriteLine($"  page->flags: node at bit {KernelMemory.NodesPgshift}, zone at bit {KernelMemory.ZonesPgshift}, last_cpupid {KernelMemory.LastCpupidWidth} bits at bit {KernelMemory.LastCpupidPgshift}");
foreach (var note in layout.Diagnostics)
{
    Console.WriteLine($"  note {note.Id}: {note.Message}");
}

Console.WriteLine();
Console.WriteLine("Each input's source is listed at the top of the generated KernelConfig.KernelMemory.g.cs (obj/.../generated).");
