using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace PhysMem.Hostile.Tests;

/// <summary>
/// One hostile input file and what PhysMem must make of it.
/// </summary>
/// <param name="Name">The file name, unique among the cases (also the model's name, without the extension).</param>
/// <param name="Bytes">The file as it lies on disk.</param>
/// <param name="Id">The diagnostic it must raise, located in the file; null for a file that is used as it is.</param>
/// <param name="Refused">Whether the file cannot be used (<see cref="Id"/> is then an error and nothing is generated).</param>
/// <param name="Line">The 1-based line the diagnostic must start on, or 0 for any line of the file.</param>
/// <param name="Column">The 1-based column it must start at, or 0 for any.</param>
/// <param name="Model">The attribute's other arguments for the model that names the file.</param>
public sealed record MalformedFile(string Name, byte[] Bytes, string? Id, bool Refused, int Line, int Column, string Model = "")
{
    public override string ToString() => Name + " -> " + (Id ?? "used");
}

/// <summary>
/// The hostile .config and memory-map files, built from a valid file by one mutation each: every
/// kind of malformed value for every int symbol the .config reader knows, values outside each
/// symbol's Kconfig range, two options of one choice, and damaged files (NUL, binary, empty,
/// UTF-16, huge lines, other line ends); for memory maps every malformed line, NUMA item, overlap,
/// hole and limit, each with LF, CRLF and CR line ends.
/// </summary>
public static class MalformedFiles
{
    /// <summary>A valid x86-64 configuration; a mutation appends line 10, which Kconfig reads last (the last assignment wins).</summary>
    public const string X86 = "# Linux/x86 6.12.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SMP=y\nCONFIG_NUMA=y\nCONFIG_NR_CPUS=64\nCONFIG_NODES_SHIFT=6\n";

    private const string Arm64 = "# Linux/arm64 6.12.0 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SMP=y\nCONFIG_NR_CPUS=256\nCONFIG_ARM64_4K_PAGES=y\nCONFIG_ARM64_PA_BITS=48\n";

    private const string S390 = "# Linux/s390 6.12.0 Kernel Configuration\nCONFIG_S390=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SMP=y\nCONFIG_NR_CPUS=64\nCONFIG_MAX_PHYSMEM_BITS=46\nCONFIG_NUMA=n\n";

    private const string Ppc64 = "# Linux/powerpc 6.12.0 Kernel Configuration\nCONFIG_PPC64=y\nCONFIG_64BIT=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SPARSEMEM_EXTREME=y\nCONFIG_SMP=y\nCONFIG_NR_CPUS=64\nCONFIG_PPC_64K_PAGES=y\n";

    private const string LoongArch = "# Linux/loongarch 6.12.0 Kernel Configuration\nCONFIG_LOONGARCH=y\nCONFIG_64BIT=y\nCONFIG_MMU=y\nCONFIG_SPARSEMEM=y\nCONFIG_SPARSEMEM_VMEMMAP=y\nCONFIG_SMP=y\nCONFIG_NR_CPUS=64\nCONFIG_PAGE_SIZE_16KB=y\n";

    /// <summary>Values that are not an int in Kconfig's syntax (an optional '-', ASCII digits, no leading zero).</summary>
    private static readonly string[] NotInts =
    {
        string.Empty, "-", "+8", "08", "0x8", "\"8\"", "'8'", "\uFF18", "\u0668", "8\0", "\08", "8 8", "1e3", "8.0", "eight", "y",
    };

    /// <summary>The int symbols the reader knows, each with the configuration whose reader uses it.</summary>
    private static readonly (string Symbol, string Base)[] IntSymbols =
    {
        ("NR_CPUS", X86), ("NODES_SHIFT", X86), ("ARM64_PA_BITS", Arm64), ("MAX_PHYSMEM_BITS", S390), ("PAGE_SHIFT", Ppc64),
        ("ARCH_FORCE_MAX_ORDER", X86), ("FORCE_MAX_ZONEORDER", X86),
    };

