extern alias generator;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PhysMem.Explorer.Output;

/// <summary>
/// The C# the generator emits for a configuration, produced the way a build produces it: the
/// configuration is written as a <c>[MemoryModel]</c> attribute on a partial class, and the real
/// generator runs over it in memory. So what <c>physmem emit</c> prints is exactly what a project
/// with that attribute would get.
/// </summary>
internal static class EmitRenderer
{
    /// <summary>The namespace of the class <see cref="Emit"/> generates for.</summary>
    public const string Namespace = "Generated";

    /// <summary>The attribute that declares <paramref name="spec"/>, every input written out.</summary>
    public static string Attribute(LayoutSpec spec)
    {
        var args = new List<string> { "Model." + spec.Model };
        foreach (var input in spec.Inputs())
        {
            if (input.Applies && input.OnAttribute && input.Name != "Model")
            {
                args.Add(input.Name + " = " + input.CSharp);
            }
        }

        return "[MemoryModel(" + string.Join(", ", args) + ")]";
    }

    /// <summary>Runs the generator on a class carrying <see cref="Attribute"/> and returns what it emits.</summary>
    /// <param name="spec">The configuration.</param>
    /// <param name="typeName">The class name to generate for.</param>
    /// <param name="errors">The generator's error diagnostics, when it emits nothing.</param>
    /// <returns>The generated file, or null with <paramref name="errors"/> filled.</returns>
    public static GeneratedFile? Emit(LayoutSpec spec, string typeName, out IReadOnlyList<string> errors)
    {
        string source = $"using PhysMem;\nnamespace {Namespace};\n{Attribute(spec)}\npublic partial class {typeName} {{ }}\n";
        string runtime = typeof(MemoryLayout).Assembly.Location;
        string core = typeof(object).Assembly.Location;
        var references = new[] { core, runtime, Path.Combine(Path.GetDirectoryName(core)!, "System.Runtime.dll") }
            .Where(File.Exists).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Emit",
            new[] { CSharpSyntaxTree.ParseText(source, parse, path: typeName + ".cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var driver = CSharpGeneratorDriver.Create(new[] { new generator::PhysMem.Generator.MemoryModelGenerator().AsSourceGenerator() }, parseOptions: parse)
            .RunGenerators(compilation);
        var result = driver.GetRunResult();
        var generated = result.Results.SelectMany(r => r.GeneratedSources).Select(g => new GeneratedFile(g.HintName, g.SourceText.ToString())).FirstOrDefault();
        errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "error " + d.Id + ": " + d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        if (generated is null && errors.Count == 0)
        {
            // The generator saw no model: the declaration itself does not compile (a type name that
            // hides the attribute or the Model enum). Say what the compiler says of it.
            var compileError = compilation.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            errors = new[]
            {
                "error: the class " + typeName + " carrying the attribute does not compile" + (compileError is null ? string.Empty : ": " + compileError.Id + ": " + compileError.GetMessage(CultureInfo.InvariantCulture)),
            };
        }

        return generated;
    }
}

/// <summary>A file the generator emits.</summary>
/// <param name="HintName">Its name, as a build writes it under the generator's folder (<c>Namespace.Type.g.cs</c>).</param>
/// <param name="Text">The C# in it.</param>
internal sealed record GeneratedFile(string HintName, string Text);
