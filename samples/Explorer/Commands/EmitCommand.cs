using System.CommandLine;
using System.Linq;
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
        var command = new Command("emit", "Print the C# the source generator emits for a configuration. Takes the same options as 'layout' (--arch, --sparse, --vmemmap, --page-shift, ...), and prints the [MemoryModel] attribute that declares it first.")
        {
            name,
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

            string? source = EmitRenderer.Emit(layout.Spec, typeName, out var errors);
            if (source is null)
            {
                foreach (string e in errors)
                {
                    error.WriteLine(e);
                }

                return ExplorerApp.ExitRefused;
            }

            output.WriteLine("// " + EmitRenderer.Attribute(layout.Spec));
            output.WriteLine("// public partial class " + typeName + " { }");
            output.WriteLine();
            output.Write(source);
            return ExplorerApp.ExitOk;
        });
        return command;
    }
}
