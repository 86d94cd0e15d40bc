using System.Linq;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// The reference's worked examples, run through the command line: A (x86-64 section tables),
/// B (SSB 30, MPB 48), C (x86-64 page->flags with NUMA balancing and LRU_GEN) and D (32-bit PAE,
/// classic SPARSEMEM). Expected values are the reference's tables, not the program's output.
/// </summary>
public sealed class WorkedExampleTests
{
    private static readonly string[] ExampleC =
        { "layout", "--arch", "X86_64", "--nodes-shift", "10", "--nr-cpus", "256", "--numa-balancing", "--lru-gen", "--nr-pageflags", "25" };

    [Fact]
    public void Example_A_four_level_section_constants()
    {
        Cli.Ok("layout", "--arch", "X86_64", "--defines")
            .HasDefine("PFN_SECTION_SHIFT", 15)
            .HasDefine("PAGES_PER_SECTION", 32768)
            .HasDefine("SECTIONS_SHIFT", 19)
            .HasDefine("NR_MEM_SECTIONS", 524288)
            .HasDefine("SECTIONS_PER_ROOT", 256)
            .HasDefine("SECTION_ROOT_MASK", 255)
            .HasDefine("NR_SECTION_ROOTS", 2048)
            .HasDefine("PFN_SUBSECTION_SHIFT", 9)
            .HasDefine("PAGES_PER_SUBSECTION", 512)
            .HasDefine("SUBSECTIONS_PER_SECTION", 64)
            .HasDefine("SECTION_BLOCKFLAGS_BITS", 512);
    }

    [Fact]
    public void Example_A_five_level_and_page_extension()
    {
        Cli.Ok("layout", "--arch", "X86_64_5Level", "--defines")
            .HasDefine("SECTIONS_SHIFT", 25)
            .HasDefine("NR_MEM_SECTIONS", 33554432)
            .HasDefine("NR_SECTION_ROOTS", 131072);

        // sizeof(struct mem_section) 32 with PAGE_EXTENSION: 128 sections per root.
        Cli.Ok("layout", "--arch", "X86_64", "--page-extension", "--defines")
            .HasDefine("SECTIONS_PER_ROOT", 128)
            .HasDefine("SECTION_ROOT_MASK", 127)
            .HasDefine("NR_SECTION_ROOTS", 4096);
        Cli.Ok("layout", "--arch", "X86_64_5Level", "--page-extension", "--defines")
            .HasDefine("NR_SECTION_ROOTS", 262144);
    }

    [Theory]
    [InlineData("X86_64", "16384 bytes (16 KiB)", "8388608 bytes (8 MiB)")]
    [InlineData("X86_64_5Level", "1048576 bytes (1 MiB)", "536870912 bytes (512 MiB)")]
    public void Example_A_table_sizes_in_the_report(string arch, string rootArray, string staticTable)
    {
        var extreme = Cli.Ok("layout", "--arch", arch).OutLines;
        Assert.Contains(extreme, l => l.TrimStart().StartsWith("root-pointer array") && l.Contains(rootArray));
        Assert.Contains(extreme, l => l.TrimStart().StartsWith("memmap per section") && l.Contains("2097152 bytes (2 MiB)"));
        Assert.DoesNotContain(extreme, l => l.TrimStart().StartsWith("static table"));

        var table = Cli.Ok("layout", "--arch", arch, "--extreme", "false").OutLines;
        Assert.Contains(table, l => l.TrimStart().StartsWith("static table") && l.Contains(staticTable));
        Assert.DoesNotContain(table, l => l.TrimStart().StartsWith("root-pointer array"));
    }

    [Theory]
    [InlineData("12", 18, 262144, 256, 1024, 9, 512, "16777216 bytes (16 MiB)")]
    [InlineData("16", 14, 16384, 4096, 64, 5, 32, "1048576 bytes (1 MiB)")]
    public void Example_B_ssb_30_mpb_48(string pageShift, int pfnSectionShift, long pagesPerSection, long sectionsPerRoot, long roots, int pfnSubsectionShift, long pagesPerSubsection, string memmap)
    {
        string[] args = { "layout", "--section-size-bits", "30", "--max-physmem-bits", "48", "--page-shift", pageShift, "--vmemmap", "--extreme" };
        Cli.Ok(args.Append("--defines").ToArray())
            .HasDefine("PFN_SECTION_SHIFT", pfnSectionShift)
            .HasDefine("PAGES_PER_SECTION", pagesPerSection)
            .HasDefine("SECTIONS_SHIFT", 18)
            .HasDefine("NR_MEM_SECTIONS", 262144)
            .HasDefine("SECTIONS_PER_ROOT", sectionsPerRoot)
            .HasDefine("NR_SECTION_ROOTS", roots)
            .HasDefine("SUBSECTIONS_PER_SECTION", 512)
            .HasDefine("PFN_SUBSECTION_SHIFT", pfnSubsectionShift)
            .HasDefine("PAGES_PER_SUBSECTION", pagesPerSubsection);
        Assert.Contains(Cli.Ok(args).OutLines, l => l.TrimStart().StartsWith("memmap per section") && l.Contains(memmap));
    }

