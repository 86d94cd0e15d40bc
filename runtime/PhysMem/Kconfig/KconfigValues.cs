using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// The inputs of <see cref="LayoutOptions"/> by name, as text: how each is written (<see cref="Format"/>)
/// and read back (<see cref="TrySet"/>). Every source that is not C# (MSBuild properties, a kernel
/// <c>.config</c>, the layered inputs the generator caches) goes through here, so they all spell
/// values the same way: numbers in decimal or <c>0x</c> hexadecimal, <c>true</c>/<c>false</c>,
/// enum names (<c>Sparse</c>; zones as <c>Dma, Normal, Movable</c> or <c>Dma|Normal|Movable</c>).
/// </summary>
internal static class KconfigValues
{
    /// <summary>Every input name, in the order the generated header lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "Model", "PageShift", "BitsPerLong", "SectionSizeBits", "MaxPhysmemBits", "Vmemmap", "Extreme", "ArchPfnOffset", "HolesInMemmap",
        "NodesShift", "Zones", "MaxNrZones", "ZoneDevice", "NrPageflags", "NumaBalancing", "NrCpusBits", "NrCpus", "KasanTagWidth",
        "LruGen", "PageExtension", "MaxPageOrder", "PageblockOrder", "MemoryIsolation",
    };

    /// <summary>Whether <paramref name="name"/> is an input name.</summary>
    public static bool IsName(string name) => Array.IndexOf((string[])Names, name) >= 0;

    /// <summary>The value of input <paramref name="name"/> in <paramref name="options"/> as text, or null when unset.</summary>
    public static string? Format(LayoutOptions options, string name) => name switch
    {
        "Model" => options.Model?.ToString(),
        "PageShift" => Int(options.PageShift),
        "BitsPerLong" => Int(options.BitsPerLong),
        "SectionSizeBits" => Int(options.SectionSizeBits),
        "MaxPhysmemBits" => Int(options.MaxPhysmemBits),
        "Vmemmap" => Bool(options.Vmemmap),
        "Extreme" => Bool(options.Extreme),
        "ArchPfnOffset" => options.ArchPfnOffset is ulong o ? "0x" + o.ToString("X", CultureInfo.InvariantCulture) : null,
        "HolesInMemmap" => Bool(options.HolesInMemmap),
        "NodesShift" => Int(options.NodesShift),
        "Zones" => options.Zones?.ToString(),
        "MaxNrZones" => Int(options.MaxNrZones),
        "ZoneDevice" => Bool(options.ZoneDevice),
        "NrPageflags" => Int(options.NrPageflags),
        "NumaBalancing" => Bool(options.NumaBalancing),
        "NrCpusBits" => Int(options.NrCpusBits),
        "NrCpus" => Int(options.NrCpus),
        "KasanTagWidth" => Int(options.KasanTagWidth),
        "LruGen" => Bool(options.LruGen),
        "PageExtension" => Bool(options.PageExtension),
        "MaxPageOrder" => Int(options.MaxPageOrder),
        "PageblockOrder" => Int(options.PageblockOrder),
        "MemoryIsolation" => Bool(options.MemoryIsolation),
        _ => null,
    };

    /// <summary>Sets input <paramref name="name"/> from <paramref name="text"/>.</summary>
    /// <param name="options">The options to set.</param>
    /// <param name="name">The input name (see <see cref="Names"/>).</param>
    /// <param name="text">The value as text.</param>
    /// <param name="error">What is wrong with the text, in words a user can act on.</param>
    /// <returns>False when the name is unknown or the text is not a value of the input's type.</returns>
    public static bool TrySet(LayoutOptions options, string name, string text, out string? error)
    {
        error = null;
        string t = text.Trim();
        switch (name)
        {
            case "Model":
                if (TryEnum(t, out Model model) && Enum.IsDefined(typeof(Model), model))
                {
                    options.Model = model;
                    return true;
                }

                error = "expected Flat, Discontig or Sparse";
                return false;
            case "Zones":
                if (TryZones(t, out var zones))
                {
                    options.Zones = zones;
                    return true;
                }

                error = "expected zone names separated by ',' or '|' (Dma, Dma32, Normal, HighMem, Movable, Device), or the set's bits as a number";
                return false;
            case "ArchPfnOffset":
                if (TryULong(t, out ulong offset))
                {
                    options.ArchPfnOffset = offset;
                    return true;
                }

                error = "expected an unsigned 64-bit number (decimal, or hexadecimal with 0x)";
                return false;
            case "Vmemmap": return SetBool(t, v => options.Vmemmap = v, out error);
            case "Extreme": return SetBool(t, v => options.Extreme = v, out error);
            case "HolesInMemmap": return SetBool(t, v => options.HolesInMemmap = v, out error);
            case "ZoneDevice": return SetBool(t, v => options.ZoneDevice = v, out error);
            case "NumaBalancing": return SetBool(t, v => options.NumaBalancing = v, out error);
            case "LruGen": return SetBool(t, v => options.LruGen = v, out error);
            case "PageExtension": return SetBool(t, v => options.PageExtension = v, out error);
            case "MemoryIsolation": return SetBool(t, v => options.MemoryIsolation = v, out error);
            case "PageShift": return SetInt(t, v => options.PageShift = v, out error);
            case "BitsPerLong": return SetInt(t, v => options.BitsPerLong = v, out error);
            case "SectionSizeBits": return SetInt(t, v => options.SectionSizeBits = v, out error);
            case "MaxPhysmemBits": return SetInt(t, v => options.MaxPhysmemBits = v, out error);
            case "NodesShift": return SetInt(t, v => options.NodesShift = v, out error);
            case "MaxNrZones": return SetInt(t, v => options.MaxNrZones = v, out error);
            case "NrPageflags": return SetInt(t, v => options.NrPageflags = v, out error);
            case "NrCpusBits": return SetInt(t, v => options.NrCpusBits = v, out error);
            case "NrCpus": return SetInt(t, v => options.NrCpus = v, out error);
            case "KasanTagWidth": return SetInt(t, v => options.KasanTagWidth = v, out error);
            case "MaxPageOrder": return SetInt(t, v => options.MaxPageOrder = v, out error);
            case "PageblockOrder": return SetInt(t, v => options.PageblockOrder = v, out error);
            default:
                error = "PhysMem has no input of that name";
                return false;
        }
    }

    /// <summary>Clears input <paramref name="name"/> (back to unset).</summary>
    public static void Clear(LayoutOptions options, string name)
    {
        switch (name)
        {
            case "Model": options.Model = null; break;
            case "Zones": options.Zones = null; break;
            case "ArchPfnOffset": options.ArchPfnOffset = null; break;
            case "Vmemmap": options.Vmemmap = null; break;
            case "Extreme": options.Extreme = null; break;
            case "HolesInMemmap": options.HolesInMemmap = null; break;
            case "ZoneDevice": options.ZoneDevice = null; break;
            case "NumaBalancing": options.NumaBalancing = null; break;
            case "LruGen": options.LruGen = null; break;
            case "PageExtension": options.PageExtension = null; break;
            case "MemoryIsolation": options.MemoryIsolation = null; break;
            case "PageShift": options.PageShift = null; break;
            case "BitsPerLong": options.BitsPerLong = null; break;
            case "SectionSizeBits": options.SectionSizeBits = null; break;
            case "MaxPhysmemBits": options.MaxPhysmemBits = null; break;
            case "NodesShift": options.NodesShift = null; break;
            case "MaxNrZones": options.MaxNrZones = null; break;
            case "NrPageflags": options.NrPageflags = null; break;
            case "NrCpusBits": options.NrCpusBits = null; break;
            case "NrCpus": options.NrCpus = null; break;
            case "KasanTagWidth": options.KasanTagWidth = null; break;
            case "MaxPageOrder": options.MaxPageOrder = null; break;
            case "PageblockOrder": options.PageblockOrder = null; break;
        }
    }

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

    private static string? Int(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Bool(bool? value) => value is bool b ? (b ? "true" : "false") : null;

    private static bool SetBool(string text, Action<bool> set, out string? error)
    {
        error = null;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            set(true);
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            set(false);
            return true;
        }

        error = "expected true or false";
        return false;
    }

    private static bool SetInt(string text, Action<int> set, out string? error)
    {
        error = null;
        bool negative = text.StartsWith("-", StringComparison.Ordinal);
        if (TryULong(negative ? text.Substring(1) : text, out ulong value) && value <= int.MaxValue)
        {
            set(negative ? -(int)value : (int)value);
            return true;
        }

        error = "expected a whole number (decimal, or hexadecimal with 0x)";
        return false;
    }

    private static bool TryULong(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryEnum<T>(string text, out T value)
        where T : struct
    {
        value = default;
        if (text.Length == 0 || char.IsDigit(text[0]) || text[0] == '-')
        {
            return false;
        }

        return Enum.TryParse(text, true, out value);
    }

    private static bool TryZones(string text, out Zones zones)
    {
        zones = Zones.None;
        bool negative = text.StartsWith("-", StringComparison.Ordinal);
        if (TryULong(negative ? text.Substring(1) : text, out ulong number) && number <= int.MaxValue)
        {
            // A number is taken as the bits of the set (the layout's checks name bits that are not zones).
            zones = (Zones)(negative ? -(int)number : (int)number);
            return true;
        }

        var parts = text.Split(new[] { ',', '|' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (!TryEnum(part.Trim(), out Zones one) || one == Zones.None || !Enum.IsDefined(typeof(Zones), one))
            {
                return false;
            }

            zones |= one;
        }

        return true;
    }
}
