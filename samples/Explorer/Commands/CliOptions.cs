using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// Option factories with the error messages a user needs: which option, what was given, what
/// is accepted. Numbers are decimal or <c>0x</c> hexadecimal.
/// </summary>
internal static class CliOptions
{
    /// <summary>An option that takes a whole number; null when it is not given.</summary>
    public static Option<int?> Number(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => TryParse(result, name, int.MaxValue, out ulong value) ? (int)value : null,
    };

    /// <summary>An option that takes an unsigned 64-bit number; null when it is not given.</summary>
    public static Option<ulong?> BigNumber(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => TryParse(result, name, ulong.MaxValue, out ulong value) ? value : null,
    };

    /// <summary>An option that may be given several times, each time with an unsigned 64-bit number; empty when it is not given.</summary>
    public static Option<ulong[]> BigNumbers(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var values = new ulong[result.Tokens.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (!TryParse(result, result.Tokens[i].Value, name, ulong.MaxValue, out values[i]))
                {
                    return [];
                }
            }

            return values;
        },
    };

    /// <summary>A yes/no option: given alone it means true; "false" after it turns a preset's value off.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>The <c>--arch</c> option: a preset name, compared without case.</summary>
    public static Option<Arch?> Arch() => new("--arch")
    {
        Description = "Start from an architecture preset (see 'physmem presets'); options given explicitly win over the preset's values.",
        HelpName = "NAME",
        CustomParser = ParseArch,
    };

    /// <summary>The <c>--kconfig</c> option: a kernel .config, or /proc/config.gz (read through gzip).</summary>
    public static Option<FileInfo?> Kconfig() => new("--kconfig")
    {
        Description = "Take the inputs from a kernel configuration: a .config, /boot/config-$(uname -r), or /proc/config.gz (decompressed as it is read). Options given explicitly win over its values, and its values over --arch.",
        HelpName = "FILE",
    };

    /// <summary>Whether the option appears on the command line.</summary>
    public static bool IsGiven(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static Arch? ParseArch(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        foreach (var arch in ArchPresets.All)
        {
            if (string.Equals(arch.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return arch;
            }
        }

        // A near miss names the presets it is close to ('arm64': the four arm64 presets); anything
        // else lists them all.
        var names = ArchPresets.All.Select(a => a.ToString());
        string suggestion = DidYouMean.Phrase(text, names);
        result.AddError(suggestion.Length > 0
            ? $"--arch: '{text}' is not an architecture preset.{suggestion}"
            : $"--arch: '{text}' is not an architecture preset. Known presets: {string.Join(", ", ArchPresets.All)}.");
        return null;
    }

    private static bool TryParse(ArgumentResult result, string name, ulong max, out ulong value) =>
        TryParse(result, result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty, name, max, out value);

    private static bool TryParse(ArgumentResult result, string text, string name, ulong max, out ulong value)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        bool parsed = hex
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (parsed && value <= max)
        {
            return true;
        }

        string range = max == ulong.MaxValue ? "an unsigned 64-bit number" : "a whole number from 0 to " + max.ToString(CultureInfo.InvariantCulture);
        result.AddError($"{name} expects {range} (decimal, or hexadecimal with 0x), not '{text}'.");
        value = 0;
        return false;
    }
}
