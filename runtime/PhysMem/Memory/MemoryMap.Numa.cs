using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PhysMem;

// Giving a map's memory to NUMA nodes: from a spec string, or from the kernel's own sysfs view.
public sealed partial class MemoryMap
{
    /// <summary>
    /// The same memory with nodes assigned from a spec such as <c>0:0x0-0xbfffffff,1:0xc0000000-0x23fffffff</c>:
    /// <c>node:start-end</c> items separated by commas or line breaks, hexadecimal (0x) or
    /// decimal addresses, end inclusive. The kernel's own lines under <c>Early memory node ranges</c>
    /// (<c>node   0: [mem 0x0000000000001000-0x000000000009efff]</c>, with or without the log's
    /// timestamp) are items too, so a boot log can be pasted as it is. Ranges are split where a node's
    /// part ends. As in the kernel, memory in a page that a range covers only in part (iomem's
    /// <c>00001000-0009fbff</c> ends 0xc00 bytes into a 4 KiB page) belongs to no node and is dropped.
    /// </summary>
    /// <param name="spec">The node assignment.</param>
    /// <returns>A new map; this one is unchanged.</returns>
    /// <exception cref="FormatException">An item is malformed; the message names it.</exception>
    /// <exception cref="ArgumentException">Node parts overlap, or some memory lies in no node's part.</exception>
    public MemoryMap WithNodes(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = new List<MemoryMapText.Range>();
        if (MemoryMapText.ParseNumaSpec(spec, 0, 1, spec, parts) is { } bad)
        {
            throw new FormatException(bad.Detail);
        }

        return WithNodes(parts);
    }

    /// <summary>The same memory with nodes assigned by physical address parts (each part's node applies to the memory inside it).</summary>
    /// <param name="nodeParts">Address ranges with their node; they must not overlap.</param>
    /// <returns>A new map; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">Parts overlap, or some memory lies in no part.</exception>
    public MemoryMap WithNodes(IReadOnlyList<MemoryRange> nodeParts)
    {
        ArgumentNullException.ThrowIfNull(nodeParts);
        var parts = new List<MemoryMapText.Range>(nodeParts.Count);
        foreach (var p in nodeParts)
        {
            if (p.Start >= p.End)
            {
                throw new ArgumentException("The node part " + p + " is empty; a part needs Start < End.", nameof(nodeParts));
            }

            parts.Add(new MemoryMapText.Range(p.Start, p.End, p.Node, 0, 0, 0));
        }

        return WithNodes(parts);
    }

    private MemoryMap WithNodes(List<MemoryMapText.Range> parts)
    {
        var ranges = new List<MemoryMapText.Range>(_ranges.Length);
        foreach (var r in _ranges)
        {
            ranges.Add(new MemoryMapText.Range(r.Start, r.End, r.Node, 0, 0, 0));
        }

        var assigned = new List<MemoryMapText.Range>();
        if (MemoryMapText.AssignNodes(ranges, parts, assigned) is { } bad)
        {
            throw new ArgumentException(bad.Detail, "nodeParts");
        }

        return FromText(assigned);
    }

    /// <summary>
    /// The same memory with nodes as the running kernel assigns them: each memory block
    /// <c>memoryN</c> under <paramref name="memoryDirectory"/> links to its <c>nodeK</c>; blocks are
    /// <c>block_size_bytes</c> (hexadecimal) long. A captured copy may list the blocks in a
    /// <c>memory_blocks</c> file of "N node" lines instead of the <c>memoryN</c> directories.
    /// </summary>
    /// <param name="memoryDirectory">The sysfs memory directory, normally <c>/sys/devices/system/memory</c>.</param>
    /// <returns>A new map.</returns>
    /// <exception cref="IOException">The directory or its block size cannot be read.</exception>
    /// <exception cref="ArgumentException">Some memory lies in no block that names a node.</exception>
    public MemoryMap WithNodesFromSysfs(string memoryDirectory = "/sys/devices/system/memory")
    {
        var blocks = MemoryBlocksFromSysfs(memoryDirectory, out ulong blockSize);
        var parts = new List<MemoryRange>();
        foreach (var b in blocks)
        {
            int last = parts.Count - 1;
            ulong start = b.Index * blockSize;
            if (last >= 0 && parts[last].End == start && parts[last].Node == b.Node)
            {
                parts[last] = new MemoryRange(parts[last].Start, start + blockSize, b.Node);
            }
            else
            {
                parts.Add(new MemoryRange(start, start + blockSize, b.Node));
            }
        }

        return WithNodes(parts);
    }

    /// <summary>
    /// Reads the memory blocks sysfs lists: <c>memoryN</c> directories and the <c>nodeK</c> link inside
    /// each; or, in a captured copy without those directories, a <c>memory_blocks</c> file of "N node"
    /// lines (one per block, as tests/PhysMem.Tests/Fixtures/capture-machine.sh writes them).
    /// </summary>
    /// <param name="memoryDirectory">The sysfs memory directory.</param>
    /// <param name="blockSize">The block size in bytes.</param>
    /// <returns>The blocks, by index.</returns>
    /// <exception cref="IOException">The directory or its block size cannot be read.</exception>
    internal static IReadOnlyList<MemoryBlock> MemoryBlocksFromSysfs(string memoryDirectory, out ulong blockSize)
    {
        string sizeFile = Path.Combine(memoryDirectory, "block_size_bytes");
        if (!File.Exists(sizeFile))
        {
            throw new IOException($"{sizeFile} does not exist: no memory blocks to read.");
        }

        blockSize = ulong.Parse(File.ReadAllText(sizeFile).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var blocks = new List<MemoryBlock>();
        foreach (string dir in Directory.GetDirectories(memoryDirectory, "memory*"))
        {
            if (!ulong.TryParse(Path.GetFileName(dir).AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out ulong index))
            {
                continue;
            }

            int node = 0;
            foreach (string entry in Directory.GetFileSystemEntries(dir, "node*"))
            {
                if (int.TryParse(Path.GetFileName(entry).AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    node = n;
                }
            }

            blocks.Add(new MemoryBlock(index, node));
        }

        string listFile = Path.Combine(memoryDirectory, "memory_blocks");
        if (blocks.Count == 0 && File.Exists(listFile))
        {
            ReadBlockList(listFile, blocks);
        }

        blocks.Sort((a, b) => a.Index.CompareTo(b.Index));
        return blocks;
    }

    // A captured copy keeps the links as "N node" lines, since the links themselves do not survive copying.
    private static void ReadBlockList(string listFile, List<MemoryBlock> blocks)
    {
        int lineNumber = 0;
        foreach (string line in File.ReadAllLines(listFile))
        {
            lineNumber++;
            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words.Length != 2
                || !ulong.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong index)
                || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int node))
            {
                throw new IOException($"{listFile} line {lineNumber}: expected \"BLOCK NODE\" (two decimal numbers), not \"{line.Trim()}\".");
            }

            blocks.Add(new MemoryBlock(index, node));
        }
    }
}
