using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using PhysMem.Generator.Diagnostics;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.AdditionalFiles;

/// <summary>
/// The memory map files models name with <c>MemoryMapFile</c>: each read once from the
/// AdditionalFiles by the shared <see cref="MemoryMapText"/> (the code behind the runtime's
/// <c>MemoryMap.ParseIomem</c>) into an equatable <see cref="MemoryMapInput"/>, then given to the
/// models that name it as their banks.
/// </summary>
internal static class MemoryMapParser
{
    /// <summary>The memory map names some model asks for.</summary>
    public static EquatableArray<string> WantedNames(IReadOnlyList<string?> fromAttributes)
    {
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var name in fromAttributes)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name!.Trim());
            }
        }

        return new EquatableArray<string>(new List<string>(names).ToArray());
    }

    /// <summary>Reads and parses one memory map; only the digest is kept, never the text.</summary>
    public static MemoryMapInput Read(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return new MemoryMapInput(file.Path, false, EquatableArray<BankInfo>.Empty, null);
        }

        var parsed = MemoryMapText.Parse(text.ToString());
        if (parsed.Problem is { } p)
        {
            string id = p.Kind switch
            {
                MemoryMapText.ProblemKind.HiddenAddresses => DiagnosticCatalog.MemoryMapHiddenAddresses.Id,
                MemoryMapText.ProblemKind.Overlap or MemoryMapText.ProblemKind.NumaOverlap => DiagnosticCatalog.MemoryMapOverlap.Id,
                MemoryMapText.ProblemKind.NumaUncovered => DiagnosticCatalog.MemoryMapNoNode.Id,
                _ => DiagnosticCatalog.MemoryMapMalformed.Id,
            };
            return new MemoryMapInput(file.Path, true, EquatableArray<BankInfo>.Empty, new MemoryMapProblem(id, p.Line, Locate(text, file.Path, p.Line, p.Column, p.Length), p.Detail));
        }

        // The NUMA item that gave each range its node: the part holding the range's start.
        var parts = parsed.NumaParts ?? new List<MemoryMapText.Range>();
        var banks = new List<BankInfo>();
        foreach (var r in parsed.Ranges)
        {
            LocationInfo? nodeAt = null;
            foreach (var part in parts)
            {
                if (part.Start <= r.Start && r.Start < part.End)
                {
                    nodeAt = Locate(text, file.Path, part.Line, part.Column, part.Length);
                }
            }

            banks.Add(new BankInfo(r.Start, r.End - r.Start, r.Node, Locate(text, file.Path, r.Line, r.Column, r.Length), nodeAt));
        }

        return new MemoryMapInput(file.Path, true, banks.ToEquatableArray(), null);
    }

    /// <summary>
    /// Gives a model that names a memory map the file's banks, or says why it cannot have them:
    /// the file is not an AdditionalFile (PMEM0020), has no text (PMEM0025), the model also has
    /// <c>[MemoryBank]</c>s (PMEM0021), or the file has a problem (located in the file).
    /// </summary>
    public static ResolvedInput Apply(ResolvedInput model, EquatableArray<MemoryMapInput> files)
    {
        if (model.MemoryMapFile is not { } name)
        {
            return model;
        }

        var diagnostics = new List<DiagnosticInfo>(model.Diagnostics);
        var at = Blame.Locate(new[] { "MemoryMapFile" }, model.Arguments, model.AttributeLocation);
        ResolvedInput Fail(string id, LocationInfo? where, params string[] args)
        {
            diagnostics.Add(new DiagnosticInfo(id, where, new EquatableArray<string>(args)));
            return model with { Outcome = Refuse(model.Outcome), Diagnostics = diagnostics.ToEquatableArray(), Banks = EquatableArray<BankInfo>.Empty };
        }

        if (model.Banks.Count > 0)
        {
            return Fail(DiagnosticCatalog.MemoryMapAndBanks.Id, at, model.Target?.FullName ?? string.Empty, name, model.Banks.Count.ToString(CultureInfo.InvariantCulture));
        }

        MemoryMapInput? file = null;
        foreach (var f in files)
        {
            if (KconfigFiles.Matches(f.Path, name))
            {
                file = f;
                break;
            }
        }

        if (file is null)
        {
            return Fail(DiagnosticCatalog.MemoryMapNotFound.Id, at, name);
        }

        if (!file.Readable)
        {
            return Fail(DiagnosticCatalog.MemoryMapUnreadable.Id, at, name, "the compiler returned no text for it (does it exist, and is it readable?)");
        }

        if (file.Problem is { } p)
        {
            return Fail(p.Id, p.Location ?? at, name, p.Line.ToString(CultureInfo.InvariantCulture), p.Detail);
        }

        return model with { Banks = file.Banks };
    }

    // Refused for its banks: a surface of the defaults' layout (the attribute-only one is worked out
    // only when the layers cannot be merged); a model refused before keeps its surface.
    private static ResolvedOutcome Refuse(ResolvedOutcome outcome) => outcome switch
    {
        ResolvedOutcome.Accepted a => new ResolvedOutcome.Refused(a.Target, null),
        ResolvedOutcome.Skipped => new ResolvedOutcome.Skipped(),
        _ => outcome,
    };

    private static LocationInfo Locate(SourceText text, string path, int line, int column, int length) => LocationInfo.InText(text, path, line, column, length);
}
