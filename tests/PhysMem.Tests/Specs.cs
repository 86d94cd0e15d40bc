namespace PhysMem.Tests;

// The configurations the tests build, named after the machines they stand for.
internal static class Specs
{
    // x86-64 with 4-level paging: 4 KiB pages, 128 MiB sections, 46-bit physical addresses.
    internal static LayoutSpec X86_64(bool vmemmap, bool extreme, int maxPhysmemBits = 46, int nodesShift = 0) => new()
    {
        Model = Model.Sparse,
        PageShift = 12,
        SectionSizeBits = 27,
        MaxPhysmemBits = maxPhysmemBits,
        Vmemmap = vmemmap,
        Extreme = extreme,
        NodesShift = nodesShift,
    };

    internal static LayoutSpec Flat(ulong archPfnOffset = 0, bool holes = false) => new()
    {
        Model = Model.Flat,
        ArchPfnOffset = archPfnOffset,
        HolesInMemmap = holes,
    };
}
