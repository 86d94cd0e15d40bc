using System;
using System.Collections.Generic;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// How the values of one input type are written and read as text: every source that is not C#
/// (MSBuild properties, a kernel <c>.config</c>, the layered inputs the generator caches) spells
/// them the same way — numbers in decimal or <c>0x</c> hexadecimal, <c>true</c>/<c>false</c>, enum
/// names (<c>Sparse</c>; zones as <c>Dma, Normal, Movable</c> or <c>Dma|Normal|Movable</c>).
/// </summary>
/// <typeparam name="T">The input's type.</typeparam>
internal abstract class InputFormat<T>
    where T : struct
{
    /// <summary>The value as people read it.</summary>
    public abstract string Text(T value);

    /// <summary>The value as a fully qualified C# expression.</summary>
    public virtual string CSharp(T value) => Text(value);

    /// <summary>Reads a value from text.</summary>
    public abstract bool TryParse(string text, out T value, out string? error);

    /// <summary>Takes a constant of the attribute property's type (an enum as its underlying int).</summary>
    public virtual bool TryFromConstant(object constant, out T value)
    {
        if (constant is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }
}

/// <summary>The formats of the input types, built once.</summary>
internal static class InputFormats
{
    public static readonly InputFormat<int> Int = new IntFormat();
    public static readonly InputFormat<bool> Bool = new BoolFormat();
    public static readonly InputFormat<ulong> Hex = new HexFormat();
    public static readonly InputFormat<Model> Model = new ModelFormat();
    public static readonly InputFormat<Zones> Zones = new ZonesFormat();

    internal static bool TryULong(string text, out ulong value)
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

    private static bool TrySignedInt(string text, out int value)
    {
        bool negative = text.StartsWith("-", StringComparison.Ordinal);
        if (TryULong(negative ? text.Substring(1) : text, out ulong number) && number <= int.MaxValue)
        {
            value = negative ? -(int)number : (int)number;
            return true;
        }

        value = 0;
        return false;
    }

    private sealed class IntFormat : InputFormat<int>
    {
        public override string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        public override bool TryParse(string text, out int value, out string? error)
        {
            error = TrySignedInt(text, out value) ? null : "expected a whole number (decimal, or hexadecimal with 0x)";
            return error is null;
        }
    }

    private sealed class BoolFormat : InputFormat<bool>
    {
        public override string Text(bool value) => value ? "true" : "false";

        public override bool TryParse(string text, out bool value, out string? error)
        {
            value = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
            bool ok = value || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
            error = ok ? null : "expected true or false";
            return ok;
        }
    }

    private sealed class HexFormat : InputFormat<ulong>
    {
        public override string Text(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture);

        public override string CSharp(ulong value) => Text(value) + "UL";

        public override bool TryParse(string text, out ulong value, out string? error)
        {
            error = TryULong(text, out value) ? null : "expected an unsigned 64-bit number (decimal, or hexadecimal with 0x)";
            return error is null;
        }
    }

    private sealed class ModelFormat : InputFormat<Model>
    {
        public override string Text(Model value) => value.ToString();

        public override string CSharp(Model value) => "global::PhysMem.Model." + value;

        public override bool TryParse(string text, out Model value, out string? error)
        {
            bool ok = TryEnum(text, out value) && Enum.IsDefined(typeof(Model), value);
            error = ok ? null : "expected Flat, Discontig or Sparse";
            return ok;
        }

        // The attribute gives the model to its constructor: a named "Model" is not a layout input.
        public override bool TryFromConstant(object constant, out Model value)
        {
            value = default;
            return false;
        }
    }

    private sealed class ZonesFormat : InputFormat<Zones>
    {
        private static readonly Zones[] Each = { PhysMem.Zones.Dma, PhysMem.Zones.Dma32, PhysMem.Zones.Normal, PhysMem.Zones.HighMem, PhysMem.Zones.Movable, PhysMem.Zones.Device };

        public override string Text(Zones value) => value.ToString();

        public override string CSharp(Zones value)
        {
            if (value == PhysMem.Zones.None)
            {
                return "global::PhysMem.Zones.None";
            }

            var parts = new List<string>();
            foreach (Zones z in Each)
            {
                if ((value & z) != 0)
                {
                    parts.Add("global::PhysMem.Zones." + z);
                }
            }

            return string.Join(" | ", parts);
        }

        public override bool TryParse(string text, out Zones value, out string? error)
        {
            error = TryZones(text, out value) ? null : "expected zone names separated by ',' or '|' (Dma, Dma32, Normal, HighMem, Movable, Device), or the set's bits as a number";
            return error is null;
        }

        // An enum constant reaches the attribute's reader as its underlying int.
        public override bool TryFromConstant(object constant, out Zones value)
        {
            value = constant is int bits ? (Zones)bits : PhysMem.Zones.None;
            return constant is int;
        }

        private static bool TryZones(string text, out Zones zones)
        {
            zones = PhysMem.Zones.None;
            if (TrySignedInt(text, out int number))
            {
                // A number is taken as the bits of the set (the layout's checks name bits that are not zones).
                zones = (Zones)number;
                return true;
            }

            var parts = text.Split(new[] { ',', '|' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                return false;
            }

            foreach (var part in parts)
            {
                if (!TryEnum(part.Trim(), out Zones one) || one == PhysMem.Zones.None || !Enum.IsDefined(typeof(Zones), one))
                {
                    return false;
                }

                zones |= one;
            }

            return true;
        }
    }
}
