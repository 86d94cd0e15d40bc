using System;
using System.Collections.Generic;
using System.IO;

namespace PhysMem.Explorer.Output;

/// <summary>Rows of cells written with every column padded to its widest cell, for a terminal.</summary>
internal sealed class TextTable
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = new();

    /// <summary>Adds a row; rows may have different numbers of cells.</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the rows, each line starting with <paramref name="indent"/> and without trailing spaces.</summary>
    public void Write(TextWriter writer, string indent = "  ")
    {
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
}
