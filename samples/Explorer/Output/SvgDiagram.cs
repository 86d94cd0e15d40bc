using System.Collections.Generic;
using System.Globalization;
using System.Text;
using static PhysMem.Explorer.Output.Units;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The <c>page-&gt;flags</c> bit layout as an SVG picture: one box per bit from the top bit down,
/// each field coloured with its name and bit range, the unused bits hatched, and the section and
/// root table sizes below. Drawn from <see cref="FlagFields"/>, the same list as the text report.
/// </summary>
internal static class SvgDiagram
{
    private const int Cell = 16;
    private const int Left = 20;
    private const int Top = 56;

    private static readonly Dictionary<string, string> Colours = new()
    {
        ["section"] = "#8dd3c7", ["node"] = "#80b1d3", ["zone"] = "#fdb462", ["last_cpupid"] = "#b3de69",
        ["kasan tag"] = "#fccde5", ["lru gen"] = "#bebada", ["lru refs"] = "#ffffb3", ["unused"] = "#ffffff", ["page flags"] = "#d9d9d9",
    };

    public static string Render(MemoryLayout l)
    {
        int bits = l.BitsPerLong;
        int width = Left * 2 + bits * Cell;
        var lines = new List<string>
        {
            $"{l.Describe()}, {bits}-bit, PAGE_SHIFT {l.PageShift}",
        };
        if (l.IsSparse)
        {
            lines.Add($"NR_MEM_SECTIONS {Decimal((long)l.NrMemSections)} (SECTIONS_SHIFT {l.SectionsShift}), PAGES_PER_SECTION {Decimal((long)l.PagesPerSection)}, memmap per section {Human((ulong)l.PagesPerSection * (ulong)l.StructPageSize)}");
            lines.Add(l.IsExtreme
                ? $"EXTREME: {Decimal((long)l.NrSectionRoots)} roots ({Human(l.NrSectionRoots * (ulong)(l.BitsPerLong / 8))} of root pointers), {Decimal((long)l.SectionsPerRoot)} sections per root"
                : $"static table: {Decimal((long)l.NrMemSections)} entries of {l.MemSectionSize} bytes ({Human(l.NrMemSections * (ulong)l.MemSectionSize)})");
        }

        int height = Top + Cell * 3 + 40 + (lines.Count * 18);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"11\">\n");
        sb.Append("  <defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bbbbbb\" stroke-width=\"2\"/></pattern></defs>\n");
        sb.Append(CultureInfo.InvariantCulture, $"  <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">page-&gt;flags</text>\n");

        // Bit numbers above every fourth bit, the top bit at the left.
        for (int bit = bits - 1; bit >= 0; bit--)
        {
            if (bit % 4 == 3 || bit == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  <text x=\"{X(bits, bit) + (Cell / 2)}\" y=\"{Top - 6}\" text-anchor=\"middle\" fill=\"#555555\">{bit}</text>\n");
            }
        }

        foreach (var f in FlagFields.Of(l))
        {
            int x = X(bits, f.High);
            int w = f.Width * Cell;
            string fill = f.Name == "unused" ? "url(#hatch)" : Colours.GetValueOrDefault(f.Name, "#eeeeee");
            sb.Append(CultureInfo.InvariantCulture, $"  <g><title>{Escape(f.Name)}: bits {f.High}-{f.Offset}. {Escape(f.Detail)}</title>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    <rect x=\"{x}\" y=\"{Top}\" width=\"{w}\" height=\"{Cell * 2}\" fill=\"{fill}\" stroke=\"#333333\"/>\n");
            for (int i = 1; i < f.Width; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    <line x1=\"{x + (i * Cell)}\" y1=\"{Top + Cell + 8}\" x2=\"{x + (i * Cell)}\" y2=\"{Top + (Cell * 2)}\" stroke=\"#999999\"/>\n");
            }

            string label = w >= 7 * (f.Name.Length + 2) ? $"{f.Name} ({f.Width})" : f.Width.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"    <text x=\"{x + (w / 2)}\" y=\"{Top + Cell + 3}\" text-anchor=\"middle\">{Escape(label)}</text>\n  </g>\n");
        }

        int y = Top + (Cell * 3) + 20;
        foreach (string line in lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Left}\" y=\"{y}\">{Escape(line)}</text>\n");
            y += 18;
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static int X(int bits, int bit) => Left + ((bits - 1 - bit) * Cell);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
