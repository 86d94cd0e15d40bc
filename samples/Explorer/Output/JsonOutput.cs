using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The <c>--json</c> output of the commands: one indented JSON document on stdout, written with
/// <see cref="Utf8JsonWriter"/> so that any text (a model name, a file name) is escaped correctly.
/// The schema of each command is in docs/cli-json.md.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",

        // Text stays readable ("page->flags", not "page-\u003Eflags"): the output goes to a
        // script or a file, never into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the document <paramref name="body"/> writes, then a newline, to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            body(json);
        }

        writer.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        writer.Write('\n');
    }

    /// <summary>
    /// Writes a layout value as <c>physmem layout --json</c> does: a number (signed for a count or
    /// a shift, unsigned for a mask or a size), or true/false for a yes/no fact.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter json, LayoutConstant constant)
    {
        switch (constant.Kind)
        {
            case ConstantKind.Flag:
                json.WriteBooleanValue(constant.Value != 0);
                break;
            case ConstantKind.Int:
                json.WriteNumberValue(constant.SignedValue);
                break;
            default:
                json.WriteNumberValue(constant.Value);
                break;
        }
    }
}
