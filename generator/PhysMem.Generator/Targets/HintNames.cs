using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Targets;

/// <summary>An identity declared by more than one [MemoryModel], and the attribute that counts (the first in file and position order).</summary>
internal sealed record FirstDeclaration(string Identity, LocationInfo? Attribute);

/// <summary>An identity whose plain hint name would not do, and the suffix that makes it unique.</summary>
internal sealed record HintSuffix(string Identity, string Suffix);

/// <summary>What every model's hint name and duplicate check need from all the others: small, and unchanged by most edits.</summary>
/// <param name="Suffixes">Identities whose plain hint name would not be unique, valid or short enough, with their suffixes.</param>
/// <param name="Duplicated">Identities carried by more than one [MemoryModel].</param>
internal sealed record NameTable(EquatableArray<HintSuffix> Suffixes, EquatableArray<FirstDeclaration> Duplicated);

/// <summary>
/// Gives every model a hint name that is unique in the compilation, whatever the program declares:
/// <c>Namespace.Outer.Type.g.cs</c> when that is unique and valid, otherwise the same with a hash of
/// the type's identity (generic containers, names equal but for case — hint names compare without
/// case —, characters a hint name cannot hold). A type carrying [MemoryModel] on two partial
/// declarations is one model: the second attribute is PMEM0029.
/// </summary>
internal static class HintNames
{
    public static NameTable Build(ImmutableArray<ModelInput> inputs)
    {
        var byIdentity = new Dictionary<string, List<LocationInfo?>>(StringComparer.Ordinal);
        var byPlainName = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            if (input.Target is not { } t)
            {
                continue;
            }

            if (!byIdentity.TryGetValue(t.Identity, out var list))
            {
                byIdentity[t.Identity] = list = new List<LocationInfo?>();
            }

            list.Add(input.AttributeLocation);
            string plain = Sanitize(t.Identity, out _);
            if (!byPlainName.TryGetValue(plain, out var identities))
            {
                byPlainName[plain] = identities = new HashSet<string>(StringComparer.Ordinal);
            }

            identities.Add(t.Identity);
        }

        // Which identities need a suffix: a plain name that another identity's meets (hint names
        // compare without case), one that had characters replaced, or one too long for a file name.
        var needing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var identities in byPlainName.Values)
        {
            foreach (var identity in identities)
            {
                string plain = Sanitize(identity, out bool changed);
                if (changed || identities.Count > 1 || plain.Length > MaxPlainLength)
                {
                    needing.Add(identity);
                }
            }
        }

        // The suffix is the identity's hash; should two hashes meet (32 bits), an ordinal follows, so
        // that the names are unique by construction, not by chance.
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var identities in byPlainName.Values)
        {
            foreach (var identity in identities)
            {
                if (!needing.Contains(identity))
                {
                    taken.Add(Sanitize(identity, out _));
                }
            }
        }

        var suffixes = new List<HintSuffix>();
        foreach (var identity in needing)
        {
            string suffix = Hash(identity);
            for (int n = 2; !taken.Add(Shorten(Sanitize(identity, out _)) + "-" + suffix); n++)
            {
                suffix = Hash(identity) + "-" + n.ToString(CultureInfo.InvariantCulture);
            }

            suffixes.Add(new HintSuffix(identity, suffix));
        }

        var duplicated = new List<FirstDeclaration>();
        foreach (var pair in byIdentity)
        {
            if (pair.Value.Count > 1)
            {
                pair.Value.Sort(Compare);
                duplicated.Add(new FirstDeclaration(pair.Key, pair.Value[0]));
            }
        }

        duplicated.Sort((a, b) => string.CompareOrdinal(a.Identity, b.Identity));
        return new NameTable(suffixes.ToEquatableArray(), duplicated.ToEquatableArray());
    }

    /// <summary>Gives the model its hint name, or refuses it as the second [MemoryModel] of its type.</summary>
    public static ModelInput Assign(ModelInput input, NameTable table)
    {
        if (input.Target is not { } t)
        {
            return input;
        }

        foreach (var d in table.Duplicated)
        {
            if (d.Identity == t.Identity && !Equals(d.Attribute, input.AttributeLocation))
            {
                string first = d.Attribute is null ? "another declaration" : System.IO.Path.GetFileName(d.Attribute.FilePath) + " (another partial declaration)";
                var diagnostic = new DiagnosticInfo(DiagnosticCatalog.DuplicateModel.Id, input.AttributeLocation, new EquatableArray<string>(new[] { t.FullName, first }));
                return ModelParser.Skipped(new EquatableArray<DiagnosticInfo>(new[] { diagnostic }), input.AttributeLocation);
            }
        }

        string name = Sanitize(t.Identity, out _);
        foreach (var s in table.Suffixes)
        {
            if (s.Identity == t.Identity)
            {
                name = Shorten(name) + "-" + s.Suffix;
                break;
            }
        }

        return input with { Outcome = input.Outcome.WithTarget(t with { HintName = name + ".g.cs" }) };
    }

    // A hint name is a file name when the generated files are written out (EmitCompilerGeneratedFiles):
    // longer ones are cut, and the hash keeps them unique.
    private const int MaxPlainLength = 100;

    private static string Shorten(string plain) => plain.Length > MaxPlainLength ? plain.Substring(0, MaxPlainLength) : plain;

    // ASCII letters, digits, '_' and '.' are valid in a hint name in every compiler; anything else
    // (the '`' of an arity, a non-ASCII letter) becomes '_', and the identity's hash keeps it unique.
    private static string Sanitize(string identity, out bool changed)
    {
        var sb = new StringBuilder(identity.Length);
        changed = false;
        foreach (char c in identity)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.';
            sb.Append(ok ? c : '_');
            changed |= !ok;
        }

        return sb.ToString();
    }

    // FNV-1a over the identity's UTF-16 code units: stable across runs and processes (string.GetHashCode is not).
    private static string Hash(string identity)
    {
        uint h = 2166136261;
        foreach (char c in identity)
        {
            h = (h ^ c) * 16777619;
        }

        return h.ToString("x8", CultureInfo.InvariantCulture);
    }

    private static int Compare(LocationInfo? a, LocationInfo? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }

        int byPath = string.CompareOrdinal(a.FilePath, b.FilePath);
        return byPath != 0 ? byPath : a.Span.Start.CompareTo(b.Span.Start);
    }
}
