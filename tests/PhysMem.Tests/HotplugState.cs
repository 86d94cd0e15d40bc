using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace PhysMem.Tests;

// What the hotplug tests compare and build from: the whole observable state of a storage as text,
// the layouts and boot map they use, and the protection of an address as the kernel reports it.
internal static unsafe class HotplugState
{
    internal const ulong PagesPerSection = 32768;   // 128 MiB of 4 KiB pages
    internal const ulong PagesPerSubsection = 512;  // 2 MiB
    internal const ulong SectionMemmap = PagesPerSection * 64;     // 2 MiB of 64-byte pages
    internal const ulong SubsectionMemmap = PagesPerSubsection * 64; // 32 KiB
    internal const ulong VmemmapUsage = 8 + 64;     // one word of subsection map + usemap_size 64
    internal const ulong RootBytes = 256 * 16;      // SECTIONS_PER_ROOT mem_section structs of 16 bytes

    // Boot memory: a low range with the usual holes (sections 0..3), and 4 MiB on node 1 at 4 GiB
    // (subsections 0 and 1 of section 32).
    internal static readonly MemoryMap BootMap = MemoryMap.FromRanges(
        new MemoryRange(0x1000, 0x9_fc00),
        new MemoryRange(0x10_0000, 0x2000_0000),
        new MemoryRange(0x1_0000_0000, 0x1_0040_0000, 1));

    // ZONE_DEVICE needs SPARSEMEM_VMEMMAP (the layout refuses it otherwise, PMEM0004).
    internal static LayoutSpec Spec(bool vmemmap, bool extreme, bool device = true) =>
        Specs.X86_64(vmemmap, extreme, nodesShift: 6) with
        {
            Zones = device && vmemmap ? Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable | Zones.Device : Zones.Dma | Zones.Dma32 | Zones.Normal | Zones.Movable,
        };

    internal static SparseMemory Create(bool vmemmap, bool extreme, bool device = true) =>
        new(MemoryLayout.Create(Spec(vmemmap, extreme, device)), BootMap);

    internal static ulong Pfn(ulong section, ulong subsection = 0) => section * PagesPerSection + subsection * PagesPerSubsection;

    // Starts 'count' reader threads running body(seed); an exception a reader throws becomes a failure.
    internal static System.Threading.Thread[] StartReaders(int count, Action<int> body, System.Collections.Concurrent.ConcurrentQueue<string> failures)
    {
        var readers = new System.Threading.Thread[count];
        for (int i = 0; i < count; i++)
        {
            int seed = i;
            readers[i] = new System.Threading.Thread(() =>
            {
                try
                {
                    body(seed);
                }
                catch (Exception e)
                {
                    failures.Enqueue("reader " + seed + ": " + e);
                }
            });
            readers[i].Start();
        }

        return readers;
    }

    // Every section with a non-zero word or a usage block: its word, usage pointer, subsection map
    // and pageblock words; the present list and the highest present section; and the accounting.
    internal static State Capture(SparseMemory mem)
    {
        var layout = mem.Layout;
        int mapWords = layout.HostSubsectionMapWords;
        int usemapWords = (int)(layout.UsemapSize / 8);
        var sb = new StringBuilder();
        for (ulong nr = 0; nr < layout.NrMemSections; nr++)
        {
            if (layout.IsExtreme && mem.Roots[nr / layout.SectionsPerRoot] == null)
            {
                nr += layout.SectionsPerRoot - 1;
                continue;
            }

            MemSection* ms = mem.NrToSection(nr);
            if (ms->SectionMemMap == 0 && ms->Usage == null)
            {
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"{nr}: word {(ulong)ms->SectionMemMap:x} usage {(ulong)ms->Usage:x}");
            if (ms->Usage != null)
            {
                sb.Append(" map");
                for (int i = 0; i < mapWords + usemapWords; i++)
                {
                    sb.Append(i == mapWords ? " pageblocks " : " ").Append(ms->Usage[i].ToString("x", CultureInfo.InvariantCulture));
                }
            }

            sb.Append('\n');
        }

        sb.Append("present ").AppendJoin(',', mem.PresentSections).Append('\n');
        sb.Append("highest ").Append(mem.HighestPresentSectionNr).Append('\n');
        return new State(sb.ToString(), mem.GetAccounting());
    }

    // The permissions /proc/self/maps gives the mapping holding 'address' ("rw-p", "---p"), or null
    // when the file cannot be read (not Linux) or no mapping holds it.
    internal static string? Protection(void* address)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        ulong a = (ulong)address;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            ulong start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (a >= start && a < end)
            {
                return line.Substring(space + 1, 4);
            }
        }

        return null;
    }

    // Elsewhere than Linux there is no /proc/self/maps to ask, and these hold trivially.
    internal static bool IsAccessible(void* address) => !OperatingSystem.IsLinux() || Protection(address) == "rw-p";

    internal static bool IsNoAccess(void* address) => !OperatingSystem.IsLinux() || Protection(address) == "---p";

    internal sealed record State(string Tables, MemoryAccounting Accounting);
}
