using System.Collections.Generic;
using System.Globalization;
using PhysMem.Generator.Model;

namespace PhysMem.Generator.Parsing;

/// <summary>
/// Runs the shared layout arithmetic on a parsed model, checks its memory banks, and turns every
/// problem into a diagnostic located on the argument or attribute to blame.
/// </summary>
internal static class ModelValidator
{
    public static ModelResult Validate(ResolvedInput input, bool allowUnsafe)
    {
        var diagnostics = new List<DiagnosticInfo>(input.Diagnostics);
        bool ok = input.Target is not null && input.Spec is not null && !HasError(diagnostics);

        if (input.Target is not null && !allowUnsafe)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.UnsafeRequired.Id, input.AttributeLocation, new EquatableArray<string>(new[] { input.Target.FullName })));
            ok = false;
        }

        if (input.Spec is not null && !HasError(diagnostics))
        {
            var result = MemoryLayout.Compute(input.Spec);
            foreach (var p in result.Diagnostics)
            {
                diagnostics.Add(new DiagnosticInfo(p.Id, ModelParser.Locate(p.Blame, input.Arguments, input.AttributeLocation), p.Arguments.ToEquatableArray()));
            }

            if (result.Layout is null)
            {
                ok = false;
            }
            else
            {
                ok &= ValidateBanks(input.Banks, result.Layout, diagnostics);
                ok &= ValidatePageType(input.PageType, result.Layout, ModelParser.Locate(new[] { "PageType" }, input.Arguments, input.AttributeLocation), diagnostics);
            }
        }

        var banks = new List<BankInfo>();
        foreach (var b in input.Banks)
        {
            banks.Add(b.WithoutLocation());
        }

        banks.Sort((a, b) => a.Start.CompareTo(b.Start));
        return ok
            ? new ModelResult(input.Target, input.Spec, input.Inputs, banks.ToEquatableArray(), input.PageType, diagnostics.ToEquatableArray())
            : new ModelResult(null, null, input.Inputs, EquatableArray<BankInfo>.Empty, null, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// What a page type needs from the layout: a 64-bit <c>Flags</c> unless page-&gt;flags is 32 bits
    /// wide, and a <c>LastCpupid</c> field when last_cpupid does not fit in the flags.
    /// </summary>
    private static bool ValidatePageType(PageTypeInfo? page, MemoryLayout layout, LocationInfo? at, List<DiagnosticInfo> diagnostics)
    {
        if (page is null)
        {
            return true;
        }

        string? problem = null;
        if (page.Flags32 && layout.BitsPerLong > 32)
        {
            problem = $"its field 'Flags' is a uint, but page->flags is {layout.BitsPerLong} bits wide (BitsPerLong = {layout.BitsPerLong}) and its fields reach bit {layout.BitsPerLong - 1}; declare it ulong";
        }
        else if (NeedsLastCpupidField(layout) && page.LastCpupidProblem is not null)
        {
            problem = $"this layout keeps last_cpupid outside page->flags (LAST_CPUPID_NOT_IN_PAGE_FLAGS: {layout.LastCpupidShift} bits do not fit), so the page needs a uint or int field 'LastCpupid', but {page.LastCpupidProblem}";
        }

        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.PageTypeField.Id, at, new EquatableArray<string>(new[] { page.Display, problem })));
        return false;
    }

    /// <summary>True when the generated last_cpupid accessors read the page's own field (see the emitter).</summary>
    public static bool NeedsLastCpupidField(MemoryLayout layout) => layout.LastCpupidShift != 0 && layout.LastCpupidNotInPageFlags;

    /// <summary>The banks must be memory the model can describe, on nodes it has, one contiguous span per node for DISCONTIGMEM.</summary>
    private static bool ValidateBanks(EquatableArray<BankInfo> banks, MemoryLayout layout, List<DiagnosticInfo> diagnostics)
    {
        bool ok = true;
        void Bad(BankInfo b, string why)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.InvalidBank.Id, b.Location, new EquatableArray<string>(new[]
            {
                b.Start.ToString("X", CultureInfo.InvariantCulture), b.Size.ToString("X", CultureInfo.InvariantCulture), b.Node.ToString(CultureInfo.InvariantCulture), why,
            })));
            ok = false;
        }

        var sorted = new List<BankInfo>(banks);
        sorted.Sort((a, b) => a.Start.CompareTo(b.Start));
        int shift = layout.PageShift;
        BankInfo? previous = null;
        foreach (var b in sorted)
        {
            if (b.Size == 0)
            {
                Bad(b, "is empty");
            }
            else if (b.Start + b.Size < b.Start)
            {
                Bad(b, "ends beyond the 64-bit physical address space");
            }
            else if (((b.Start + layout.PageSize - 1) >> shift) >= ((b.Start + b.Size) >> shift))
            {
                Bad(b, $"holds no whole page of {layout.PageSize} bytes");
            }
            else if (b.Node < 0 || b.Node >= layout.MaxNumnodes)
            {
                Bad(b, $"is on node {b.Node}, but MAX_NUMNODES = {layout.MaxNumnodes} (NodesShift = {layout.NodesShift}): nodes run from 0 to {layout.MaxNumnodes - 1}");
            }
            else if (layout.IsSparse && layout.MaxPhysmemBits < 64 && b.Start + b.Size > 1UL << layout.MaxPhysmemBits)
            {
                Bad(b, $"ends beyond MAX_PHYSMEM_BITS = {layout.MaxPhysmemBits}, the highest address the model describes");
            }
            else if (previous is not null && b.Start < previous.Start + previous.Size)
            {
                Bad(b, $"overlaps [MemoryBank(0x{previous.Start:X}, 0x{previous.Size:X})]");
            }

            previous = b;
        }

        if (ok && layout.Model == PhysMem.Model.Discontig)
        {
            // Every node's memmap covers its span; another node's bank inside that span cannot be described.
            foreach (var b in sorted)
            {
                foreach (var other in sorted)
                {
                    if (other.Node != b.Node && other.Start > b.Start && NodeEnd(sorted, b.Node) > other.Start && NodeStart(sorted, b.Node) < other.Start)
                    {
                        Bad(other, $"lies inside the span of node {b.Node} (0x{NodeStart(sorted, b.Node):X}-0x{NodeEnd(sorted, b.Node) - 1:X}); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave");
                        return false;
                    }
                }
            }
        }

        return ok;
    }

    private static ulong NodeStart(List<BankInfo> banks, int node)
    {
        ulong start = ulong.MaxValue;
        foreach (var b in banks)
        {
            if (b.Node == node && b.Start < start)
            {
                start = b.Start;
            }
        }

        return start;
    }

    private static ulong NodeEnd(List<BankInfo> banks, int node)
    {
        ulong end = 0;
        foreach (var b in banks)
        {
            if (b.Node == node && b.Start + b.Size > end)
            {
                end = b.Start + b.Size;
            }
        }

        return end;
    }

    private static bool HasError(List<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (Diagnostics.Descriptors.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }
}
