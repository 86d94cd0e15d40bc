using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using static PhysMem.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The diagnostics of a <c>VMCOREINFO</c> note: ID, exact message, and where: on the attribute
/// argument, or on the line of the note (real notes, with one line changed where a test needs it).
/// </summary>
public class VmcoreInfoDiagnosticTests
{
    private const string Path = "/p/dump/vmcoreinfo.txt";

    private const string Attribute = "MemoryModel(VmcoreInfo = \"vmcoreinfo.txt\")";

    /// <summary>The 6.1 4-level boot's note (tests/PhysMem.Tests/Fixtures/vmcore/6.1-4level/vmcoreinfo.txt).</summary>
    private static string Note => VmcoreInfoGeneratorTests.Fixture("6.1-4level", "vmcoreinfo.txt");

    /// <summary>The note with the line <paramref name="line"/> (written as in the note) replaced by <paramref name="markup"/>.</summary>
    private static string NoteWith(string line, string markup)
    {
        Assert.Contains(line + "\n", Note, StringComparison.Ordinal);
        return Note.Replace(line + "\n", markup + "\n", StringComparison.Ordinal);
    }

    private static Task<GeneratorRun> Expect(string attribute, string? note, string message, IReadOnlyDictionary<string, string>? properties = null) =>
        DiagnosticAssert.Expect("[" + attribute + "] public partial class M { }", message,
            files: note is null ? null : new[] { (Path, note) }, properties: properties);

    [Fact]
    public Task PMEM0038_Note_not_in_AdditionalFiles() => Expect(
        "MemoryModel({|PMEM0038:VmcoreInfo = \"vmcoreinfo.txt\"|})", null,
        "The VMCOREINFO note 'vmcoreinfo.txt' named by VmcoreInfo is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"vmcoreinfo.txt\" /> to the project file");

    [Fact]
    public Task PMEM0038_Note_named_by_MSBuild_not_in_AdditionalFiles() => Expect(
        "{|PMEM0038:MemoryModel|}", null,
        "The VMCOREINFO note 'dumps/vmcoreinfo-6.1.txt' named by the MSBuild property PhysMem_VmcoreInfo is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"dumps/vmcoreinfo-6.1.txt\" /> to the project file",
        new Dictionary<string, string> { ["PhysMem_VmcoreInfo"] = "dumps/vmcoreinfo-6.1.txt" });

    [Fact]
    public void PMEM0039_Note_unreadable()
    {
        var run = KconfigHarness.Run("using PhysMem;\nnamespace N;\n[" + Attribute + "] public partial class M { }", new[] { new InMemoryAdditionalText(Path, null) });
        InSource(Single(run, "PMEM0039", "The VMCOREINFO note '/p/dump/vmcoreinfo.txt' cannot be read: the compiler returned no text for it (does it exist, and is it readable?)"),
            "VmcoreInfo = \"vmcoreinfo.txt\"");
    }

    [Fact]
    public Task PMEM0040_A_line_that_is_not_KEY_value() => Expect(
        Attribute, "OSRELEASE=6.1.0-57-amd64\n{|PMEM0040:hello world|}\nPAGESIZE=4096\n",
        "vmcoreinfo.txt:2: 'hello world' is not a KEY=value line of a VMCOREINFO note");

    [Fact]
    public Task PMEM0040_A_config_named_as_a_note_is_one_error_on_its_first_comment() => Expect(
        Attribute, "{|PMEM0040:#|}\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.192 Kernel Configuration\n#\nCONFIG_X86_64=y\n",
        "vmcoreinfo.txt:1: '#' is not a KEY=value line of a VMCOREINFO note (nor are 3 more lines)");

    [Fact]
    public Task PMEM0040_A_number_not_in_the_kernels_base_is_refused_on_its_line() => Expect(
        Attribute, NoteWith("NUMBER(SECTION_SIZE_BITS)=27", "{|PMEM0040:NUMBER(SECTION_SIZE_BITS)=0x1b|}"),
        "vmcoreinfo.txt:14: NUMBER(SECTION_SIZE_BITS)=0x1b is not a number in the base the kernel writes it (signed decimal); it is needed for the section size (the note is not of a SPARSEMEM kernel?)");

