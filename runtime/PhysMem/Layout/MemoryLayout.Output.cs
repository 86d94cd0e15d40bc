using System.Globalization;
using System.Text;

namespace PhysMem;

// Printed forms of a layout: the kernel's #defines, the JSON manifest for tools.
public sealed partial class MemoryLayout
{
    /// <summary>
    /// Every value as a C preprocessor line with the kernel's own name and a decimal value,
    /// one per line (<c>#define SECTIONS_SHIFT 18</c>); yes/no facts print as 0 or 1.
    /// </summary>
    /// <returns>The lines, each ending in a newline.</returns>
    public string ToKernelDefines()
    {
        var sb = new StringBuilder();
        foreach (var c in _constants)
        {
            sb.Append("#define ").Append(c.KernelName).Append(' ').Append(c.DecimalText).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// The lines mm/mm_init.c's <c>mminit_verify_pageflags_layout</c> prints at boot with
    /// <c>mminit_loglevel=4</c> (and CONFIG_DEBUG_MEMORY_INIT), in the kernel's wording, without
    /// the log prefix: widths, shifts, pgshifts, the node/zone id range and the usage line, then
    /// the notes the kernel prints when a field was moved out of <c>page-&gt;flags</c>.
    /// </summary>
    /// <returns>The lines, each ending in a newline.</returns>
    public string ToMminitLines()
    {
        var c = CultureInfo.InvariantCulture;
        int width = BitsPerLong - NrNonPageflagBits;
        var sb = new StringBuilder();
        sb.Append(string.Format(c, "mminit::pageflags_layout_widths Section {0} Node {1} Zone {2} Lastcpupid {3} Kasantag {4} Gen {5} Tier {6} Flags {7}\n",
            SectionsWidth, NodesWidth, ZonesWidth, LastCpupidWidth, KasanTagWidth, LruGenWidth, LruRefsWidth, NrPageflags));
        sb.Append(string.Format(c, "mminit::pageflags_layout_shifts Section {0} Node {1} Zone {2} Lastcpupid {3} Kasantag {4}\n",
            SectionsShift, NodesShift, ZonesShift, LastCpupidShift, KasanTagWidth));
        sb.Append(string.Format(c, "mminit::pageflags_layout_pgshifts Section {0} Node {1} Zone {2} Lastcpupid {3} Kasantag {4}\n",
            SectionsPgshift, NodesPgshift, ZonesPgshift, LastCpupidPgshift, KasanTagPgshift));
        sb.Append(string.Format(c, "mminit::pageflags_layout_nodezoneid Node/Zone ID: {0} -> {1}\n", ZoneidPgoff + ZoneidShift, ZoneidPgoff));
        sb.Append(string.Format(c, "mminit::pageflags_layout_usage location: {0} -> {1} layout {1} -> {2} unused {2} -> 0 page-flags\n", BitsPerLong, width, NrPageflags));
        if (NodeNotInPageFlags)
        {
            sb.Append("mminit::pageflags_layout_nodeflags Node not in page flags\n");
        }

        if (LastCpupidNotInPageFlags)
        {
            sb.Append("mminit::pageflags_layout_nodeflags Last cpupid not in page flags\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The layout as one JSON object: the model, then every value under its kernel name
    /// (numbers; yes/no facts as true/false), then the non-error diagnostics.
    /// </summary>
    /// <returns>Indented JSON text.</returns>
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append("  \"model\": \"").Append(Describe()).Append("\",\n");
        sb.Append("  \"values\": {\n");
        for (int i = 0; i < _constants.Count; i++)
        {
            var c = _constants[i];
            string value = c.Kind == ConstantKind.Flag ? (c.Value != 0 ? "true" : "false") : c.DecimalText;
            sb.Append("    \"").Append(c.KernelName).Append("\": ").Append(value).Append(i + 1 < _constants.Count ? ",\n" : "\n");
        }

        sb.Append("  },\n");
        sb.Append("  \"diagnostics\": [");
        for (int i = 0; i < _diagnostics.Count; i++)
        {
            var d = _diagnostics[i];
            sb.Append(i == 0 ? "\n" : ",\n");
            sb.Append("    { \"id\": \"").Append(d.Id).Append("\", \"message\": \"").Append(Escape(d.Message)).Append("\" }");
        }

        sb.Append(_diagnostics.Count > 0 ? "\n  ]\n" : "]\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                default:
                    if (ch < ' ')
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
