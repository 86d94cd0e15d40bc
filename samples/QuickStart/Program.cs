using System;
using System.Globalization;
using System.IO;
using System.Linq;
using PhysMem;
using QuickStart;

// Where the memory comes from: this machine's /proc/iomem when it can be read (as root on Linux),
// else a built-in map of a typical PC.
MemoryMap map;
string source;
if (MemoryMap.TryReadMachine(out var machine, out var why) && machine is not null)
{
    map = machine;
    source = "/proc/iomem of this machine";
}
else
{
    map = MemoryMap.Example;
    source = "the built-in example map (" + why + ")";
}

Console.WriteLine($"PhysMem quick start: {X86Memory.Layout.Describe()}, PAGE_SHIFT {X86Memory.PageShift}, SECTION_SIZE_BITS {X86Memory.SectionSizeBits}, MAX_PHYSMEM_BITS {X86Memory.MaxPhysmemBits}");
Console.WriteLine($"Memory from {source}:");
foreach (var range in map.Ranges)
{
    Console.WriteLine($"  {range.Start:x12}-{range.End - 1:x12}  System RAM  node {range.Node}  ({Size(range.End - range.Start)})");
}

using var memory = new X86Memory(map);
var storage = memory.Storage;
var present = storage.PresentSections;
Console.WriteLine();
Console.WriteLine($"Present sections: {present.Count} of {X86Memory.NrMemSections} ({Size((ulong)present.Count << X86Memory.SectionSizeBits)} of sections)");
Console.WriteLine($"  {Runs(present)}");
const string sysfs = "/sys/devices/system/memory";
if (Directory.Exists(sysfs) && File.Exists(Path.Combine(sysfs, "block_size_bytes")))
{
    ulong block = ulong.Parse(File.ReadAllText(Path.Combine(sysfs, "block_size_bytes")).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    int blocks = Directory.GetDirectories(sysfs, "memory*").Count(d => Path.GetFileName(d).Skip(6).All(char.IsDigit));
    Console.WriteLine($"  The kernel's own view ({sysfs}): {blocks} memory blocks of {Size(block)}" +
        (block == 1UL << X86Memory.SectionSizeBits ? (blocks == present.Count ? ", one per present section: they agree." : ", which differs from the sections found here.") : "."));
}

Console.WriteLine();
Console.WriteLine($"vmemmap: {Size(storage.CommittedMemmapBytes)} of struct pages committed in {Size(storage.ReservedBytes)} of reserved address space");
Console.WriteLine($"         ({present.Count} sections x {X86Memory.PagesPerSection} pages x 64 bytes; the rest of the address space is never backed)");
Console.WriteLine($"section table: {Size(storage.SectionTableBytes)} (EXTREME: {X86Memory.NrSectionRoots} root pointers, roots of {X86Memory.SectionsPerRoot} sections allocated on demand)");

Console.WriteLine();
Console.WriteLine("Conversions (generated code, constants folded):");
ulong lastPfn = X86Memory.PhysToPfn(map.Ranges[^1].End - 1);
foreach (ulong pfn in new[] { X86Memory.PhysToPfn(map.Ranges[0].Start + 0x1000), X86Memory.PhysToPfn(0x1_0000_0000), lastPfn, lastPfn + 1, 1UL << 40 })
{
    bool valid = memory.PfnValid(pfn);
    string detail = "no page";
    if (valid)
    {
        unsafe
        {
            Page* page = memory.PfnToPage(pfn);
            detail = $"page at +0x{(ulong)page - (ulong)memory.PfnToPage(0):x}, back to pfn 0x{memory.PageToPfn(page):x}, zone {X86Memory.PageZonenum(page)}, node {X86Memory.PageToNid(page)}";
        }
    }

    Console.WriteLine($"  pfn 0x{pfn:x9} (phys 0x{X86Memory.PfnToPhys(pfn):x12}, section {X86Memory.PfnToSectionNr(pfn),6}): valid={valid,-5} {detail}");
}

Console.WriteLine();
Console.WriteLine("A few of the kernel's #defines for this model (X86Memory.Layout.ToKernelDefines()):");
foreach (var line in X86Memory.Layout.ToKernelDefines().Split('\n').Where(l => l.Contains("SECTION", StringComparison.Ordinal)).Take(8))
{
    Console.WriteLine("  " + line);
}

// Memory hotplug (mm/memory_hotplug.c, mm/sparse.c): 1 GiB added at the next section boundary above
// the highest range, onlined, then offlined and removed again, with what the storage holds at each step.
Console.WriteLine();
ulong hotStart = (X86Memory.PhysToPfn(map.Ranges[^1].End) + X86Memory.PagesPerSection - 1) & X86Memory.PageSectionMask;
ulong hotPages = (1UL << 30) >> X86Memory.PageShift;
Console.WriteLine($"Memory hotplug: 1 GiB at pfn 0x{hotStart:x} (sections {X86Memory.PfnToSectionNr(hotStart)}-{X86Memory.PfnToSectionNr(hotStart + hotPages - 1)})");
Show("before", storage.GetAccounting());
storage.AddMemory(hotStart, hotPages, nid: 0);
Show("added", storage.GetAccounting());
unsafe
{
    Console.WriteLine($"  pfn 0x{hotStart:x}: valid={memory.PfnValid(hotStart)}, online page={(storage.PfnToOnlinePage(hotStart) != null)} (hot-added memory starts offline)");
    storage.OnlineSections(hotStart, hotPages);
    Console.WriteLine($"  onlined: online page={(storage.PfnToOnlinePage(hotStart) != null)}, zone {X86Memory.PageZonenum(memory.PfnToPage(hotStart))}, pageblock migratetype {storage.GetPageblockMigratetype(hotStart)} (MOVABLE)");
}

storage.OfflineSections(hotStart, hotPages);
storage.RemoveMemory(hotStart, hotPages);
Show("removed", storage.GetAccounting());
storage.Synchronize();
Show("synchronized", storage.GetAccounting());
Console.WriteLine("  (the usage blocks stay cached for the next hot-add; a new EXTREME root, if one was needed, stays as in the kernel)");

// memmap_on_memory (mm/memory_hotplug.c): the same 1 GiB again, each 128 MiB block keeping its own
// memmap in its first pages (a vmem_altmap per block) instead of in RAM.
var altmaps = storage.AddMemory(hotStart, hotPages, nid: 0, memmapOnMemory: true);
Console.WriteLine($"memmap_on_memory: {altmaps.Count} blocks, each hosting its memmap in its first {storage.MemmapOnMemoryPages} pages; the first usable pfn is 0x{altmaps[0].FirstUsablePfn:x}");
Show("added", storage.GetAccounting());
storage.RemoveMemory(hotStart, hotPages);
storage.Synchronize();
Show("removed", storage.GetAccounting());

static void Show(string step, MemoryAccounting a) =>
    Console.WriteLine($"  {step,-13} memmap {Size(a.MemmapBytes),10} ({Size(a.PendingMemmapBytes)} pending), section table {Size(a.SectionTableBytes)} ({a.AllocatedRoots} roots), "
        + $"usage {Size(a.UsageBytes)} ({Size(a.CachedUsageBytes)} cached), {a.PresentSections} present / {a.OnlineSections} online"
        + (a.SelfHostedMemmapBytes != 0 ? $", memmap in the memory itself {Size(a.SelfHostedMemmapBytes)}" : string.Empty));

static string Size(ulong bytes)
{
    string[] units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.Length - 1)
    {
        value /= 1024;
        unit++;
    }

    return value.ToString(value % 1 == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + " " + units[unit];
}

static string Runs(System.Collections.Generic.IReadOnlyList<ulong> sections)
{
    var parts = new System.Collections.Generic.List<string>();
    for (int i = 0; i < sections.Count;)
    {
        int j = i;
        while (j + 1 < sections.Count && sections[j + 1] == sections[j] + 1)
        {
            j++;
        }

        parts.Add(i == j ? $"{sections[i]}" : $"{sections[i]}-{sections[j]}");
        i = j + 1;
    }

    return "sections " + string.Join(", ", parts);
}
