using System;
using System.Globalization;

namespace PhysMem.Explorer.Output;

/// <summary>Numbers as people read them: "16384 bytes (16 KiB)", "0x3ff".</summary>
internal static class Units
{
    private static readonly string[] Binary = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };

    /// <summary>Exact bytes, with the binary unit beside them from 1 KiB up.</summary>
    public static string Bytes(UInt128 bytes) =>
        bytes < 1024 ? Decimal(bytes) + " bytes" : Decimal(bytes) + " bytes (" + Human(bytes) + ")";

    /// <summary>Bytes in the largest binary unit that keeps the value at 1 or more: "128 MiB", "1.5 GiB".</summary>
    public static string Human(UInt128 bytes)
    {
        if (bytes < 1024)
        {
            return Decimal(bytes) + " bytes";
        }

        double value = (double)bytes;
        int unit = -1;
        while (value >= 1024 && unit + 1 < Binary.Length)
        {
            value /= 1024;
            unit++;
        }

        string format = value == Math.Floor(value) ? "0" : "0.##";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Binary[unit];
    }

    /// <summary>A number in decimal, invariant culture.</summary>
    public static string Decimal(UInt128 value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number in decimal, invariant culture.</summary>
    public static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A mask in lower-case hexadecimal with <c>0x</c>, as the kernel writes them.</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