    [Fact]
    public Task PMEM0040_A_page_size_that_is_not_a_power_of_two() => Expect(
        Attribute, NoteWith("PAGESIZE=4096", "{|PMEM0040:PAGESIZE=5000|}"),
        "vmcoreinfo.txt:3: PAGESIZE=5000 is not a power of two from 1 KiB to 256 KiB");

    [Fact]
    public Task PMEM0041_A_key_the_model_needs_is_missing() => Expect(
        Attribute, "{|PMEM0041:|}" + NoteWith("LENGTH(mem_section)=4096", "LENGTH(node_data)=1024"),
        "vmcoreinfo.txt: LENGTH(mem_section) is missing; it is needed for the number of section roots");

    // 2^(46 - 27) = 524288 sections; EXTREME roots of 4096 / 32 = 128 sections make 4096 roots; 1000 is neither.
    [Fact]
    public Task PMEM0042_Roots_that_fit_neither_table() => Expect(
        Attribute, NoteWith("LENGTH(mem_section)=4096", "{|PMEM0042:LENGTH(mem_section)=1000|}"),
        "vmcoreinfo.txt:11: LENGTH(mem_section)=1000 fits neither a static table of 2^(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS) = 524288 sections nor SPARSEMEM_EXTREME roots of PAGESIZE / SIZE(mem_section) = 4096 / 32 sections each");

    [Fact]
    public Task PMEM0042_A_physical_address_width_below_the_section_size() => Expect(
        Attribute, NoteWith("NUMBER(MAX_PHYSMEM_BITS)=46", "{|PMEM0042:NUMBER(MAX_PHYSMEM_BITS)=20|}"),
        "vmcoreinfo.txt:15: NUMBER(SECTION_SIZE_BITS)=27 and NUMBER(MAX_PHYSMEM_BITS)=20 do not make a section table (PAGE_SHIFT 12 < SECTION_SIZE_BITS <= MAX_PHYSMEM_BITS <= 64 is needed)");

    [Fact]
    public Task PMEM0007_An_attribute_value_that_contradicts_the_note() => Expect(
        "MemoryModel(VmcoreInfo = \"vmcoreinfo.txt\", {|PMEM0007:MaxPhysmemBits = 52|})", Note,
        "MaxPhysmemBits = 52 (attribute) and MaxPhysmemBits = 46 (vmcoreinfo vmcoreinfo.txt:15 (NUMBER(MAX_PHYSMEM_BITS)=46)) contradict each other: the VMCOREINFO note is what the kernel booted with; drop MaxPhysmemBits, or name the note of the kernel you mean");

    [Fact]
    public Task PMEM0007_A_model_the_note_says_is_not_the_kernels() => Expect(
        "MemoryModel({|PMEM0007:Model.Flat|}, VmcoreInfo = \"vmcoreinfo.txt\")", Note,
        "Model = Flat (attribute) and Model = Sparse (vmcoreinfo vmcoreinfo.txt:14 (NUMBER(SECTION_SIZE_BITS)=27)) contradict each other: the VMCOREINFO note is what the kernel booted with; drop Model, or name the note of the kernel you mean");

    [Fact]
    public Task PMEM0007_An_MSBuild_value_that_contradicts_the_note_is_put_on_the_note_argument() => Expect(
        "MemoryModel({|PMEM0007:VmcoreInfo = \"vmcoreinfo.txt\"|})", Note,
        "Extreme = false (msbuild PhysMem_Extreme) and Extreme = true (vmcoreinfo vmcoreinfo.txt:11 (LENGTH(mem_section)=4096, SIZE(mem_section)=32)) contradict each other: the VMCOREINFO note is what the kernel booted with; drop Extreme, or name the note of the kernel you mean",
        new Dictionary<string, string> { ["PhysMem_Extreme"] = "false" });
}
