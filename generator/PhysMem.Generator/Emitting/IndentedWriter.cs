using System;
using System.Text;

namespace PhysMem.Generator.Emitting;

/// <summary>
/// Writes source text with indentation handled for the caller: every line written inside a
/// <see cref="Block"/> is indented one more level. Multi-line text is indented line by line.
/// </summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _sb = new();
    private int _level;

    /// <summary>Writes one line (or several, split on newlines) at the current indentation.</summary>
    public IndentedWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _sb.Append('\n');
            return this;
        }

        if (text.IndexOf('\n') < 0)
        {
            // One line, the common case: no copy of the text and no array of lines.
            Indent().Append(text).Append('\n');
            return this;
        }

        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0)
            {
                Indent().Append(line);
            }

            _sb.Append('\n');
        }

        return this;
    }

    private StringBuilder Indent()
    {
        for (int i = 0; i < _level; i++)
        {
            _sb.Append(IndentUnit);
        }

        return _sb;
    }

    /// <summary>Opens a brace block after <paramref name="header"/>; disposing the result closes it.</summary>
    public Scope Block(string header, string close = "}")
    {
        Line(header);
        Line("{");
        _level++;
        return new Scope(this, close);
    }

    /// <summary>Writes a <c>/// &lt;summary&gt;</c> doc comment (on one line, whatever the text holds).</summary>
    public IndentedWriter Summary(string text) => Line("/// <summary>" + Xml(OneLine(text)) + "</summary>");

    /// <summary>
    /// The text with every character that would end a comment line in C# (CR, LF, NEL, the Unicode
    /// line and paragraph separators) or is not allowed in XML (other control characters) made a
    /// space: text from the user's files and arguments goes into comments and must stay there.
    /// </summary>
    public static string OneLine(string text)
    {
        int i = 0;
        while (i < text.Length && !Breaks(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(Breaks(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private static bool Breaks(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public override string ToString() => _sb.ToString();

    /// <summary>Closes a block when disposed.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly string _close;

        public Scope(IndentedWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._level--;
            _writer.Line(_close);
        }
    }
}
