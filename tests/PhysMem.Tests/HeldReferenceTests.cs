using System;
using System.Threading;
using PhysMem.Tests.Generated;
using Xunit;
using static PhysMem.Tests.HotplugState;

namespace PhysMem.Tests;

// PageToPfn(ref) of the generated models, step by step: a reference held in a read section across a
// removal converts back; once the grace period is over, or for a page that is not the model's, it
// does not.
public unsafe class HeldReferenceTests
{
    public static TheoryData<string> Models => RefModels.Names;

    [Theory]
    [MemberData(nameof(Models))]
    public void A_reference_held_across_a_removal_converts_back(string model)
    {
        using var m = RefModels.Create(model);
        ulong pfn = Pfn(40) + 5;
        m.Storage.AddMemory(Pfn(40), PagesPerSection, 0);
        using var taken = new ManualResetEventSlim();
        using var removed = new ManualResetEventSlim();
        ulong back = 0;
        Exception? error = null;

        // Another thread enters a read section, takes the reference, and converts it after this thread
        // has removed its memory (a removal does not wait for readers; it only defers giving back).
        var reader = new Thread(() =>
        {
            try
            {
                using (m.EnterReadSection())
                {
                    ref Page page = ref m.PfnToPageRef(pfn);
                    taken.Set();
                    removed.Wait();
                    back = m.PageToPfn(ref page);
                }
            }
            catch (Exception e)
            {
                error = e;
                taken.Set();
            }
        });
        reader.Start();
        taken.Wait();
        m.Storage.RemoveMemory(Pfn(40), PagesPerSection);
        Assert.False(m.Storage.PfnValid(pfn), "the pfn is still valid after the removal");
        removed.Set();
        Assert.True(reader.Join(TimeSpan.FromSeconds(30)));

        Assert.Null(error);
        Assert.Equal(pfn, back);
        m.Storage.Synchronize();
        Assert.Equal(0UL, m.Storage.GetAccounting().PendingMemmapBytes);
        if (m.Storage.Layout.IsVmemmap)
        {
            // Given back now: the same place in the vmemmap is no longer a page (and nothing is read from
            // it; a classic page's flags would be read, so that case is not tried).
            var e = Assert.Throws<ArgumentException>(() => m.PageToPfn(ref *m.PfnToPage(pfn)));
            Assert.Contains("not one of this model's pages", e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Copies_and_other_models_pages_are_refused(string model)
    {
        using var m = RefModels.Create(model);
        using var other = RefModels.Create(model);
        Page copy = m.PfnToPageRef(0x100);

        Assert.Equal(0x100UL, m.PageToPfn(ref m.PfnToPageRef(0x100)));
        Assert.Throws<ArgumentException>(() => m.PageToPfn(ref copy));
        Assert.Throws<ArgumentException>(() => m.PageToPfn(ref other.PfnToPageRef(0x100)));
        Assert.False(m.Storage.TryPageToPfn(ref copy, out ulong none));
        Assert.Equal(0UL, none);
    }
}
