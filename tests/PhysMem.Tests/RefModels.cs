using System;
using System.Runtime.CompilerServices;
using System.Threading;
using PhysMem.Tests.Generated;
using Xunit;

namespace PhysMem.Tests;

// The four generated SPARSEMEM models of GeneratedModels.cs behind one interface, for the tests of
// the checked forms under hotplug (their members have the same names but no common type).
internal static unsafe class RefModels
{
    internal static TheoryData<string> Names => new() { nameof(VmemmapExtreme), nameof(VmemmapStatic), nameof(ClassicExtreme), nameof(ClassicStatic) };

    internal static IRefModel Create(string name) => name switch
    {
        nameof(VmemmapExtreme) => new RefModel<VmemmapExtreme>(new VmemmapExtreme(HotplugState.BootMap), x => x.Storage, (x, p) => ref x.PfnToPageRef(p), (VmemmapExtreme x, ref Page p) => x.PageToPfn(ref p), (x, p) => (nint)x.PfnToPage(p)),
        nameof(VmemmapStatic) => new RefModel<VmemmapStatic>(new VmemmapStatic(HotplugState.BootMap), x => x.Storage, (x, p) => ref x.PfnToPageRef(p), (VmemmapStatic x, ref Page p) => x.PageToPfn(ref p), (x, p) => (nint)x.PfnToPage(p)),
        nameof(ClassicExtreme) => new RefModel<ClassicExtreme>(new ClassicExtreme(HotplugState.BootMap), x => x.Storage, (x, p) => ref x.PfnToPageRef(p), (ClassicExtreme x, ref Page p) => x.PageToPfn(ref p), (x, p) => (nint)x.PfnToPage(p)),
        nameof(ClassicStatic) => new RefModel<ClassicStatic>(new ClassicStatic(HotplugState.BootMap), x => x.Storage, (x, p) => ref x.PfnToPageRef(p), (ClassicStatic x, ref Page p) => x.PageToPfn(ref p), (x, p) => (nint)x.PfnToPage(p)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not one of RefModels.Names"),
    };

    internal delegate ref Page RefOf<TModel>(TModel model, ulong pfn);

    internal delegate ulong PfnOf<TModel>(TModel model, ref Page page);

    internal interface IRefModel : IDisposable
    {
        SparseMemory Storage { get; }

        ReadSection EnterReadSection() => Storage.EnterReadSection();

        ref Page PfnToPageRef(ulong pfn);

        ulong PageToPfn(ref Page page);

        Page* PfnToPage(ulong pfn);

        // False when the pfn has no page (PfnToPageRef refused); otherwise the pfn PageToPfn(ref)
        // gave back for the reference after holding it a while, or the error it threw.
        bool TryRoundTrip(ulong pfn, out ulong back, out string? error)
        {
            back = 0;
            error = null;
            ref Page page = ref Unsafe.NullRef<Page>();
            try
            {
                page = ref PfnToPageRef(pfn);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }

            // Hold it a while, using it as a caller would.
            for (int i = 0; i < 20; i++)
            {
                _ = Volatile.Read(ref page.Flags);
            }

            try
            {
                back = PageToPfn(ref page);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }

            return true;
        }
    }

    private sealed class RefModel<TModel> : IRefModel
        where TModel : IDisposable
    {
        private readonly TModel _model;
        private readonly RefOf<TModel> _ref;
        private readonly PfnOf<TModel> _pfn;
        private readonly Func<TModel, ulong, nint> _page;

        internal RefModel(TModel model, Func<TModel, SparseMemory> storage, RefOf<TModel> pageRef, PfnOf<TModel> pfn, Func<TModel, ulong, nint> page)
        {
            _model = model;
            Storage = storage(model);
            _ref = pageRef;
            _pfn = pfn;
            _page = page;
        }

        public SparseMemory Storage { get; }

        public ref Page PfnToPageRef(ulong pfn) => ref _ref(_model, pfn);

        public ulong PageToPfn(ref Page page) => _pfn(_model, ref page);

        public Page* PfnToPage(ulong pfn) => (Page*)_page(_model, pfn);

        public void Dispose() => _model.Dispose();
    }
}
