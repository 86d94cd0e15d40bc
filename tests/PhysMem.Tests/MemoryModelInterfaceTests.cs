using PhysMem.Tests.Generated;
using Xunit;

namespace PhysMem.Tests;

// Generic code over IMemoryModel<TPage> gets the same answers as the model called directly.
public class MemoryModelInterfaceTests
{
    [Fact]
    public unsafe void AGenericRoundTripAgreesWithTheModel()
    {
        using var model = new ClassicExtreme(HotplugState.BootMap);
        ulong pfn = 0;
        while (!model.PfnValid(pfn))
        {
            pfn++;
        }

        Assert.Equal(pfn, RoundTrip(model, pfn));
        Assert.Equal((ulong)model.PfnToPage(pfn), (ulong)((IMemoryModel<Page>)model).PfnToPage(pfn));
    }

    private static ulong RoundTrip<TModel>(TModel model, ulong pfn)
        where TModel : IMemoryModel<Page>
    {
        return model.PageToPfn(ref model.PfnToPageRef(pfn));
    }
}
