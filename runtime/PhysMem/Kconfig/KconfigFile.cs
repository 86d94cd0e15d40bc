using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>One <c>CONFIG_</c> symbol of a kernel configuration: its value and the line that set it.</summary>
/// <param name="Name">The symbol without the <c>CONFIG_</c> prefix, e.g. <c>SPARSEMEM_VMEMMAP</c>.</param>
/// <param name="Value">The value as written (<c>y</c>, <c>m</c>, a number, a quoted string), or <c>n</c> for <c># CONFIG_X is not set</c>.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Column">The 1-based column where the value starts (0 for a <c># CONFIG_X is not set</c> line).</param>
internal sealed record KconfigSymbol(string Name, string Value, int Line, int Column = 0)
{
    /// <summary>The text a reader would look for: <c>CONFIG_NAME=value</c>, or <c># CONFIG_NAME is not set</c>.</summary>
    public override string ToString() => Value == "n" ? "# CONFIG_" + Name + " is not set" : "CONFIG_" + Name + "=" + Value;
}

/// <summary>
/// The text of a kernel <c>.config</c> (or of <c>/proc/config.gz</c>, decompressed) read into its
/// symbols, as scripts/kconfig writes it: <c>CONFIG_NAME=value</c> lines, <c># CONFIG_NAME is not set</c>
/// lines, other comments and blank lines. The header comment
/// <c># Linux/ARCH VERSION Kernel Configuration</c> gives the source architecture and the kernel version.
/// </summary>
internal sealed class KconfigFile
{
    private readonly Dictionary<string, KconfigSymbol> _symbols = new(StringComparer.Ordinal);

    private KconfigFile()
    {
    }

    /// <summary>Every symbol set or explicitly unset, by name (without <c>CONFIG_</c>).</summary>
    public IReadOnlyDictionary<string, KconfigSymbol> Symbols => _symbols;

    /// <summary>The source architecture of the header (<c>x86</c>, <c>arm64</c>), or null without a header.</summary>
    public string? HeaderArch { get; private set; }

    /// <summary>The kernel version of the header (<c>6.1.192</c>), or null without a header.</summary>
    public string? HeaderVersion { get; private set; }

    /// <summary>The 1-based column of the header's version, or 0 without one.</summary>
    public int HeaderVersionColumn { get; private set; }

    /// <summary>The line of the header, or 0 without one.</summary>
    public int HeaderLine { get; private set; }

    /// <summary>The number of lines.</summary>
    public int LineCount { get; private set; }

    /// <summary>
    /// Reads the text. A text that is not a kernel configuration gives null and says why, with the
    /// first line that shows it (0 for the file as a whole).
    /// </summary>
    /// <param name="text">The configuration text.</param>
    /// <param name="error">Why the text is not a kernel configuration.</param>
    /// <param name="errorLine">The 1-based line the reason is about, or 0.</param>
    /// <returns>The configuration, or null.</returns>
    public static KconfigFile? Parse(string text, out string? error, out int errorLine)
    {
        error = null;
        errorLine = 0;
        if (text.Length > InputLimits.MaxTextLength)
        {
            error = InputLimits.TooLargeReason;
            return null;
        }

        if (text.Length > 0 && IsBinaryStart(text[0]))
        {
            error = "the file is binary (gzip-compressed, like /proc/config.gz?): decompress it first (zcat /proc/config.gz > linux.config)";
            errorLine = 1;
            return null;
        }

        var file = new KconfigFile();
        int lineNumber = 0;
        foreach (var (start, length) in TextLines.Of(text))
        {
            lineNumber++;
            if (!file.ReadLine(text.Substring(start, length), lineNumber, out error))
            {
                errorLine = lineNumber;
                return null;
            }
        }

        file.LineCount = lineNumber;
        if (file._symbols.Count == 0)
        {
            error = file.HeaderLine == 0
                ? "it holds no CONFIG_ lines and no '# Linux/ARCH VERSION Kernel Configuration' header"
                : "it holds no CONFIG_ lines";
            errorLine = file.HeaderLine;
            return null;
        }

        return file;
    }

    /// <summary>
    /// Whether <c>CONFIG_name</c> is <c>y</c>. Kconfig reads a bool by its first letter
    /// (scripts/kconfig/confdata.c, <c>conf_set_sym_val</c>), so <c>yes</c> is <c>y</c> too.
    /// </summary>
    public bool IsSet(string name) => _symbols.TryGetValue(name, out var s) && s.Column > 0 && s.Value.StartsWith("y", StringComparison.Ordinal);

    /// <summary>The symbol, if the file sets or unsets it.</summary>
    public KconfigSymbol? Get(string name) => _symbols.TryGetValue(name, out var s) ? s : null;

