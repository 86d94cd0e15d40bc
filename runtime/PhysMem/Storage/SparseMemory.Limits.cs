using System.Globalization;

namespace PhysMem;

// Hot-add within the storage's limits: what a hot-add would allocate (memmap for the range, or a
// whole section's with classic SPARSEMEM; a root per new EXTREME root; a usage block per section
// that has none), added to what the storage holds now, checked before anything changes.
public unsafe partial class SparseMemory<TPage>
{
    private void CheckHotAddLimits(ulong startPfn, ulong end)
    {
        ulong memmap = 0;
        ulong sections = 0;
        ulong lastRoot = ulong.MaxValue;
        ulong roots = 0;
        for (ulong pfn = startPfn, chunk; pfn < end; pfn += chunk)
        {
            chunk = ChunkPages(pfn, end);
            ulong nr = pfn >> _pfnSectionShift;
            MemSection* ms = NrToSectionCore(nr);
            ulong word = ms == null ? 0 : (ulong)ms->SectionMemMap;
            bool reuseBootMemmap = (word & IsEarly) != 0 && chunk < _pagesPerSection;
            memmap += !_vmemmap ? _memmapBytesPerSection : reuseBootMemmap ? 0 : chunk * (ulong)sizeof(TPage);
            sections += ms == null || ms->Usage == null ? 1UL : 0;
            if (ms == null && _sections.NeedsNewRoot(nr, ref lastRoot))
            {
                roots++;
            }
        }

        // Self-hosted memmap counts too: the limits guard this process, which commits it all the same.
        ulong memmapNow = _vmemmap ? _vmemmapReservation!.CommittedBytes + _vmemmapReservation.HostedBytes : _classicMemmapBytes;
        ulong tablesNow = _sections.Bytes;
        ulong usageNow = _reclaimer.UsageBytes;
        ulong rootBytes = roots * _sections.BytesPerRoot;
        string range = "pfn 0x" + Hex(startPfn) + "-0x" + Hex(end - 1);
        _limits.Check(new StorageCost(
            "Hot-adding " + range + " to SparseMemory for " + Layout.Describe(),
            memmapNow + memmap,
            tablesNow + rootBytes,
            usageNow + sections * _usageStride,
            ReservedBytes,
            N(memmapNow) + " bytes committed now + " + N(memmap) + " bytes for " + range,
            N(tablesNow) + " bytes of tables and " + N(usageNow) + " bytes of usage blocks now + " + N(roots) + " roots and " + N(sections) + " usage blocks",
            "reserved at boot"));
    }

    private static string N(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
