using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// Dumps that are not what they claim each give one <see cref="VmcoreException"/> that says what is
/// wrong, never another exception; and the VMCOREINFO reader names the key and the value it refuses.
/// The ELF files are built here, byte by byte, or cut from a trimmed real dump.
/// </summary>
public sealed class VmcoreMalformedTests
{
    [Fact]
    public void A_truncated_dump_gives_one_clear_error()
    {
        byte[] whole = File.ReadAllBytes(VmcoreFixtureTests.Dump(VmcoreFixtureTests.FirstFixture()));
        var e = OpenBytes(whole.AsSpan(0, whole.Length / 2).ToArray());
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        var tiny = OpenBytes(whole.AsSpan(0, 40).ToArray());
        Assert.Contains("too short for an ELF header", tiny.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dump_without_a_vmcoreinfo_note_says_how_to_get_one()
    {
        var e = OpenBytes(Elf(62, notes: new[] { ("CORE", 1u, new byte[16]) }, load: (0, new byte[4096])));
        Assert.Contains("has no VMCOREINFO note (notes: CORE)", e.Message, StringComparison.Ordinal);
        Assert.Contains("-device vmcoreinfo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dump_of_another_architecture_is_refused_with_its_machine_number()
    {
        var e = OpenBytes(Elf(183, notes: Array.Empty<(string, uint, byte[])>(), load: (0, new byte[4096])));
        Assert.Contains("e_machine is 183, not 62 (EM_X86_64)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_elf_or_not_a_core_is_refused()
    {
        var text = OpenBytes(Encoding.ASCII.GetBytes(new string('x', 100)));
        Assert.Contains("ELF magic", text.Message, StringComparison.Ordinal);

        byte[] exec = Elf(62, Array.Empty<(string, uint, byte[])>(), (0, new byte[16]));
        exec[16] = 2;
        Assert.Contains("not 4 (ET_CORE)", OpenBytes(exec).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_from_another_dump_is_found_out_by_the_memory_it_describes()
    {
        // The 6.12 kernel's note over the 6.1 kernel's memory: its page tables and release are not there.
        var e = OpenWithNote("6.1-4level", "6.12-4level", note => note);
        Assert.Contains("not of this dump", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_struct_page_size_that_does_not_divide_the_page_size_is_refused_not_read_across_pages()
    {
        var e = OpenWithNote("6.1-4level", "6.1-4level", note => note.Replace("SIZE(page)=64", "SIZE(page)=72", StringComparison.Ordinal));
        Assert.Contains("SIZE(page)=72 does not divide PAGESIZE=4096", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_outside_the_dumps_segments_fails_naming_the_address()
    {
        using var core = ElfCore.Open(VmcoreFixtureTests.Dump(VmcoreFixtureTests.FirstFixture()));
        var e = Assert.Throws<VmcoreException>(() => core.ReadU64(1UL << 45));
        Assert.Contains("physical address 0x200000000000", e.Message, StringComparison.Ordinal);
        Assert.True(core.TryView(1UL << 45, 8).IsEmpty);
    }

    [Fact]
    public void Vmcoreinfo_values_are_read_in_the_base_the_kernel_writes_them()
    {
        var info = VmcoreInfo.Parse("OSRELEASE=6.1.0\nPAGESIZE=4096\nSYMBOL(mem_section)=ffff8f183ffd6000\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\nOFFSET(page.flags)=0\nLENGTH(mem_section)=4096\n\0\0", "t");
        Assert.Equal(0xffff8f183ffd6000UL, info.Symbol("mem_section"));
        Assert.Equal(-129L, info.Number("PAGE_BUDDY_MAPCOUNT_VALUE"));
        Assert.Equal(0UL, info.Offset("page.flags"));
        Assert.Equal(4096UL, info.Length("mem_section"));
        Assert.Empty(info.Problems);
    }

    [Fact]
    public void A_malformed_or_missing_key_is_named_with_its_value()
    {
        var bad = VmcoreInfo.Parse("PAGESIZE=4096\nNUMBER(SECTION_SIZE_BITS)=2x7\nNUMBER(MAX_PHYSMEM_BITS)=46\n", "note");
        var e = Assert.Throws<FormatException>(() => VmcoreLayoutInputs.Read(bad, new List<KeyValuePair<string, string>>()));
        Assert.Contains("NUMBER(SECTION_SIZE_BITS)=2x7", e.Message, StringComparison.Ordinal);

        var missing = VmcoreInfo.Parse("PAGESIZE=4096\nNUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)=46\nSIZE(mem_section)=32\n", "note");
        var m = Assert.Throws<FormatException>(() => VmcoreLayoutInputs.Read(missing, new List<KeyValuePair<string, string>>()));
        Assert.Contains("LENGTH(mem_section) is missing", m.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(46, 4096, 32, true)] // the x86-64 4-level boot: 2^19 sections, 128 per root
    [InlineData(52, 262144, 32, true)] // 5-level: 2^25 sections
    [InlineData(46, 524288, 32, false)] // a static table: one section per root
    public void Extreme_is_read_back_from_the_number_of_roots(int mpb, int roots, int size, bool extreme)
    {
        var info = VmcoreInfo.Parse($"PAGESIZE=4096\nNUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)={mpb}\nLENGTH(mem_section)={roots}\nSIZE(mem_section)={size}\n", "note");
        Assert.Equal(extreme, VmcoreLayoutInputs.Read(info, new List<KeyValuePair<string, string>>()).Extreme);
    }

    [Fact]
    public void Roots_that_fit_no_table_are_refused_with_the_arithmetic()
    {
        var info = VmcoreInfo.Parse("PAGESIZE=4096\nNUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)=46\nLENGTH(mem_section)=1000\nSIZE(mem_section)=32\n", "note");
        var e = Assert.Throws<FormatException>(() => VmcoreLayoutInputs.Read(info, new List<KeyValuePair<string, string>>()));
        Assert.Contains("LENGTH(mem_section)=1000", e.Message, StringComparison.Ordinal);
    }

    // The memory of one fixture with the note of another (or the same), edited, as a new dump; opening it must fail.
    private static VmcoreException OpenWithNote(string memoryFixture, string noteFixture, Func<string, string> edit)
    {
        string mixed = WriteWithNote(memoryFixture, noteFixture, edit);
        try
        {
            return Assert.Throws<VmcoreException>(() => VmcoreReader.Open(mixed, null).Dispose());
        }
        finally
        {
            File.Delete(mixed);
        }
    }

    /// <summary>Writes the memory of one fixture with the note of another (or the same), edited, as a new dump in a temporary file, and returns its path.</summary>
    internal static string WriteWithNote(string memoryFixture, string noteFixture, Func<string, string> edit)
    {
        string mixed = Path.GetTempFileName();
        using var memory = ElfCore.Open(VmcoreFixtureTests.Dump(memoryFixture));
        using var note = ElfCore.Open(VmcoreFixtureTests.Dump(noteFixture));
        var segments = new List<(ulong, byte[])>();
        foreach (var s in memory.Segments)
        {
            var bytes = new byte[s.FileSize];
            memory.Read(s.PhysStart, bytes);
            segments.Add((s.PhysStart, bytes));
        }

        File.WriteAllBytes(mixed, Elf(62, new[] { ("VMCOREINFO", 0u, Encoding.ASCII.GetBytes(edit(note.NoteText("VMCOREINFO")!))) }, segments.ToArray()));
        return mixed;
    }

    private static VmcoreException OpenBytes(byte[] bytes)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            return Assert.Throws<VmcoreException>(() => VmcoreReader.Open(path, null).Dispose());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Elf(ushort machine, (string Name, uint Type, byte[] Desc)[] notes, params (ulong Phys, byte[] Bytes)[] load)
    {
        var noteBytes = new MemoryStream();
        foreach (var n in notes)
        {
            VmcoreTrimmer.WriteNote(noteBytes, n.Name, n.Type, n.Desc);
        }

        int phnum = load.Length + (notes.Length > 0 ? 1 : 0);
        var file = new MemoryStream();
        var h = new byte[64];
        h[0] = 0x7f;
        h[1] = (byte)'E';
        h[2] = (byte)'L';
        h[3] = (byte)'F';
        h[4] = 2;
        h[5] = 1;
        h[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(16), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(18), machine);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(32), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(56), (ushort)phnum);
        file.Write(h);
        ulong at = (ulong)(64 + (56 * phnum));
        if (notes.Length > 0)
        {
            file.Write(VmcoreTrimmer.Phdr(4, at, 0, (ulong)noteBytes.Length));
            at += (ulong)noteBytes.Length;
        }

        foreach (var (phys, bytes) in load)
        {
            file.Write(VmcoreTrimmer.Phdr(1, at, phys, (ulong)bytes.Length));
            at += (ulong)bytes.Length;
        }

        file.Write(noteBytes.ToArray());
        foreach (var (_, bytes) in load)
        {
            file.Write(bytes);
        }

        return file.ToArray();
    }
}
