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
            }
        }

        var banks = new List<BankInfo>();
        foreach (var b in input.Banks)
        {
            banks.Add(b.WithoutLocation());
        }

        banks.Sort((a, b) => a.Start.CompareTo(b.Start));
        return ok
            ? new ModelResult(input.Target, input.Spec, input.Inputs, banks.ToEquatableArray(), diagnostics.ToEquatableArray())
            : new ModelResult(null, null, input.Inputs, EquatableArray<BankInfo>.Empty, diagnostics.ToEquatableArray());
    }

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
            else if (layout.BeyondPhysicalAddressLimit(b.Start + b.Size) is { } beyond)
            {
                Bad(b, beyond);
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
