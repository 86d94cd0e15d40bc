using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

// The checked page -> pfn conversion for references, which must also accept a page that a removal
// has taken out of the tables while a read section still holds it: its memmap is given back only
// after the grace period, so the reference is valid, but PfnValid is already false for its pfn.
public unsafe partial class SparseMemory<TPage>
{
    /// <summary>
    /// The pfn of a page of this storage, checked: true for an entry of a memmap the storage holds —
    /// a present one, or one that a concurrent <see cref="RemoveMemory"/> has taken out of the tables
    /// but not yet given back because a read section that began before the removal may still use it —
    /// and false for any other reference (another storage's page, a copy, a page whose memmap was
    /// given back).
    /// </summary>
    /// <remarks>
    /// A reference obtained inside a read section converts back for as long as that section lasts,
    /// whatever removals run meanwhile: call this inside the section that obtained the reference.
    /// VMEMMAP: the page's place in the vmemmap gives the pfn; it counts as held when the pfn is valid
    /// or its memmap is still committed. Classic: the section number from <c>page-&gt;flags</c>, and
    /// the section's word, which after a removal keeps its memmap pointer (without flag bits) until the
    /// memmap is freed. Takes no lock that a hotplug call holds while it waits for readers, so it is
    /// safe inside a read section.
    /// </remarks>
    /// <param name="page">A reference to a page, e.g. from a model's <c>PfnToPageRef</c>.</param>
    /// <param name="pfn">Its pfn, when the result is true; otherwise 0.</param>
    /// <returns>True when the page is one of this storage's.</returns>
    /// <exception cref="ObjectDisposedException">The storage was disposed.</exception>
    public bool TryPageToPfn(ref TPage page, out ulong pfn)
    {
        ThrowIfDisposed();
        pfn = 0;
        TPage* p = (TPage*)Unsafe.AsPointer(ref page);
        ulong size = (ulong)sizeof(TPage);
        if (_vmemmap)
        {
            ulong offset = unchecked((ulong)p - (ulong)_vmemmapBase);
            if (offset >= _nrMemSections * _memmapBytesPerSection || offset % size != 0)
            {
                return false;
            }

            // A removal decommits the memmap only after its grace period; until then it is committed.
            ulong candidate = offset / size;
            if (!PfnValid(candidate) && !_vmemmapReservation!.IsCommitted(offset, size))
            {
                return false;
            }

            pfn = candidate;
            return true;
        }

        ulong nr = (PageDescriptor<TPage>.ReadFlags(p) >> _sectionsPgshift) & _sectionsMask;
        MemSection* ms = NrToSectionCore(nr);
        ulong word = ms == null ? 0 : (ulong)Volatile.Read(ref ms->SectionMemMap);

        // A present section has its memmap; a removal clears the flag bits but keeps the pointer until
        // the memmap is freed (then the word is 0); a section that never had memory has no pointer.
        // (The node number a boot section holds before its memmap exists is never seen after the
        // constructor.)
        ulong memmap = word & _sectionMapMask;
        if (memmap == 0)
        {
            return false;
        }

        ulong distance = unchecked((ulong)p - memmap);
        ulong found = distance / size;
        if (distance % size != 0 || found >> _pfnSectionShift != nr)
        {
            return false;
        }

        pfn = found;
        return true;
    }
}
