using System.Globalization;

namespace PhysMem;

// Sizes as people read them in messages: "2 MiB", "1.5 GiB", "1 TiB".
internal static class ByteSize
{
    private static readonly string[] Units = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

    internal static string Format(ulong bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value >= 100 || value == System.Math.Floor(value) ? "0" : "0.##", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    // "1099511627776 bytes (1 TiB)".
    internal static string Describe(ulong bytes) =>
        bytes.ToString(CultureInfo.InvariantCulture) + " bytes" + (bytes >= 1024 ? " (" + Format(bytes) + ")" : string.Empty);
}
