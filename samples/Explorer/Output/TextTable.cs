using System;
using System.Collections.Generic;
using System.IO;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PhysMem.Explorer.Output;

/// <summary>
/// Rows of cells written with every column padded to its widest cell. A table made with a header
/// row is drawn with Spectre.Console (a bordered table, a bold header, marked rows in colour) when
/// it goes to a terminal (<see cref="Terminal.IsRich"/>); everywhere else it is the plain text.
/// </summary>
internal sealed class TextTable
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = new();
    private readonly HashSet<int> _marked = new();
    private readonly bool _header;

    /// <summary>Creates a table.</summary>
    /// <param name="header">Whether the first row names the columns (and the table may be drawn on a terminal).</param>
    public TextTable(bool header = false) => _header = header;

    /// <summary>Adds a row; rows may have different numbers of cells.</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Adds a row that stands out on a terminal (a difference, a refusal); plain text shows it as any other row.</summary>
    public void AddMarked(params string[] cells)
    {
        _marked.Add(_rows.Count);
        _rows.Add(cells);
    }

    /// <summary>Writes the rows, each line starting with <paramref name="indent"/> and without trailing spaces.</summary>
    public void Write(TextWriter writer, string indent = "  ")
    {
        if (_header && _rows.Count > 0 && Terminal.IsRich(writer))
        {
            WriteRich(writer, AnsiSupport.Detect, ColorSystemSupport.Detect);
            return;
        }

        var widths = new List<int>();
        foreach (var row in _rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                if (i == widths.Count)
                {
                    widths.Add(0);
                }

                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in _rows)
        {
            var line = new System.Text.StringBuilder(indent);
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(i + 1 < row.Length ? row[i].PadRight(widths[i]) + Gap : row[i]);
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>Draws the table with Spectre.Console: a rounded border, the header bold, marked rows yellow.</summary>
    /// <param name="writer">The output.</param>
    /// <param name="ansi">Whether to write escape codes (detected from the terminal, or forced by a test).</param>
    /// <param name="colours">The colours the terminal has.</param>
    internal void WriteRich(TextWriter writer, AnsiSupport ansi, ColorSystemSupport colours)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = ansi, ColorSystem = colours });
        var table = new Table().Border(TableBorder.Rounded);
        int columns = 0;
        foreach (var row in _rows)
        {
            columns = Math.Max(columns, row.Length);
        }

        string[] header = _rows[0];
        for (int i = 0; i < columns; i++)
        {
            table.AddColumn(new TableColumn(new Text(i < header.Length ? header[i] : string.Empty, new Style(decoration: Decoration.Bold))));
        }

        for (int r = 1; r < _rows.Count; r++)
        {
            var style = _marked.Contains(r) ? new Style(Color.Yellow) : Style.Plain;
            var cells = new List<IRenderable>();
            for (int i = 0; i < columns; i++)
            {
                // Text, not markup: a cell such as "[0x0-0xfff]" is data, never a style tag.
                cells.Add(new Text(i < _rows[r].Length ? _rows[r][i] : string.Empty, style));
            }

            table.AddRow(cells);
        }

        console.Write(table);
    }
}
