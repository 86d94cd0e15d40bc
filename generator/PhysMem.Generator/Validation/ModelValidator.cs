using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Emitting;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Validation;

/// <summary>
/// Runs the shared layout arithmetic on a parsed model, checks its memory banks, and turns every
/// problem into a diagnostic located on the argument or attribute to blame.
/// </summary>
internal static class ModelValidator
{
    public static ModelResult Validate(ResolvedInput input, CompilationFacts facts)
    {
        var diagnostics = new List<DiagnosticInfo>(input.Diagnostics);
        var target = input.Target;

        // The layout to check: an accepted model's, or a skipped one's (its diagnostics are reported all the same).
        var spec = input.Outcome switch { ResolvedOutcome.Accepted a => a.Value, ResolvedOutcome.Skipped s => s.Checked, _ => null };
        bool ok = input.Outcome is ResolvedOutcome.Accepted && !HasError(diagnostics);
        bool allowUnsafe = facts.AllowUnsafe;
        if (target is not null && !facts.SupportsGeneratedCode)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.NotSupported.Id, input.AttributeLocation, new EquatableArray<string>(new[] { "C# " + facts.LanguageVersion,
                "the generated model uses C# 9 (init-only setters, target-typed new); set <LangVersion>9.0</LangVersion> or later, or leave it to the SDK's default" })));
            ok = false;
        }

        if (target is not null && !allowUnsafe)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.UnsafeRequired.Id, input.AttributeLocation, new EquatableArray<string>(new[] { target.FullName })));
            ok = false;
        }

        if (spec is not null && !HasError(diagnostics))
        {
            var result = MemoryLayout.Compute(spec);
            foreach (var p in result.Diagnostics)
            {
                diagnostics.Add(new DiagnosticInfo(p.Id, Blame.Locate(p.Blame, input.Arguments, input.AttributeLocation), p.Arguments.ToEquatableArray()));
            }

            if (result.Layout is null)
            {
                ok = false;
            }
            else
            {
                var rules = input.MemoryMapFile is { } file ? (BankRules)new FileBankRules(file, diagnostics) : new AttributeBankRules(diagnostics);
                ok &= ValidateBanks(input.Banks, result.Layout, rules);
                ok &= ValidatePageType(input.PageType, result.Layout, Blame.Locate(new[] { "PageType" }, input.Arguments, input.AttributeLocation), diagnostics);
            }
        }

        var banks = new List<BankInfo>();
        foreach (var b in input.Banks)
        {
            // A file's range without a whole page was reported (a warning) and is left out.
            if (input.MemoryMapFile is null || WholePages(b, spec) > 0)
            {
                banks.Add(b.WithoutLocation());
            }
        }

        banks.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (ok && input.MemoryMapFile is not null && banks.Count == 0)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.MemoryMapEmpty.Id, Blame.Locate(new[] { "MemoryMapFile" }, input.Arguments, input.AttributeLocation),
                new EquatableArray<string>(new[] { input.MemoryMapFile })));
        }

        if (spec is not null)
        {
            WarnIgnoredOptions(input, spec, diagnostics);
        }

        if (target is null)
        {
            return new ModelResult(new ModelOutcome.Skipped(), diagnostics.ToEquatableArray());
        }

        // What the generated half declares, checked against what the type already has; a refused
        // model still gets those members (throwing), so its uses compile and the PMEM error stands alone.
        var surfaceSpec = ok ? spec! : SurfaceSpec(input.Outcome is ResolvedOutcome.Refused refused ? refused.Surface : spec);
        var pageType = input.PageType ?? PageTypeInfo.Default;
        bool hasBanks = input.Banks.Count > 0 || input.MemoryMapFile is not null;
        var skip = Collisions(input, target, surfaceSpec, pageType, ok ? banks : null, hasBanks, diagnostics);
        ok &= skip.Count == 0;
        if (ok)
        {
            var built = new BuiltModel(spec!, input.Inputs, banks.ToEquatableArray(), banks.Count > 0 ? input.MemoryMapFile : null, pageType);
            return new ModelResult(new ModelOutcome.Accepted(target, built), diagnostics.ToEquatableArray());
        }

        var surface = target.CanTakeSurface && HasError(diagnostics)
            ? new SurfaceInfo(surfaceSpec, pageType, hasBanks, allowUnsafe, skip.ToEquatableArray(), FirstError(diagnostics))
            : null;
        return new ModelResult(new ModelOutcome.Refused(target, surface), diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// SPARSEMEM's options on a FLATMEM or DISCONTIGMEM model mean nothing there (the kernel offers
    /// them only under SPARSEMEM): a warning names each one the attribute sets. Set to true, Vmemmap
    /// and Extreme are errors already (PMEM0004).
    /// </summary>
    private static void WarnIgnoredOptions(ResolvedInput input, LayoutSpec spec, List<DiagnosticInfo> diagnostics)
    {
        if (spec.Model == Model.Sparse)
        {
            return;
        }

        foreach (var i in input.Inputs)
        {
            if (i.Source == "attribute" && i.Name is "SectionSizeBits" or "MaxPhysmemBits" or "Vmemmap" or "Extreme" && !(i.Name is "Vmemmap" or "Extreme" && i.Value == "true"))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.OptionIgnored.Id, Blame.Locate(new[] { i.Name }, input.Arguments, input.AttributeLocation),
                    new EquatableArray<string>(new[] { i.Name + " = " + i.Value, "the model is " + (spec.Model == Model.Flat ? "FLATMEM" : "DISCONTIGMEM") + ", which has no sections; the option applies to Model.Sparse only" })));
            }
        }
    }

    /// <summary>
    /// A layout of the refused model's kind that can be computed, so its surface has the members its
    /// uses expect: its own; else its own with one numeric input back at its default (the value that
    /// was refused, most often); else the defaults with its model and section table; else the defaults.
    /// </summary>
    private static LayoutSpec SurfaceSpec(LayoutSpec? spec)
    {
        if (spec is null)
        {
            return new LayoutSpec();
        }

        var defaults = new LayoutSpec();
        var candidates = new List<LayoutSpec>
        {
            spec,
            spec with { PageShift = defaults.PageShift }, spec with { BitsPerLong = defaults.BitsPerLong }, spec with { SectionSizeBits = defaults.SectionSizeBits },
            spec with { MaxPhysmemBits = defaults.MaxPhysmemBits }, spec with { NodesShift = defaults.NodesShift }, spec with { Zones = defaults.Zones, MaxNrZones = defaults.MaxNrZones },
            spec with { NrPageflags = defaults.NrPageflags }, spec with { NrCpusBits = defaults.NrCpusBits }, spec with { MaxPageOrder = defaults.MaxPageOrder, PageblockOrder = defaults.PageblockOrder },
            spec with { StructPageSize = defaults.StructPageSize }, spec with { ArchPfnOffset = defaults.ArchPfnOffset },
            new LayoutSpec { Model = spec.Model, Vmemmap = spec.Vmemmap, Extreme = spec.Extreme, KasanTagWidth = spec.KasanTagWidth, LruGen = spec.LruGen },
            new LayoutSpec { Model = spec.Model, Vmemmap = spec.Vmemmap, Extreme = spec.Extreme },
            new LayoutSpec { Model = spec.Model },
        };
        foreach (var candidate in candidates)
        {
            if (MemoryLayout.Compute(candidate).Layout is not null)
            {
                return candidate;
            }
        }

        return defaults;
    }

    /// <summary>
    /// Reports (PMEM0032) every member of the type that a generated member would collide with, and
    /// a type named like one of its generated members; returns the generated names they take. The
    /// generated half is emitted and read back only when some name could collide at all.
    /// </summary>
    private static List<string> Collisions(ResolvedInput input, ModelTarget target, LayoutSpec spec, PageTypeInfo pageType, List<BankInfo>? banks, bool hasBanks, List<DiagnosticInfo> diagnostics)
    {
        var taken = new List<string>();
        string typeName = target.Name.TrimStart('@');
        var candidates = input.Members.Where(m => GeneratedSurface.MayCollide(m.Name)).ToList();
        if (candidates.Count == 0 && !GeneratedSurface.MayCollide(typeName))
        {
            return taken;
        }

        var emitBanks = banks ?? (hasBanks ? new List<BankInfo> { new(0, 1UL << spec.PageShift, 0, null) } : new List<BankInfo>());
        var generated = GeneratedSurface.Read(Emitting.ModelEmitter.Emit(target, spec, input.Inputs, emitBanks.ToEquatableArray(), input.MemoryMapFile, pageType), typeName);
        foreach (var (user, member) in GeneratedSurface.Collisions(candidates, generated))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.MemberConflict.Id, user.Location ?? input.AttributeLocation, new EquatableArray<string>(new[] { user.Display, target.FullName, member.Signature.Trim() })));
            taken.Add(member.Name);
        }

        foreach (var member in generated)
        {
            if (member.Name == typeName)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.MemberConflict.Id, input.AttributeLocation, new EquatableArray<string>(new[] { "The type's own name", target.FullName, member.Signature.Trim() })));
                taken.Add(member.Name);
            }
        }

        return taken;
    }

    /// <summary>The first error, as a refused model's members say it when called.</summary>
    private static string FirstError(List<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var descriptor = Diagnostics.Descriptors.Get(d.Id);
            if (descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return IndentedWriter.OneLine(d.Id + ": " + string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), d.Arguments.ToArray<object>()));
            }
        }

        return string.Empty;
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
        else if (layout.LastCpupidNotInPageFlags && page.LastCpupidProblem is not null)
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

    private static ulong WholePages(BankInfo b, LayoutSpec? spec)
    {
        int shift = spec?.PageShift ?? 12;
        ulong first = (b.Start + (1UL << shift) - 1) >> shift;
        ulong end = (b.Start + b.Size) >> shift;
        return end > first ? end - first : 0;
    }

    /// <summary>The banks must be memory the model can describe, on nodes it has, one contiguous span per node for DISCONTIGMEM.</summary>
    private static bool ValidateBanks(EquatableArray<BankInfo> banks, MemoryLayout layout, BankRules rules)
    {
        var sorted = new List<BankInfo>(banks);
        sorted.Sort((a, b) => a.Start.CompareTo(b.Start));
        int shift = layout.PageShift;
        BankInfo? previous = null;
        foreach (var b in sorted)
        {
            if (b.Size == 0)
            {
                rules.Invalid(b, "is empty");
            }
            else if (b.Start + b.Size < b.Start)
            {
                rules.Invalid(b, "ends beyond the 64-bit physical address space");
            }
            else if (((b.Start + layout.PageSize - 1) >> shift) >= ((b.Start + b.Size) >> shift))
            {
                rules.NoWholePage(b, layout.PageSize);
            }
            else if (b.Node < 0 || b.Node >= layout.MaxNumnodes)
            {
                rules.NodeTooLarge(b, layout);
            }
            else if (layout.BeyondPhysicalAddressLimit(b.Start + b.Size) is { } beyond)
            {
                rules.Beyond(b, beyond);
            }
            else if (previous is not null && b.Start < previous.Start + previous.Size)
            {
                rules.Invalid(b, $"overlaps [MemoryBank(0x{previous.Start:X}, 0x{previous.Size:X})]");
            }

            previous = b;
        }

        if (rules.Ok && layout.Model == Model.Discontig)
        {
            // Every node's memmap covers its span; another node's bank inside that span cannot be described.
            foreach (var b in sorted)
            {
                foreach (var other in sorted)
                {
                    if (other.Node != b.Node && other.Start > b.Start && NodeEnd(sorted, b.Node) > other.Start && NodeStart(sorted, b.Node) < other.Start)
                    {
                        rules.Interleaved(other, b.Node, NodeStart(sorted, b.Node), NodeEnd(sorted, b.Node));
                        return false;
                    }
                }
            }
        }

        return rules.Ok;
    }

    /// <summary>How a broken bank rule is reported: as PMEM0010 on a [MemoryBank], or with its own ID on a line of a memory map file.</summary>
    private abstract class BankRules(List<DiagnosticInfo> diagnostics)
    {
        public bool Ok { get; private set; } = true;

        public abstract void Invalid(BankInfo b, string why);

        public abstract void NoWholePage(BankInfo b, ulong pageSize);

        public abstract void NodeTooLarge(BankInfo b, MemoryLayout layout);

        public abstract void Beyond(BankInfo b, string why);

        public abstract void Interleaved(BankInfo b, int node, ulong spanStart, ulong spanEnd);

        protected void Add(string id, LocationInfo? at, bool error, params string[] args)
        {
            diagnostics.Add(new DiagnosticInfo(id, at, new EquatableArray<string>(args)));
            Ok &= !error;
        }

        protected static string D(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class AttributeBankRules(List<DiagnosticInfo> diagnostics) : BankRules(diagnostics)
    {
        public override void Invalid(BankInfo b, string why) => Add(DiagnosticCatalog.InvalidBank.Id, b.Location, true,
            b.Start.ToString("X", CultureInfo.InvariantCulture), b.Size.ToString("X", CultureInfo.InvariantCulture), D(b.Node), why);

        public override void NoWholePage(BankInfo b, ulong pageSize) => Invalid(b, $"holds no whole page of {pageSize} bytes");

        public override void NodeTooLarge(BankInfo b, MemoryLayout layout) =>
            Invalid(b, $"is on node {b.Node}, but MAX_NUMNODES = {layout.MaxNumnodes} (NodesShift = {layout.NodesShift}): nodes run from 0 to {layout.MaxNumnodes - 1}");

        public override void Beyond(BankInfo b, string why) => Invalid(b, why);

        public override void Interleaved(BankInfo b, int node, ulong spanStart, ulong spanEnd) =>
            Invalid(b, $"lies inside the span of node {node} (0x{spanStart:X}-0x{spanEnd - 1:X}); DISCONTIGMEM gives each node one contiguous memmap, so node spans must not interleave");
    }

    private sealed class FileBankRules(string file, List<DiagnosticInfo> diagnostics) : BankRules(diagnostics)
    {
        // A file's banks are never empty, never wrap and never overlap: MemoryMapText refuses those.
        public override void Invalid(BankInfo b, string why) => Add(DiagnosticCatalog.MemoryMapMalformed.Id, b.Location, true, file, Line(b), "the memory range " + Range(b) + " " + why);

        public override void NoWholePage(BankInfo b, ulong pageSize) => Add(DiagnosticCatalog.MemoryMapNoWholePage.Id, b.Location, false, file, Line(b), Range(b), D((long)pageSize));

        public override void NodeTooLarge(BankInfo b, MemoryLayout layout) => Add(DiagnosticCatalog.MemoryMapNodeTooLarge.Id, b.NodeLocation ?? b.Location, true,
            file, Line(b.NodeLocation ?? b.Location), Range(b), D(b.Node), D(layout.NodesShift), D(layout.MaxNumnodes), D(layout.MaxNumnodes - 1));

        public override void Beyond(BankInfo b, string why) => Add(DiagnosticCatalog.MemoryMapBeyondMaxPhysmem.Id, b.Location, true, file, Line(b), Range(b), why);

        public override void Interleaved(BankInfo b, int node, ulong spanStart, ulong spanEnd) => Add(DiagnosticCatalog.MemoryMapNodesInterleave.Id, b.Location, true,
            file, Line(b), Range(b), D(b.Node), D(node), $"0x{spanStart:x}-0x{spanEnd - 1:x}");

        private static string Range(BankInfo b) => $"0x{b.Start:x}-0x{b.Start + b.Size - 1:x}";

        private static string Line(BankInfo b) => Line(b.Location);

        private static string Line(LocationInfo? at) => D((at?.LineSpan.Start.Line ?? -1) + 1);
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
