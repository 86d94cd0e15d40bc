using System;
using System.Collections.Generic;
using System.Linq;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// The names a mistyped word was probably meant to be: a command, an option, a preset. A name is a
/// candidate when it equals the word without case, starts with it (<c>arm64</c> for
/// <c>Arm64_4K</c>), or is a few edits away (<c>lyout</c> for <c>layout</c>, <c>x86-64</c> for
/// <c>X86_64</c>). Closest first; among equally close, in the order the names were given.
/// </summary>
internal static class DidYouMean
{
    /// <summary>More than this many candidates would be a list, not a suggestion.</summary>
    private const int MaxCandidates = 5;

    /// <summary>The names <paramref name="word"/> was probably meant to be, closest first; empty when none is close.</summary>
    public static IReadOnlyList<string> Candidates(string word, IEnumerable<string> names)
    {
        if (string.IsNullOrWhiteSpace(word))
        {
            return Array.Empty<string>();
        }

        string given = word.ToLowerInvariant();

        // One edit per three letters: 'lyout' (1 of 5) is close to 'layout', 'vax' (3 of 3) to nothing.
        int allowed = Math.Max(1, given.Length / 3);
        var scored = new List<(string Name, int Distance, int Order)>();
        int order = 0;
        foreach (string name in names)
        {
            string known = name.ToLowerInvariant();
            int distance = Distance(given, known);
            bool prefix = known.StartsWith(given, StringComparison.Ordinal);
            if (distance == 0)
            {
                return new[] { name };
            }

            if (prefix || distance <= allowed)
            {
                scored.Add((name, distance, order));
            }

            order++;
        }

        return scored.OrderBy(s => s.Distance).ThenBy(s => s.Order).Take(MaxCandidates).Select(s => s.Name).ToArray();
    }

    /// <summary>
    /// " Did you mean 'a' or 'b'?" for the candidates of <paramref name="word"/>, or an empty string
    /// when there are none; ready to append to a message that says what is wrong.
    /// </summary>
    public static string Phrase(string word, IEnumerable<string> names)
    {
        var candidates = Candidates(word, names);
        if (candidates.Count == 0)
        {
            return string.Empty;
        }

        var quoted = candidates.Select(c => "'" + c + "'").ToArray();
        string list = quoted.Length == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " or " + quoted[^1];
        return " Did you mean " + list + "?";
    }

    /// <summary>
    /// The optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbours each count one (a swap is the commonest typing slip: 'presest').
    /// </summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
