using System.CommandLine;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis.CSharp;
using PhysMem.Explorer.Output;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem emit [layout options]</c>: prints the C# the generator emits for a configuration,
/// by running the generator itself on a class carrying the equivalent attribute.
/// </summary>
internal static class EmitCommand
{
    /// <summary>Creates the <c>emit</c> command.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--type-name") { Description = "The class to generate for (default: GeneratedModel).", HelpName = "NAME", DefaultValueFactory = _ => "GeneratedModel" };
        var json = CliOptions.Flag("--json", "Print what is generated as JSON instead of the code: the class, the attribute, the model, its inputs and the file name (the schema is in docs/cli-json.md).");
        var command = new Command("emit", "Print the C# the source generator emits for a configuration. Takes the same options as 'layout' (--arch, --sparse, --vmemmap, --page-shift, ...), and prints the [MemoryModel] attribute that declares it first.")
        {
            name, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (LayoutCommand.Resolve(parse.UnmatchedTokens.ToArray(), error) is not { } layout)
            {
                return ExplorerApp.ExitRefused;
            }

            string typeName = parse.GetValue(name)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(typeName, "^[A-Za-z_][A-Za-z0-9_]*$"))
            {
                error.WriteLine($"error: --type-name '{typeName}' is not a C# identifier.");
                return ExplorerApp.ExitRefused;
            }

            if (SyntaxFacts.GetKeywordKind(typeName) != SyntaxKind.None)
            {
                error.WriteLine($"error: --type-name '{typeName}' is a C# keyword, which cannot name a class; choose another name (or '{char.ToUpperInvariant(typeName[0])}{typeName[1..]}').");
                return ExplorerApp.ExitRefused;
            }

            var file = EmitRenderer.Emit(layout.Spec, typeName, out var errors);
            if (file is null)
            {
                foreach (string e in errors)
                {
                    error.WriteLine(e);
                }

                return ExplorerApp.ExitRefused;
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, writer => WriteJson(writer, layout, typeName, file));
                return ExplorerApp.ExitOk;
            }

            output.WriteLine("// " + EmitRenderer.Attribute(layout.Spec));
            output.WriteLine("// public partial class " + typeName + " { }");
            output.WriteLine();
            output.Write(file.Text);
            return ExplorerApp.ExitOk;
        });
        return command;
    }

    /// <summary>What was generated, without the code: what a build script needs to find and check it.</summary>
    private static void WriteJson(Utf8JsonWriter json, MemoryLayout layout, string typeName, GeneratedFile file)
    {
        json.WriteStartObject();
        json.WriteString("type", EmitRenderer.Namespace + "." + typeName);
        json.WriteString("attribute", EmitRenderer.Attribute(layout.Spec));
        json.WriteString("model", layout.Describe());
        json.WriteStartObject("inputs");
        foreach (var input in layout.Spec.Inputs())
        {
            if (!input.Applies)
            {
                continue;
            }

            // Numbers and yes/no as JSON numbers and booleans, as 'layout --json' writes values;
            // the rest (a model, a zone list, a hexadecimal offset) as the text the header shows.
            if (long.TryParse(input.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long number))
            {
                json.WriteNumber(input.Name, number);
            }
            else if (bool.TryParse(input.Text, out bool flag))
            {
                json.WriteBoolean(input.Name, flag);
            }
            else
            {
                json.WriteString(input.Name, input.Text);
            }
        }

        json.WriteEndObject();
        json.WriteStartArray("files");
        json.WriteStartObject();
        json.WriteString("name", file.HintName);
        json.WriteNumber("lines", file.Text.Split('\n').Length - (file.Text.EndsWith('\n') ? 1 : 0));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
