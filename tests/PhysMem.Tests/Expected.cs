using System.Collections.Generic;
using System.Linq;

namespace PhysMem.Tests;

// Expectations computed straight from the kernel's rules, without the code under test: which
// sections a map makes present, which subsections it fills, which zone and node a page gets.
internal static class Expected
{
    internal const int PageShift = 12;
    internal const int PfnSectionShift = 15; // 128 MiB sections of 4 KiB pages
    internal const ulong PagesPerSection = 1UL << PfnSectionShift;
    internal const ulong PagesPerSubsection = 512; // 2 MiB

    // Whole pages of each range: start rounded up, end rounded down; clamped to maxPfn.
    internal static List<(ulong Start, ulong End, int Node)> Runs(MemoryMap map, ulong maxPfn)
    {
        var runs = new List<(ulong, ulong, int)>();
        foreach (var r in map.Ranges)
        {
            ulong start = (r.Start + 4095) / 4096;
            ulong end = r.End / 4096;
            if (end > maxPfn)
            {
                end = maxPfn;
            }

            if (start < end)
            {
                runs.Add((start, end, r.Node));
            }
        }

        return runs;
    }

    internal static SortedSet<ulong> PresentSections(MemoryMap map, ulong maxPfn)
    {
        var set = new SortedSet<ulong>();
        foreach (var (start, end, _) in Runs(map, maxPfn))
        {
            for (ulong nr = start / PagesPerSection; nr <= (end - 1) / PagesPerSection; nr++)
            {
                set.Add(nr);
            }
        }

        return set;
    }

    // Bit i is set when some run overlaps subsection i of the section.
    internal static ulong SubsectionBits(MemoryMap map, ulong maxPfn, ulong section)
    {
        ulong bits = 0;
        ulong sectionStart = section * PagesPerSection;
        for (int i = 0; i < 64; i++)
        {
            ulong a = sectionStart + (ulong)i * PagesPerSubsection;
            ulong b = a + PagesPerSubsection;
            if (Runs(map, maxPfn).Any(r => r.Start < b && a < r.End))
            {
                bits |= 1UL << i;
            }
        }

        return bits;
    }

    // The x86 zone of a pfn when the zones are DMA, DMA32, Normal, Movable (indices 0..3).
    internal static int X86_64Zone(ulong pfn) => pfn < (16UL << 20) / 4096 ? 0 : pfn < (4UL << 30) / 4096 ? 1 : 2;

    // The node of a page: its run's node, else (a hole in a present section) the node of the last
    // run that touches the section.
    internal static int Node(List<(ulong Start, ulong End, int Node)> runs, ulong pfn)
    {
        foreach (var r in runs)
        {
            if (pfn >= r.Start && pfn < r.End)
            {
                return r.Node;
            }
        }

        ulong section = pfn / PagesPerSection;
        int node = 0;
        foreach (var r in runs)
        {
            if (r.Start / PagesPerSection <= section && section <= (r.End - 1) / PagesPerSection)
            {
                node = r.Node;
            }
        }

        return node;
    }
}
