using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// Every number a memory model derives from its <see cref="LayoutSpec"/>: section shifts and
/// table sizes, the <c>section_mem_map</c> flag bits, and the <c>page-&gt;flags</c> field layout,
/// each computed as the kernel's headers compute it for the same configuration.
/// </summary>
/// <remarks>
/// This is the single source of truth for the arithmetic: the same source files are compiled
/// into the source generator, which emits these values as constants, and into the runtime, where
/// the run-time configured storage reads them. Names follow the kernel's macros in PascalCase.
/// </remarks>
public sealed partial class MemoryLayout
{
    private readonly Dictionary<string, LayoutConstant> _byKernelName = new(StringComparer.Ordinal);
    private readonly List<LayoutConstant> _constants = new();
    private readonly List<LayoutDiagnostic> _diagnostics = new();

    private MemoryLayout(LayoutSpec spec)
    {
        Spec = spec;
    }

    /// <summary>The inputs this layout was computed from.</summary>
    public LayoutSpec Spec { get; }

    /// <summary>Every named value, in the order the kernel's headers define them.</summary>
    public IReadOnlyList<LayoutConstant> Constants => _constants;

    /// <summary>Notes about the layout that are not errors (a field moved out of <c>page-&gt;flags</c>, for example).</summary>
    public IReadOnlyList<LayoutDiagnostic> Diagnostics => _diagnostics;

    /// <summary>The model.</summary>
    public Model Model => Spec.Model;

    /// <summary>True for SPARSEMEM (any variant).</summary>
    public bool IsSparse => Spec.Model == Model.Sparse;

    /// <summary>True for SPARSEMEM_VMEMMAP.</summary>
    public bool IsVmemmap => IsSparse && Spec.Vmemmap;

    /// <summary>True for SPARSEMEM_EXTREME.</summary>
    public bool IsExtreme => IsSparse && Spec.Extreme;

    /// <summary><c>SECTION_IN_PAGE_FLAGS</c>: classic SPARSEMEM keeps the section number in <c>page-&gt;flags</c>.</summary>
    public bool SectionInPageFlags => IsSparse && !Spec.Vmemmap;

    /// <summary>Computes the layout, or the diagnostics that say why the kernel would refuse it.</summary>
    /// <param name="spec">The inputs.</param>
    /// <returns>The layout (null when there is an error) and every diagnostic.</returns>
    public static LayoutResult Compute(LayoutSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var layout = new MemoryLayout(spec);
        var problems = new List<LayoutDiagnostic>();
        LayoutValidator.Validate(spec, problems);
        if (!HasErrors(problems))
        {
            layout.Calculate(problems);
        }

        foreach (var p in problems)
        {
            if (p.Descriptor.Severity != LayoutSeverity.Error)
            {
                layout._diagnostics.Add(p);
            }
        }

        return new LayoutResult(HasErrors(problems) ? null : layout, problems);
    }

    /// <summary>Computes the layout, throwing <see cref="LayoutException"/> when the kernel would refuse it.</summary>
    /// <param name="spec">The inputs.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="LayoutException">The configuration has errors; the exception lists them with their IDs.</exception>
    public static MemoryLayout Create(LayoutSpec spec)
    {
        var result = Compute(spec);
        return result.Layout ?? throw new LayoutException(result.Diagnostics);
    }

    /// <summary>Looks a value up by the kernel's name (<c>SECTIONS_SHIFT</c>).</summary>
    /// <param name="kernelName">The macro name.</param>
    /// <param name="constant">The value, when the model defines that name.</param>
    /// <returns>True when the model defines the name.</returns>
    public bool TryGet(string kernelName, out LayoutConstant constant)
    {
        if (_byKernelName.TryGetValue(kernelName, out var found))
        {
            constant = found;
            return true;
        }

        constant = null!;
        return false;
    }

    /// <summary>A value by the kernel's name.</summary>
    /// <param name="kernelName">The macro name, e.g. <c>NR_MEM_SECTIONS</c>.</param>
    /// <exception cref="KeyNotFoundException">The model does not define that name (as the kernel would not).</exception>
    public LayoutConstant this[string kernelName] =>
        _byKernelName.TryGetValue(kernelName, out var c)
            ? c
            : throw new KeyNotFoundException($"The {Describe()} model does not define {kernelName}.");

    /// <summary>A short description of the model, e.g. <c>SPARSEMEM_VMEMMAP (EXTREME)</c>.</summary>
    public string Describe() => Spec.Model switch
    {
        Model.Flat => "FLATMEM",
        Model.Discontig => "DISCONTIGMEM",
        _ => (Spec.Vmemmap ? "SPARSEMEM_VMEMMAP" : "SPARSEMEM") + (Spec.Extreme ? " (EXTREME)" : " (STATIC)"),
    };

    private static bool HasErrors(List<LayoutDiagnostic> problems)
    {
        foreach (var p in problems)
        {
            if (p.Descriptor.Severity == LayoutSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    // Each Define adds a constant computed by its expression and returns a term that names it, for
    // the formulas of the constants after it.
    private Term DefineInt(string kernelName, string name, Term value, string summary) =>
        Add(new LayoutConstant(kernelName, name, ConstantKind.Int, value.Bits, value.Expression, summary));

    private Term DefineCount(string kernelName, string name, Term value, string summary) =>
        Add(new LayoutConstant(kernelName, name, ConstantKind.Count, value.Bits, value.Expression, summary));

    private Term DefineMask(string kernelName, string name, Term value, string summary) =>
        Add(new LayoutConstant(kernelName, name, ConstantKind.Mask, value.Bits, value.Expression, summary));

    private Term DefineFlag(string kernelName, string name, Term value, string summary) =>
        Add(new LayoutConstant(kernelName, name, ConstantKind.Flag, value.Value != 0 ? 1UL : 0UL, value.Expression, summary));

    private Term Add(LayoutConstant constant)
    {
        _byKernelName.Add(constant.KernelName, constant);
        _constants.Add(constant);
        return Term.Of(constant);
    }
}

/// <summary>The outcome of <see cref="MemoryLayout.Compute(LayoutSpec)"/>.</summary>
/// <param name="Layout">The layout, or null when an error was found.</param>
/// <param name="Diagnostics">Every diagnostic, errors first in the order found.</param>
public sealed record LayoutResult(MemoryLayout? Layout, IReadOnlyList<LayoutDiagnostic> Diagnostics);
