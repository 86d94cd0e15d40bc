using System;

namespace PhysMem;

/// <summary>
/// What every generated memory model offers as instance members, so that generic code can take any
/// model: <c>pfn_valid</c>, <c>pfn_to_page</c> and <c>page_to_pfn</c> in their raw (pointer) and
/// checked (reference) forms, and <see cref="IDisposable.Dispose"/>.
/// </summary>
/// <remarks>
/// <para>The generator puts this interface on the declaration of every model it generates; the
/// model's own public members implement it implicitly, so a call on the model type is the same
/// constant-folded code as before, and a call through the interface on a struct type argument is
/// specialised by the JIT. A call through the interface on a class (a variable of this type, or
/// generic code shared over reference types) is an interface call: fine for setup and checks, not for
/// a timed loop.</para>
/// <para>A model PhysMem refused does not get it: its throwing surface leaves out members (those a
/// user member collides with, and pointer members when unsafe code is off), so it could not promise
/// them. The page-flag accessors and <c>Layout</c> are static members of the model and not part of
/// the interface: an interface with static abstract members cannot be used as a type argument.</para>
/// </remarks>
/// <typeparam name="TPage">The frame descriptor of the model's memmap (<see cref="Page"/>, or the model's <c>PageType</c>).</typeparam>
public unsafe interface IMemoryModel<TPage> : IDisposable
    where TPage : unmanaged
{
    /// <summary><c>pfn_valid</c>: whether <paramref name="pfn"/> has an initialised page.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>True when <see cref="PfnToPage"/> gives a usable page.</returns>
    bool PfnValid(ulong pfn);

    /// <summary><c>pfn_to_page</c>, unchecked as in the kernel: call <see cref="PfnValid"/> first.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The page.</returns>
    TPage* PfnToPage(ulong pfn);

    /// <summary><c>page_to_pfn</c>.</summary>
    /// <param name="page">A page of the model's memmap.</param>
    /// <returns>Its pfn.</returns>
    ulong PageToPfn(TPage* page);

    /// <summary>The checked <c>pfn_to_page</c>: the page of a valid pfn, as a reference.</summary>
    /// <param name="pfn">A page frame number.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pfn is not valid.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    ref TPage PfnToPageRef(ulong pfn);

    /// <summary>The checked <c>page_to_pfn</c> of a page reference.</summary>
    /// <param name="page">A page of the model's memmap.</param>
    /// <returns>Its pfn.</returns>
    /// <exception cref="ArgumentException">The page does not belong to the model.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    ulong PageToPfn(ref TPage page);
}
