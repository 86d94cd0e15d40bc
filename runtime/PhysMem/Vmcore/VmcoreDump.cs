using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PhysMem;

/// <summary>
/// A kernel's dump opened for reading: the ELF core, its <c>VMCOREINFO</c> note, the memory model
/// the note settles (with the kernel's configuration, when given, for what the note does not say),
/// and the x86-64 page tables. Checks that the note belongs to the dump by reading the kernel release
/// back from the dump's memory (<c>init_uts_ns</c>).
/// </summary>
internal sealed class VmcoreDump : IDisposable
{
    private VmcoreDump(ElfCore core, VmcoreInfo info, KernelVersion? version, X86PageTables tables)
    {
        Core = core;
        Info = info;
        Version = version;
        Tables = tables;
    }

    /// <summary>The mapped core.</summary>
    public ElfCore Core { get; }

    /// <summary>The note.</summary>
    public VmcoreInfo Info { get; }

    /// <summary>The kernel version from <c>OSRELEASE</c>, or null when it does not start with one.</summary>
    public KernelVersion? Version { get; }

    /// <summary>The page tables.</summary>
    public X86PageTables Tables { get; }

    /// <summary>Opens the dump read-only and checks it.</summary>
    /// <exception cref="VmcoreException">The file is not a readable x86-64 ELF core, has no VMCOREINFO note, the note is malformed or is not of this dump.</exception>
    /// <param name="path">The dump.</param>
    /// <param name="recorder">Receives every physical frame read (see <see cref="ElfCore.Recorder"/>), or null.</param>
    public static VmcoreDump Open(string path, HashSet<ulong>? recorder = null)
    {
        var core = ElfCore.Open(path);
        core.Recorder = recorder;
        try
        {
            string text = core.NoteText("VMCOREINFO")
                ?? throw new VmcoreException(path + ": the dump has no VMCOREINFO note (notes: " + NoteNames(core)
                    + "); QEMU writes it with '-device vmcoreinfo' and the guest's qemu_fw_cfg module loaded, kdump always");
            var info = VmcoreInfo.Parse(text, path + " (VMCOREINFO)");
            KernelVersion? version = KernelVersion.TryParse(info.OsRelease, out var v) ? v : null;
            var tables = Wrap(() => new X86PageTables(
                core,
                info.Require("SYMBOL(init_top_pgt)", info.Symbol("init_top_pgt"), "the page tables (an x86-64 dump)"),
                (ulong)info.Require("NUMBER(phys_base)", info.Number("phys_base"), "the kernel image's physical address"),
                info.Number("pgtable_l5_enabled") == 1));
            var dump = new VmcoreDump(core, info, version, tables);
            dump.CheckRelease();
            return dump;
        }
        catch
        {
            core.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/>, turning a malformed note into a <see cref="VmcoreException"/>.</summary>
    public static T Wrap<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException e)
        {
            throw new VmcoreException(e.Message, e);
        }
    }

    /// <summary>Unmaps the dump.</summary>
    public void Dispose() => Core.Dispose();

    // A note copied from another dump points at tables and strings that are not there: the
    // release the kernel keeps in init_uts_ns must read back as the note's OSRELEASE.
    private void CheckRelease()
    {
        string release = Info.OsRelease ?? throw new VmcoreException(Info.Source + ": OSRELEASE is missing");
        if (Info.Symbol("init_uts_ns") is not ulong uts || Info.Offset("uts_namespace.name") is not ulong name)
        {
            return;
        }

        // struct new_utsname (include/uapi/linux/utsname.h): six fields of 65 bytes; release is the third.
        const int Field = 65;
        ulong virt = uts + name + (2 * Field);
        Span<byte> bytes = stackalloc byte[Field];
        if (!Tables.TryTranslate(virt, out ulong phys, out _) || !Core.Holds(phys, Field))
        {
            throw new VmcoreException(Core.Path + ": the kernel release at SYMBOL(init_uts_ns) (virtual 0x" + virt.ToString("x", CultureInfo.InvariantCulture)
                + ") is not in the dump: the VMCOREINFO note (OSRELEASE=" + release + ") is not of this dump");
        }

        Core.Read(phys, bytes);
        int end = bytes.IndexOf((byte)0);
        string inMemory = Encoding.ASCII.GetString(end < 0 ? bytes : bytes.Slice(0, end));
        if (inMemory != release)
        {
            throw new VmcoreException(Core.Path + ": the dump's memory holds kernel release '" + TextLines.Shown(inMemory) + "' but its VMCOREINFO note says OSRELEASE="
                + release + ": the note is not of this dump");
        }
    }

    private static string NoteNames(ElfCore core)
    {
        var names = new List<string>();
        foreach (var n in core.Notes)
        {
            if (!names.Contains(n.Name))
            {
                names.Add(n.Name);
            }
        }

        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