    [Fact]
    public void Example_C_five_zones_defines()
    {
        Cli.Ok(ExampleC.Append("--zone-device").Append("--defines").ToArray())
            .HasDefine("ZONES_WIDTH", 3)
            .HasDefine("NODES_WIDTH", 10)
            .HasDefine("LAST_CPUPID_WIDTH", 16)
            .HasDefine("LRU_REFS_WIDTH", 2)
            .HasDefine("SECTIONS_PGOFF", 64)
            .HasDefine("SECTIONS_PGSHIFT", 0)
            .HasDefine("NODES_PGSHIFT", 54)
            .HasDefine("ZONES_PGSHIFT", 51)
            .HasDefine("LAST_CPUPID_PGSHIFT", 35)
            .HasDefine("KASAN_TAG_PGOFF", 35)
            .HasDefine("LRU_GEN_PGOFF", 32)
            .HasDefine("LRU_GEN_MASK", 0x7_0000_0000)
            .HasDefine("LRU_REFS_PGOFF", 30)
            .HasDefine("LRU_REFS_MASK", 0xC000_0000)
            .HasDefine("ZONEID_SHIFT", 13)
            .HasDefine("ZONEID_PGSHIFT", 51)
            .HasDefine("ZONEID_MASK", 0x1FFF)
            .HasDefine("LAST_CPUPID_MASK", 0xFFFF)
            .HasDefine("NR_NON_PAGEFLAG_BITS", 34)
            .HasDefine("NR_UNUSED_PAGEFLAG_BITS", 5);
    }

    [Fact]
    public void Example_C_four_zones_defines()
    {
        Cli.Ok(ExampleC.Append("--defines").ToArray())
            .HasDefine("ZONES_WIDTH", 2)
            .HasDefine("NODES_PGSHIFT", 54)
            .HasDefine("ZONES_PGSHIFT", 52)
            .HasDefine("LAST_CPUPID_PGSHIFT", 36)
            .HasDefine("LRU_GEN_PGOFF", 33)
            .HasDefine("LRU_GEN_MASK", 0xE_0000_0000)
            .HasDefine("LRU_REFS_PGOFF", 31)
            .HasDefine("LRU_REFS_MASK", 0x1_8000_0000)
            .HasDefine("ZONEID_SHIFT", 12)
            .HasDefine("ZONEID_MASK", 0xFFF)
            .HasDefine("NR_NON_PAGEFLAG_BITS", 33)
            .HasDefine("NR_UNUSED_PAGEFLAG_BITS", 6);
    }

    [Fact]
    public void Example_C_bit_diagram()
    {
        var rows = Cli.DiagramRows(Cli.Ok(ExampleC.Append("--zone-device").ToArray()).Out);

        // 63–54 node · 53–51 zone · 50–35 last_cpupid · 34–32 lru_gen · 31–30 lru_refs · 29–25 unused · 24–0 flags
        Assert.Equal(
            new[]
            {
                (63, 54, "node", 10), (53, 51, "zone", 3), (50, 35, "last_cpupid", 16), (34, 32, "lru gen", 3),
                (31, 30, "lru refs", 2), (29, 25, "unused", 5), (24, 0, "page flags", 25),
            },
            rows);
        Assert.Contains(Cli.Ok(ExampleC.Append("--zone-device").ToArray()).OutLines, l => l.TrimStart().StartsWith("63-54  node (10)"));
    }

    [Fact]
    public void Example_C_without_lru_gen_leaves_ten_unused_bits()
    {
        var args = ExampleC.Where(a => a != "--lru-gen").Append("--zone-device").ToArray();
        var rows = Cli.DiagramRows(Cli.Ok(args).Out);
        Assert.DoesNotContain(rows, r => r.Name.StartsWith("lru"));
        Assert.Contains((34, 25, "unused", 10), rows);
    }

    [Fact]
    public void Example_D_classic_sparsemem_on_32_bit_pae()
    {
        Cli.Ok("layout", "--arch", "X86_32_Pae", "--defines")
            .HasDefine("SECTIONS_WIDTH", 7)
            .HasDefine("ZONES_WIDTH", 2)
            .HasDefine("SECTIONS_PGOFF", 25)
            .HasDefine("SECTIONS_PGSHIFT", 25)
            .HasDefine("NODES_PGOFF", 25)
            .HasDefine("NODES_PGSHIFT", 0)
            .HasDefine("ZONES_PGOFF", 23)
            .HasDefine("ZONES_PGSHIFT", 23)
            .HasDefine("ZONEID_SHIFT", 2)
            .HasDefine("ZONEID_PGOFF", 23)
            .HasDefine("NR_UNUSED_PAGEFLAG_BITS", 1);

        var rows = Cli.DiagramRows(Cli.Ok("layout", "--arch", "X86_32_Pae").Out);
        Assert.Equal(new[] { (31, 25, "section", 7), (24, 23, "zone", 2), (22, 22, "unused", 1), (21, 0, "page flags", 22) }, rows);
    }

    [Fact]
    public void Lru_gen_is_refused_on_32_bit_classic_sparsemem()
    {
        // LRU_GEN depends on 64BIT || !SPARSEMEM || SPARSEMEM_VMEMMAP (reference section 5).
        var result = Cli.Run("layout", "--arch", "X86_32_Pae", "--lru-gen");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error PMEM0004: LruGen needs", result.ErrLines[0]);
    }
}