    /// <summary>Values of the right syntax outside the symbol's Kconfig range.</summary>
    private static readonly (string Symbol, string Base, string[] Values)[] OutOfRange =
    {
        ("NR_CPUS", X86, new[] { "-1", "0", "-0", "1", "8193", "99999999999999999999999", "-99999999999999999999999" }),
        ("NODES_SHIFT", X86, new[] { "0", "11", "-1", "99999999999999999999" }),
        ("ARM64_PA_BITS", Arm64, new[] { "47", "50", "0", "64" }),
        ("MAX_PHYSMEM_BITS", S390, new[] { "41", "54", "-46" }),
        ("PAGE_SHIFT", Ppc64, new[] { "11", "19", "0" }),
    };

    /// <summary>The page size choices: both options of each pair set.</summary>
    private static readonly (string Base, string[] Choices)[] PageSizeChoices =
    {
        (Arm64, new[] { "ARM64_4K_PAGES", "ARM64_16K_PAGES", "ARM64_64K_PAGES" }),
        (Ppc64, new[] { "PPC_4K_PAGES", "PPC_16K_PAGES", "PPC_64K_PAGES", "PPC_256K_PAGES" }),
        (LoongArch, new[] { "PAGE_SIZE_4KB", "PAGE_SIZE_16KB", "PAGE_SIZE_64KB" }),
    };

    /// <summary>The hostile kernel configurations.</summary>
    public static IReadOnlyList<MalformedFile> Configs()
    {
        var cases = new List<MalformedFile>();
        void Add(string text, string? id, int line, int column, Encoding? encoding = null, bool refused = true) =>
            cases.Add(new MalformedFile("c" + cases.Count.ToString("D3", CultureInfo.InvariantCulture) + ".config", (encoding ?? Utf8).GetPreamble().Concat((encoding ?? Utf8).GetBytes(text)).ToArray(), id, refused, line, column));

        // Line 10 of each base is the mutation; its value starts after "CONFIG_SYMBOL=".
        foreach (var (symbol, baseText) in IntSymbols)
        {
            foreach (string value in NotInts)
            {
                Add(baseText + "CONFIG_" + symbol + "=" + value + "\n", "PMEM0033", 10, "CONFIG_".Length + symbol.Length + 2);
            }
        }

        foreach (var (symbol, baseText, values) in OutOfRange)
        {
            foreach (string value in values)
            {
                Add(baseText + "CONFIG_" + symbol + "=" + value + "\n", "PMEM0033", 10, "CONFIG_".Length + symbol.Length + 2);
            }
        }

        foreach (var (baseText, choices) in PageSizeChoices)
        {
            string without = string.Join("\n", baseText.Split('\n').Where(l => !choices.Any(c => l == "CONFIG_" + c + "=y"))) + "\n";
            for (int a = 0; a < choices.Length; a++)
            {
                for (int b = a + 1; b < choices.Length; b++)
                {
                    // The choices go last, on lines 9 and 10 (every base without its page size has 8 lines): the later one is blamed.
                    Add(without.TrimEnd('\n') + "\nCONFIG_" + choices[a] + "=y\nCONFIG_" + choices[b] + "=y\n", "PMEM0114", 10, "CONFIG_".Length + choices[b].Length + 2);
                }
            }
        }

        // Bool symbols whose value's first letter is neither y nor n (Kconfig reads only that letter).
        foreach (string symbol in new[] { "X86_64", "SPARSEMEM_VMEMMAP", "SMP", "NUMA", "LRU_GEN" })
        {
            foreach (string value in new[] { string.Empty, "1", "Y", "m", "true", "\"y\"", "\0y" })
            {
                Add(X86 + "CONFIG_" + symbol + "=" + value + "\n", "PMEM0033", 10, "CONFIG_".Length + symbol.Length + 2);
            }
        }

        // What Kconfig reads as y and n all the same.
        Add(X86 + "CONFIG_SMP=yes\n", null, 0, 0, refused: false);
        Add(X86 + "CONFIG_LRU_GEN=nope\n", null, 0, 0, refused: false);

        // PAGE_SHIFT that the page size choice does not give.
        Add(Arm64 + "CONFIG_PAGE_SHIFT=16\n", "PMEM0114", 10, 19);
        Add(Ppc64 + "CONFIG_PAGE_SHIFT=12\n", "PMEM0114", 10, 19);

        // The same malformed value with every line end: the line and column stay.
        foreach (string end in new[] { "\r\n", "\r", "\u2028" })
        {
            Add((X86 + "CONFIG_NR_CPUS=\"8\"\n").Replace("\n", end, StringComparison.Ordinal), "PMEM0033", 10, 16);
            Add((X86 + "CONFIG_NODES_SHIFT=\n").Replace("\n", end, StringComparison.Ordinal), "PMEM0033", 10, 20);
        }

        // Other encodings, read by their byte order mark.
        Add(X86 + "CONFIG_NR_CPUS=0\n", "PMEM0033", 10, 16, new UnicodeEncoding(false, true));
        Add(X86 + "CONFIG_NR_CPUS=0\n", "PMEM0033", 10, 16, new UnicodeEncoding(true, true));
        Add(X86 + "CONFIG_NR_CPUS=0\n", "PMEM0033", 10, 16, new UTF8Encoding(true));
        Add(X86, null, 0, 0, new UnicodeEncoding(false, true), refused: false);

        // Files that are no configuration at all.
        Add(string.Empty, "PMEM0013", 1, 1);
        Add("\n\n   \n\t\n", "PMEM0013", 1, 1);
        Add("\0\0\0\0CONFIG_X86_64=y\n", "PMEM0013", 1, 1);
        Add("\u001f\u008b\b\0\0\0\0\0\u0002\u0003garbage", "PMEM0013", 1, 1);
        Add(X86 + "hello\0world\n", "PMEM0013", 10, 1);
        Add(X86 + new string('x', 1 << 20) + "\n", "PMEM0013", 10, 1);
        Add(X86 + "CONFIG_=y\n", "PMEM0013", 10, 1);
        Add(X86 + "=y\n", "PMEM0013", 10, 1);
        Add(X86 + "CONFIG_NR CPUS=8\n", "PMEM0013", 10, 1);
        Add(X86 + "CONFIG_NR_CPUS=1\u20282\n", "PMEM0013", 11, 1);
        Add(X86 + new string('#', (16 << 20) + 1), "PMEM0012", 1, 1);

        // A version that is not one: a note at the version, and the file is used.
        Add(X86.Replace("6.12.0", "x.y.z", StringComparison.Ordinal), "PMEM0015", 1, 13, refused: false);
        Add(X86.Replace("6.12.0", "99999999999999999999.1", StringComparison.Ordinal), "PMEM0015", 1, 13, refused: false);
        return cases;
    }

