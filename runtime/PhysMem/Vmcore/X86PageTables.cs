using System;

namespace PhysMem;

/// <summary>
/// Kernel virtual to physical translation for an x86-64 dump: the kernel's top-level table
/// (<c>SYMBOL(init_top_pgt)</c>, a kernel-image address turned physical with
/// <c>__START_KERNEL_map</c> and <c>NUMBER(phys_base)</c>), walked with 4 or 5 levels as
/// <c>NUMBER(pgtable_l5_enabled)</c> says, with 1 GiB and 2 MiB leaves. The direct map and the
/// vmemmap are placed by KASLR, so every address other than the kernel image's is found by the walk.
/// </summary>
internal sealed class X86PageTables
{
    /// <summary><c>__START_KERNEL_map</c> (arch/x86/include/asm/page_64_types.h): where the kernel image is mapped.</summary>
    public const ulong StartKernelMap = 0xffffffff80000000UL;

    // arch/x86/include/asm/pgtable_types.h: _PAGE_PRESENT is bit 0, _PAGE_PSE (a leaf above the
    // last level) bit 7; the frame is bits 12-51 (__PHYSICAL_MASK_SHIFT 52).
    private const ulong Present = 1;
    private const ulong Pse = 1UL << 7;
    private const ulong FrameMask = 0x000f_ffff_ffff_f000UL;

    private readonly ElfCore _core;
    private readonly ulong _top;

    /// <summary>Builds the walker from the note's values.</summary>
    /// <param name="core">The dump.</param>
    /// <param name="topTableVirt"><c>SYMBOL(init_top_pgt)</c>.</param>
    /// <param name="physBase"><c>NUMBER(phys_base)</c>.</param>
    /// <param name="fiveLevel"><c>NUMBER(pgtable_l5_enabled)</c> is 1.</param>
    public X86PageTables(ElfCore core, ulong topTableVirt, ulong physBase, bool fiveLevel)
    {
        _core = core;
        PhysBase = physBase;
        FiveLevel = fiveLevel;
        if (topTableVirt < StartKernelMap)
        {
            throw new VmcoreException(core.Path + ": SYMBOL(init_top_pgt)=" + topTableVirt.ToString("x") + " is not in the kernel image mapping (from 0x" + StartKernelMap.ToString("x") + ")");
        }

        _top = KernelImageToPhys(topTableVirt);
        if (!core.Holds(_top, 4096))
        {
            throw new VmcoreException(core.Path + ": init_top_pgt at physical 0x" + _top.ToString("x") + " (SYMBOL(init_top_pgt) - __START_KERNEL_map + NUMBER(phys_base)) is not in the dump: the VMCOREINFO note is not of this dump");
        }
    }

    /// <summary><c>phys_base</c>: the physical displacement of the kernel image.</summary>
    public ulong PhysBase { get; }

    /// <summary>Whether the tables have five levels (LA57).</summary>
    public bool FiveLevel { get; }

    /// <summary>The physical address of a kernel-image virtual address (<c>__phys_addr_symbol</c>): no walk needed.</summary>
    public ulong KernelImageToPhys(ulong virt) => virt - StartKernelMap + PhysBase;

    /// <summary>
    /// The physical address of <paramref name="virt"/>, and how many bytes from it stay physically
    /// contiguous within the same leaf (so a caller can read a run without walking again).
    /// </summary>
    /// <returns>False when an entry on the way is not present.</returns>
    public bool TryTranslate(ulong virt, out ulong phys, out ulong leafRemaining)
    {
        ulong table = _top;
        int level = FiveLevel ? 5 : 4;
        for (; level >= 1; level--)
        {
            int shift = 12 + (9 * (level - 1));
            ulong index = (virt >> shift) & 511;
            ulong entry = _core.ReadU64(table + (index * 8));
            if ((entry & Present) == 0)
            {
                phys = 0;
                leafRemaining = 0;
                return false;
            }

            // PUD (level 3) and PMD (level 2) entries with PSE set map 1 GiB and 2 MiB pages.
            if (level == 1 || ((level == 2 || level == 3) && (entry & Pse) != 0))
            {
                ulong size = 1UL << shift;
                ulong frame = entry & FrameMask & ~(size - 1);
                ulong within = virt & (size - 1);
                phys = frame + within;
                leafRemaining = size - within;
                return true;
            }

            table = entry & FrameMask;
        }

        phys = 0;
        leafRemaining = 0;
        return false;
    }

    /// <summary>The physical address of <paramref name="virt"/>, or an exception naming it.</summary>
    /// <param name="virt">The address.</param>
    /// <param name="what">What lives there, for the message.</param>
    public ulong Translate(ulong virt, string what)
    {
        if (!TryTranslate(virt, out ulong phys, out _))
        {
            throw new VmcoreException(_core.Path + ": " + what + " at virtual 0x" + virt.ToString("x") + " is not mapped by the dump's page tables ("
                + (FiveLevel ? "5" : "4") + "-level, from init_top_pgt at physical 0x" + _top.ToString("x") + ")");
        }

        return phys;
    }

    /// <summary>Copies kernel virtual memory, page by page through the tables.</summary>
    public void Read(ulong virt, Span<byte> destination, string what)
    {
        while (destination.Length > 0)
        {
            if (!TryTranslate(virt, out ulong phys, out ulong remaining))
            {
                Translate(virt, what);
            }

            int run = (int)Math.Min((ulong)destination.Length, remaining);
            _core.Read(phys, destination.Slice(0, run));
            destination = destination.Slice(run);
            virt += (ulong)run;
        }
    }

    /// <summary>Reads a 64-bit word of kernel virtual memory.</summary>
    public ulong ReadU64(ulong virt, string what)
    {
        Span<byte> b = stackalloc byte[8];
        Read(virt, b, what);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b);
    }
}
