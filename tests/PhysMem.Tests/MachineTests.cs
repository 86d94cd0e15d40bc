using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Tests;

// The running machine, when it can be read: Linux publishes one memory block per present section
// in sysfs when the block size equals the section size (128 MiB on x86-64), so the sections that
// /proc/iomem makes present must be exactly the memoryN directories.
public class MachineTests
{
    private const string MemoryBlocks = "/sys/devices/system/memory";

    private readonly ITestOutputHelper _output;

    public MachineTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void IomemSections_AreTheSysfsMemoryBlocks()
    {
        if (!MemoryMap.TryReadMachine(out var map, out string? why))
        {
            _output.WriteLine("Skipped: " + why);
            return;
        }

        string blockSizeFile = Path.Combine(MemoryBlocks, "block_size_bytes");
        if (!File.Exists(blockSizeFile))
        {
            _output.WriteLine("Skipped: no " + blockSizeFile + ".");
            return;
        }

        ulong blockSize = ulong.Parse(File.ReadAllText(blockSizeFile).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (blockSize != 1UL << 27 || map!.EndAddress > 1UL << 46)
        {
            _output.WriteLine("Skipped: the memory block size is 0x" + blockSize.ToString("x", CultureInfo.InvariantCulture) + ", not one 128 MiB section, or memory reaches above 2^46.");
            return;
        }

        var blocks = Directory.GetDirectories(MemoryBlocks, "memory*")
            .Select(Path.GetFileName)
            .Select(name => name!.Substring("memory".Length))
            .Where(n => n.Length > 0 && n.All(char.IsAsciiDigit))
            .Select(n => ulong.Parse(n, CultureInfo.InvariantCulture))
            .OrderBy(n => n)
            .ToArray();

        using var mem = new SparseMemory(MemoryLayout.Create(Specs.X86_64(vmemmap: true, extreme: true)), map);

        _output.WriteLine("iomem: " + map.Count + " System RAM ranges, " + mem.PresentSections.Count + " present sections; sysfs: " + blocks.Length + " memory blocks.");
        Assert.Equal(blocks.Length, mem.PresentSections.Count);
        Assert.Equal(blocks, mem.PresentSections);
        Assert.Equal(Expected.PresentSections(map, 1UL << 34), mem.PresentSections);
        Assert.Equal((ulong)blocks.Length * 32768 * 64, mem.CommittedMemmapBytes);
    }
}
