using System;
using System.IO;
using PhysMem.Explorer.Output;
using Spectre.Console;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// Colour and drawn tables only for a person at a terminal: never when the output is redirected
/// or NO_COLOR is set, and never in a writer that is not the process's own output.
/// </summary>
public class TerminalTests
{
    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, "", true)]
    [InlineData(false, "1", false)]
    [InlineData(false, "0", false)] // Any non-empty value turns colour off (https://no-color.org).
    [InlineData(true, null, false)]
    [InlineData(true, "1", false)]
    public void Colour_only_on_a_terminal_without_NO_COLOR(bool redirected, string? noColor, bool rich) =>
        Assert.Equal(rich, Terminal.Decide(redirected, noColor));

    [Fact]
    public void A_writer_that_is_not_standard_output_gets_the_plain_table()
    {
        var table = Sample();
        var plain = new StringWriter { NewLine = "\n" };
        table.Write(plain, indent: string.Empty);
        Assert.Equal("node  zone    start_pfn\n0     DMA     0x1\n1     Normal  0x100000\n", plain.ToString());
    }

    [Fact]
    public void On_a_terminal_the_table_is_drawn_with_the_header_bold_and_marked_rows_in_colour()
    {
        var drawn = new StringWriter { NewLine = "\n" };
        Sample().WriteRich(drawn, AnsiSupport.Yes, ColorSystemSupport.Standard);
        string text = drawn.ToString();
        Assert.Contains("\u001b[1m", text, StringComparison.Ordinal); // bold header
        Assert.Contains("\u001b[93m", text, StringComparison.Ordinal); // yellow (bright, standard colours) marked row
        Assert.Contains("\u2502", text, StringComparison.Ordinal); // drawn border
        Assert.Contains("0x100000", text, StringComparison.Ordinal);

        // Without ANSI support the same table is drawn with no escape codes at all.
        var noAnsi = new StringWriter { NewLine = "\n" };
        Sample().WriteRich(noAnsi, AnsiSupport.No, ColorSystemSupport.NoColors);
        Assert.DoesNotContain('\u001b', noAnsi.ToString());
    }

    private static TextTable Sample()
    {
        var table = new TextTable(header: true);
        table.Add("node", "zone", "start_pfn");
        table.Add("0", "DMA", "0x1");
        table.AddMarked("1", "Normal", "0x100000");
        return table;
    }
}
