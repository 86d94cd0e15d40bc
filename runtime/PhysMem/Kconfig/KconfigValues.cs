using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// The inputs of <see cref="LayoutOptions"/> by name, as text: how each is written (<see cref="Format"/>)
/// and read back (<see cref="TrySet"/>), as the rows of <see cref="InputTable"/> say. Every source that
/// is not C# (MSBuild properties, a kernel <c>.config</c>, the layered inputs the generator caches) goes
/// through here, so they all spell values the same way: numbers in decimal or <c>0x</c> hexadecimal,
/// <c>true</c>/<c>false</c>, enum names (<c>Sparse</c>; zones as <c>Dma, Normal, Movable</c> or <c>Dma|Normal|Movable</c>).
/// </summary>
internal static class KconfigValues
{
    /// <summary>Every input <see cref="LayoutOptions"/> has, in the order the generated header lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = OptionNames();

    /// <summary>Whether <paramref name="name"/> is an input name.</summary>
    public static bool IsName(string name) => InputTable.Find(name) is { OnOptions: true };

    /// <summary>The value of input <paramref name="name"/> in <paramref name="options"/> as text, or null when unset.</summary>
    public static string? Format(LayoutOptions options, string name) => InputTable.Find(name)?.Format(options);

    /// <summary>Sets input <paramref name="name"/> from <paramref name="text"/>.</summary>
    /// <param name="options">The options to set.</param>
    /// <param name="name">The input name (see <see cref="Names"/>).</param>
    /// <param name="text">The value as text.</param>
    /// <param name="error">What is wrong with the text, in words a user can act on.</param>
    /// <returns>False when the name is unknown or the text is not a value of the input's type.</returns>
    public static bool TrySet(LayoutOptions options, string name, string text, out string? error)
    {
        if (InputTable.Find(name) is { OnOptions: true } input)
        {
            return input.TrySet(options, text.Trim(), out error);
        }

        error = "PhysMem has no input of that name";
        return false;
    }

    /// <summary>Clears input <paramref name="name"/> (back to unset).</summary>
    public static void Clear(LayoutOptions options, string name) => InputTable.Find(name)?.Clear(options);

    /// <summary>Reads an <see cref="Arch"/> preset name, compared without case.</summary>
    public static bool TryArch(string text, out Arch arch)
    {
        foreach (var a in ArchPresets.All)
        {
            if (string.Equals(a.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                arch = a;
                return true;
            }
        }

        arch = default;
        return false;
    }

    private static string[] OptionNames()
    {
        var names = new List<string>();
        foreach (var input in InputTable.All)
        {
            if (input.OnOptions)
            {
                names.Add(input.Name);
            }
        }

        return names.ToArray();
    }
}
