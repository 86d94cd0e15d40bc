using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// The lines of a text file as the compiler's <c>SourceText</c> counts them, so that a line number
/// PhysMem reports (in a diagnostic located in an AdditionalFile, or in a message of the command
/// line) is the line an editor shows: a line ends at CR LF, CR alone, LF alone, or at U+0085,
/// U+2028 or U+2029. A file written on any system reads the same.
/// </summary>
internal static class TextLines
{
    /// <summary>
    /// Text from a file as a one-line message may quote it: control characters written as
    /// <c>\xNN</c> (a NUL or an escape sequence must not reach a terminal), at most 60 characters.
    /// </summary>
    public static string Shown(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in text)
        {
            if (sb.Length >= 60)
            {
                sb.Append("...");
                break;
            }

            if (c < ' ' || c == '\u007f' || c is '\u0085' or '\u2028' or '\u2029')
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Each line's start and length, without its line break; a text ending in a break has an empty last line.</summary>
    public static IEnumerable<(int Start, int Length)> Of(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                yield return (start, i - start);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        yield return (start, text.Length - start);
    }
}

/// <summary>
/// How much of a file PhysMem reads. A kernel's own configuration is well under 1 MiB (Debian's
/// amd64 6.12 config is about 280 KiB) and a machine's <c>/proc/iomem</c> a few KiB; 16 MiB leaves
/// room for anything real while a device that never ends (<c>/dev/zero</c>) or a wrong file is
/// refused after reading at most that much.
/// </summary>
internal static class InputLimits
{
    /// <summary>The most bytes the command line reads from a file (after decompression, for a gzip file).</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>The most characters of text the readers accept (the generator gets its AdditionalFiles as text).</summary>
    public const int MaxTextLength = MaxFileBytes;

    /// <summary>Why a file over the limit is refused, in the words every reader uses.</summary>
    public const string TooLargeReason = "it is larger than 16 MiB, which no kernel configuration or memory map is (is it the right file?)";
}
