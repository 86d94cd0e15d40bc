using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Text.Json;
using PhysMem.Explorer.Output;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem compare "A" "B"</c>: two configurations side by side (each given as the options of
/// 'layout', in one quoted argument), every value with the kernel's name, differences marked.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Creates the <c>compare</c> command.</summary>
    public static Command Create()
    {
        var a = new Argument<string>("A") { Description = "The first configuration: 'layout' options in one quoted argument, e.g. \"--arch Arm64_4K_Pre512\"." };
        var b = new Argument<string>("B") { Description = "The second configuration, e.g. \"--arch Arm64_4K\"." };
        var all = CliOptions.Flag("--all", "Show every value, not only those that differ.");
        var json = CliOptions.Flag("--json", "Print the comparison as JSON (the schema is in docs/cli-json.md).");
        var command = new Command("compare", "Show two configurations side by side: every value that differs (or, with --all, every value), by the kernel's name.")
        {
            a, b, all, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            // The first configuration that fails is the one reported: one failure, one line.
            if (LayoutCommand.Resolve(Split(parse.GetValue(a)!), error) is not { } left
                || LayoutCommand.Resolve(Split(parse.GetValue(b)!), error) is not { } right)
            {
                return ExplorerApp.ExitRefused;
            }

            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in left.Constants)
            {
                if (seen.Add(c.KernelName))
                {
                    names.Add(c.KernelName);
                }
            }

            foreach (var c in right.Constants)
            {
                if (seen.Add(c.KernelName))
                {
                    names.Add(c.KernelName);
                }
            }

            // The rows shown: those that differ, or with --all every name either side defines.
            var rows = new List<(string Name, LayoutConstant? Left, LayoutConstant? Right, bool Differs)>();
            int differing = 0;
            foreach (string name in names)
            {
                var l = left.TryGet(name, out var lc) ? lc : null;
                var r = right.TryGet(name, out var rc) ? rc : null;
                bool differs = (l?.DecimalText ?? "-") != (r?.DecimalText ?? "-");
                differing += differs ? 1 : 0;
                if (differs || parse.GetValue(all))
                {
                    rows.Add((name, l, r, differs));
                }
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, writer =>
                {
                    writer.WriteStartObject();
                    WriteSide(writer, "a", parse.GetValue(a)!, left);
                    WriteSide(writer, "b", parse.GetValue(b)!, right);
                    writer.WriteNumber("differing", differing);
                    writer.WriteNumber("compared", names.Count);
                    writer.WriteStartArray("values");
                    foreach (var row in rows)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", row.Name);
                        WriteValue(writer, "a", row.Left);
                        WriteValue(writer, "b", row.Right);
                        writer.WriteBoolean("differs", row.Differs);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return ExplorerApp.ExitOk;
            }

            var table = new TextTable(header: true);
            table.Add(string.Empty, "value", "A: " + left.Describe(), "B: " + right.Describe());
            foreach (var row in rows)
            {
                string[] cells = { row.Differs ? "*" : string.Empty, row.Name, row.Left?.DecimalText ?? "-", row.Right?.DecimalText ?? "-" };
                if (row.Differs)
                {
                    table.AddMarked(cells);
                }
                else
                {
                    table.Add(cells);
                }
            }

            table.Write(output, indent: string.Empty);
            output.WriteLine();
            output.WriteLine($"{differing} of {names.Count} values differ (* marks them; '-' means the configuration does not define the name).");
            return ExplorerApp.ExitOk;
        });
        return command;
    }

    private static void WriteSide(Utf8JsonWriter json, string side, string options, MemoryLayout layout)
    {
        json.WriteStartObject(side);
        json.WriteString("options", options);
        json.WriteString("model", layout.Describe());
        json.WriteEndObject();
    }

    /// <summary>The value as 'layout --json' writes it, or null when the configuration does not define the name.</summary>
    private static void WriteValue(Utf8JsonWriter json, string side, LayoutConstant? constant)
    {
        json.WritePropertyName(side);
        if (constant is null)
        {
            json.WriteNullValue();
        }
        else
        {
            JsonOutput.WriteValue(json, constant);
        }
    }

    private static string[] Split(string options) => options.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
