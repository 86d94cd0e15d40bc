using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// Reading and writing the files named on the command line, with one-line errors. A file is read
/// through a bounded reader — at most <see cref="InputLimits.MaxFileBytes"/> bytes, after
/// decompression for a gzip file — so that a device without end (<c>/dev/zero</c>) or a wrong
/// file is refused instead of filling memory. Text is decoded as the compiler decodes an
/// AdditionalFile, so that the command line and the source generator read one file alike: by its
/// byte order mark (UTF-8, UTF-16 or UTF-32), else as UTF-8, else byte by byte. For that last case
/// the compiler takes the system's ANSI code page (usually Windows-1252) and this reader Latin-1;
/// the two differ only in the bytes 0x80-0x9F, which no kernel configuration or memory map holds.
/// </summary>
internal static class InputFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of <paramref name="file"/>, given to <paramref name="option"/>; gzip data is decompressed when <paramref name="gunzip"/>.</summary>
    /// <exception cref="CommandLineException">The file cannot be read, is a directory, or is too large.</exception>
    public static string ReadText(FileInfo file, string option, bool gunzip = false)
    {
        string path = file.ToString();
        byte[] bytes = ReadBytes(file, option);
        if (gunzip && bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                bytes = ReadBounded(gzip, option, path, " (once decompressed)");
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(option, path, "the gzip data is damaged: " + OneLine(e.Message), e);
            }
        }

        return Decode(bytes);
    }

    /// <summary>Decodes bytes as the compiler decodes a source or additional file.</summary>
    public static string Decode(byte[] bytes)
    {
        // StreamReader honours a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) and drops it.
        if (HasByteOrderMark(bytes))
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="file"/>, given to <paramref name="option"/>.</summary>
    /// <exception cref="CommandLineException">The file cannot be written.</exception>
    public static void WriteText(FileInfo file, string option, string text)
    {
        string path = file.ToString();
        if (Directory.Exists(file.FullName))
        {
            throw new CommandLineException(option, path, "it is a directory; name a file to write");
        }

        if (file.Directory is { Exists: false } folder)
        {
            throw new CommandLineException(option, path, "the directory " + folder.FullName + " does not exist");
        }

        try
        {
            File.WriteAllText(file.FullName, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException(option, path, "it cannot be written: " + OneLine(e.Message), e);
        }
    }

    /// <summary>
    /// A message as one line of a terminal: control characters (line breaks included, as a file
    /// name may hold them) written as <c>\xNN</c>, so that one failure is one line.
    /// </summary>
    public static string OneLine(string message) =>
        Regex.Replace(message.Trim(), "[\\x00-\\x1f\\x7f\\u0085\\u2028\\u2029]", m => "\\x" + ((int)m.Value[0]).ToString("x2", CultureInfo.InvariantCulture));

    private static byte[] ReadBytes(FileInfo file, string option)
    {
        string path = file.ToString();
        if (Directory.Exists(file.FullName))
        {
            throw new CommandLineException(option, path, "it is a directory, not a file");
        }

        if (!file.Exists && !File.Exists(file.FullName))
        {
            throw new CommandLineException(option, path, "the file does not exist");
        }

        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
            return ReadBounded(stream, option, path, string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException(option, path, "it cannot be read: " + OneLine(e.Message), e);
        }
    }

    private static byte[] ReadBounded(Stream stream, string option, string path, string when)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > InputLimits.MaxFileBytes)
            {
                throw new CommandLineException(option, path, InputLimits.TooLargeReason + when);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool HasByteOrderMark(byte[] b) =>
        (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        || (b.Length >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        || (b.Length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF);
}