    /// <summary>
    /// The value of the int symbol <c>CONFIG_name</c>, if the file sets it to an int in Kconfig's
    /// syntax (see <see cref="TryReadInt"/>); null when it is absent or not an int.
    /// </summary>
    public long? Number(string name) =>
        _symbols.TryGetValue(name, out var s) && s.Column > 0 && TryReadInt(s.Value, out long n) ? n : null;

    /// <summary>
    /// Reads an int value as Kconfig does (scripts/kconfig/symbol.c, <c>sym_string_valid</c> for
    /// <c>int</c>): an optional <c>-</c>, then ASCII decimal digits, without a leading zero unless the
    /// number is 0; nothing else (no quotes, no blanks, no <c>0x</c>, no other script's digits).
    /// A number beyond 64 bits saturates, as <c>strtoll</c> does, so a range check still refuses it.
    /// </summary>
    /// <returns>False when <paramref name="value"/> is not an int in that syntax.</returns>
    public static bool TryReadInt(string value, out long number)
    {
        number = 0;
        int i = value.StartsWith("-", StringComparison.Ordinal) ? 1 : 0;
        if (i == value.Length || (value[i] == '0' && value.Length > i + 1))
        {
            return false;
        }

        bool negative = i == 1;
        for (; i < value.Length; i++)
        {
            char c = value[i];
            if (c < '0' || c > '9')
            {
                number = 0;
                return false;
            }

            int digit = c - '0';
            number = number > (long.MaxValue - digit) / 10 ? long.MaxValue : (number * 10) + digit;
        }

        number = negative ? (number == long.MaxValue ? long.MinValue : -number) : number;
        return true;
    }

    private bool ReadLine(string line, int number, out string? error)
    {
        error = null;
        string t = line.Trim();
        if (t.Length == 0)
        {
            return true;
        }

        if (t[0] == '#')
        {
            ReadComment(line, t, number);
            return true;
        }

        int eq = t.IndexOf('=');
        if (t.StartsWith("CONFIG_", StringComparison.Ordinal) && eq > "CONFIG_".Length && IsSymbolName(t, "CONFIG_".Length, eq))
        {
            string name = t.Substring("CONFIG_".Length, eq - "CONFIG_".Length);
            int indent = line.Length - line.TrimStart().Length;
            _symbols[name] = new KconfigSymbol(name, t.Substring(eq + 1), number, indent + eq + 2);
            return true;
        }

        error = "'" + TextLines.Shown(t) + "' is neither a CONFIG_NAME=value line nor a comment";
        return false;
    }

    // The first character of a gzip stream (0x1f), or one a decoder gives for bytes that are not
    // text (U+FFFD), or a NUL or other control character that no text file starts with.
    private static bool IsBinaryStart(char c) => c == '\uFFFD' || (c < ' ' && c is not ('\t' or '\n' or '\r' or '\f' or '\v'));

    private void ReadComment(string line, string t, int number)
    {
        // "# CONFIG_FOO is not set"
        const string NotSet = " is not set";
        if (t.StartsWith("# CONFIG_", StringComparison.Ordinal) && t.EndsWith(NotSet, StringComparison.Ordinal))
        {
            int from = "# CONFIG_".Length;
            int to = t.Length - NotSet.Length;
            if (to > from && IsSymbolName(t, from, to))
            {
                string name = t.Substring(from, to - from);
                _symbols[name] = new KconfigSymbol(name, "n", number);
            }

            return;
        }

        // "# Linux/x86 6.1.192 Kernel Configuration"
        const string Header = "# Linux/";
        const string Tail = " Kernel Configuration";
        if (HeaderLine == 0 && t.StartsWith(Header, StringComparison.Ordinal) && t.EndsWith(Tail, StringComparison.Ordinal))
        {
            string raw = t.Substring(Header.Length, t.Length - Header.Length - Tail.Length);
            string middle = raw.Trim();
            int space = middle.IndexOf(' ');
            HeaderArch = space < 0 ? middle : middle.Substring(0, space);
            HeaderVersion = space < 0 ? null : middle.Substring(space + 1).Trim();
            HeaderLine = number;

            // The version is the end of the trimmed middle: its column counts the line's indent,
            // the "# Linux/" prefix and the blanks before the architecture.
            int indent = line.Length - line.TrimStart().Length;
            int blanks = raw.Length - raw.TrimStart().Length;
            HeaderVersionColumn = HeaderVersion is null ? 0 : indent + Header.Length + blanks + middle.Length - HeaderVersion.Length + 1;
        }
    }

    private static bool IsSymbolName(string text, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            char c = text[i];
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