    /// <summary>A valid memory map: nodes on line 1, System RAM on lines 3, 5 and 7.</summary>
    private static readonly string[] Map =
    {
        "# numa: 0:0x0-0x7fffffff,1:0x80000000-0x17fffffff",
        "00000000-00000fff : Reserved",
        "00001000-0009fbff : System RAM",
        "000a0000-000fffff : Reserved",
        "00100000-7fffffff : System RAM",
        "  01000000-01ffffff : Kernel code",
        "100000000-17fffffff : System RAM",
    };

    /// <summary>The hostile memory maps: each mutation with LF, CRLF and CR line ends, then damaged files.</summary>
    public static IReadOnlyList<MalformedFile> Maps()
    {
        // (line to replace (1-based; 8 appends), its new text, the ID, the line it must be on (0: any), the column (0: any))
        var mutations = new List<(int At, string Text, string Id, int Line, int Column, string Model)>
        {
            (3, "00001000 0009fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "00001000-0009fbff System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "zz001000-0009fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "00001000-0009fbzz : System RAM", "PMEM0019", 3, 10, string.Empty),
            (3, "00001000- : System RAM", "PMEM0019", 3, 10, string.Empty),
            (3, "-0009fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "0009fbff-00001000 : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "10000000000000000-10000000000000fff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "0x1000-0x9fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "\uFF11000-9fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "00001000-0009fbff\0: System RAM", "PMEM0019", 3, 10, string.Empty),
            (3, "\000001000-0009fbff : System RAM", "PMEM0019", 3, 1, string.Empty),
            (3, "garbage", "PMEM0019", 3, 1, string.Empty),
            (3, "-", "PMEM0019", 3, 1, string.Empty),
            (3, ":", "PMEM0019", 3, 1, string.Empty),
            (7, "0-ffffffffffffffff : System RAM", "PMEM0019", 7, 1, string.Empty),
            (8, "# numa: 0:0x0-0xfff", "PMEM0019", 8, 1, string.Empty),
            (1, "# numa: 0-0x7fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: x:0x0-0x7fffffff,1:0x80000000-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0x0,1:0x80000000-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0x7fffffff-0x0,1:0x80000000-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0x0-0xffffffffffffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa:", "PMEM0019", 1, 0, string.Empty),
            (1, "# numa: ,,,", "PMEM0019", 1, 0, string.Empty),
            (1, "# numa: -1:0x0-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 99999999999:0x0-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0xzz-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0x0-0x7fffffff;1:0x80000000-0x17fffffff", "PMEM0019", 1, 9, string.Empty),
            (1, "# numa: 0:0x0-0x8fffffff,1:0x80000000-0x17fffffff", "PMEM0022", 1, 26, string.Empty),
            (1, "# numa: 0:0x0-0x7fffffff", "PMEM0026", 7, 1, string.Empty),
            (1, "# numa: 0:0x1000000-0x7fffffff,1:0x80000000-0x17fffffff", "PMEM0026", 3, 1, string.Empty),
            (7, "00100000-00200000 : System RAM", "PMEM0022", 7, 1, string.Empty),
            (3, "00000000-00000000 : System RAM", "PMEM0027", 3, 1, string.Empty),
            (1, "# numa: 0:0x0-0x7fffffff,4:0x80000000-0x17fffffff", "PMEM0024", 1, 26, string.Empty),
            (1, "# numa: 0:0x0-0x7fffffff,2147483647:0x80000000-0x17fffffff", "PMEM0024", 1, 26, string.Empty),
            (1, "# numa: 0:0x0-0x7fffffff,1:0x100000000-0x13fffffff,0:0x140000000-0x17fffffff", "PMEM0028", 0, 0, "Model.Discontig, NodesShift = 2"),
            (7, "400000000000-400000000fff : System RAM", "PMEM0023", 7, 1, "Model.Sparse, NodesShift = 0"),
        };

        var cases = new List<MalformedFile>();
        void Add(string text, string? id, bool refused, int line, int column, string model = "", Encoding? encoding = null) =>
            cases.Add(new MalformedFile("m" + cases.Count.ToString("D3", CultureInfo.InvariantCulture) + ".iomem", (encoding ?? Utf8).GetPreamble().Concat((encoding ?? Utf8).GetBytes(text)).ToArray(), id, refused, line, column, model));

        foreach (string end in new[] { "\n", "\r\n", "\r" })
        {
            foreach (var (at, text, id, line, column, model) in mutations)
            {
                var lines = Map.ToList();
                if (at > lines.Count)
                {
                    lines.Add(text);
                }
                else
                {
                    lines[at - 1] = text;
                }

                // The range beyond MAX_PHYSMEM_BITS has no node: drop the NUMA line for it (a comment keeps the lines where they were).
                if (id == "PMEM0023")
                {
                    lines[0] = "# one node";
                }

                Add(string.Join(end, lines) + end, id, true, line, column, model);
            }
        }

        // Damaged files.
        Add(string.Join("\n", Map) + "\n", null, false, 0, 0, encoding: new UnicodeEncoding(false, true));
        Add(string.Join("\n", Map).Replace("00001000-0009fbff", "00001000-0009fbzz", StringComparison.Ordinal) + "\n", "PMEM0019", true, 3, 10, encoding: new UnicodeEncoding(true, true));
        Add("\0\0\0\0", "PMEM0019", true, 1, 1);
        Add("\u001f\u008b\b\0\0\0\0\0\u0002\u0003garbage", "PMEM0019", true, 1, 1);
        Add(new string('f', 1 << 20), "PMEM0019", true, 1, 1);
        Add(new string('#', (16 << 20) + 1), "PMEM0019", true, 1, 1);
        Add(string.Empty, "PMEM0115", false, 0, 0);
        Add("00000000-00000fff : Reserved\n", "PMEM0115", false, 0, 0);
        Add("# one node\n00001000-00001ffe : System RAM\n00100000-7fffffff : System RAM\n", "PMEM0116", false, 2, 1);
        return cases;
    }

    private static readonly UTF8Encoding Utf8 = new(false);
}
