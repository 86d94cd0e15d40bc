using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Hostile.Tests;

/// <summary>
/// At least a hundred malformed kernel configurations and a hundred malformed memory maps
/// (<see cref="MalformedFiles"/>) through the generator, all of a kind in one compilation with a
/// model per file, and the configurations through <c>physmem layout --kconfig</c>. Nothing may
/// throw; no diagnostic may point into generated code; a file that cannot be used is refused by
/// its PMEM diagnostic located in that file, on the line (and column) of the problem; a file that
/// can be used generates its model.
/// </summary>
public sealed class MalformedFileTests
{
    private const string ConfigFolder = "/hostile/kconfig/";
    private const string MapFolder = "/hostile/maps/";

    [Fact]
    public void There_are_at_least_a_hundred_of_each()
    {
        Assert.True(MalformedFiles.Configs().Count(c => c.Refused) >= 100, "fewer than 100 refused configurations");
        Assert.True(MalformedFiles.Maps().Count(c => c.Refused) >= 100, "fewer than 100 refused memory maps");
    }

    [Fact]
    public void Malformed_configs_through_the_generator_are_refused_in_the_file()
    {
        var cases = MalformedFiles.Configs();
        var source = new StringBuilder("using PhysMem;\n");
        foreach (var c in cases)
        {
            source.Append(CultureInfo.InvariantCulture, $"[MemoryModel(Kconfig = \"{c.Name}\")] public partial class {TypeName(c)} {{ }}\n");
        }

        Check(cases, ConfigFolder, source.ToString());
    }

    [Fact]
    public void Malformed_memory_maps_through_the_generator_are_refused_in_the_file()
    {
        var cases = MalformedFiles.Maps();
        var source = new StringBuilder("using PhysMem;\n");
        foreach (var c in cases)
        {
            string model = c.Model.Length > 0 ? c.Model : "Model.Sparse, NodesShift = 2";
            source.Append(CultureInfo.InvariantCulture, $"[MemoryModel({model}, MemoryMapFile = \"{c.Name}\")] public partial class {TypeName(c)} {{ }}\n");
        }

        Check(cases, MapFolder, source.ToString());
    }

    [Fact]
    public void Malformed_configs_through_the_command_line_are_one_line_each()
    {
        string folder = Directory.CreateTempSubdirectory("physmem-malformed-").FullName;
        try
        {
            foreach (var c in MalformedFiles.Configs())
            {
                string path = Path.Combine(folder, c.Name);
                File.WriteAllBytes(path, c.Bytes);
                var stdout = new StringWriter();
                var stderr = new StringWriter { NewLine = "\n" };
                int code = Explorer.ExplorerApp.Run(new[] { "layout", "--kconfig", path, "--defines" }, stdout, stderr);
                string err = stderr.ToString();
                Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
                if (!c.Refused)
                {
                    Assert.True(code == 0, $"{c}: exit {code}: {err}");
                    continue;
                }

                Assert.True(code == 2, $"{c}: exit {code}: {err}");
                Assert.Equal(string.Empty, stdout.ToString());
                string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

                // The same diagnostic as the generator's, naming the file and the line (and column) it is about.
                Assert.StartsWith("error " + c.Id + ": ", line, StringComparison.Ordinal);
                string where = c.Id switch
                {
                    "PMEM0012" => "'" + path + "' cannot be read: ",
                    "PMEM0033" or "PMEM0114" => c.Name + ":" + Dec(c.Line) + ":" + Dec(c.Column) + ": ",
                    _ when c.Bytes.Length == 0 || c.Line == 1 && c.Column == 1 && c.Id == "PMEM0013" => c.Name + ":",
                    _ => c.Name + ":" + Dec(c.Line) + ": ",
                };
                Assert.True(line.Contains(where, StringComparison.Ordinal), $"{c}: '{line}' does not name {where}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Check(IReadOnlyList<MalformedFile> cases, string folder, string source)
    {
        var files = cases.Select(c => new BytesAdditionalText(folder + c.Name, c.Bytes)).ToList();
        // Hundreds of models: the driver does not record its steps (caching is checked on small runs).
        var run = KconfigHarness.Run(source, files, trackSteps: false);

        // No diagnostic, of the generator or of the compilation with the generated code, in generated code.
        var generated = run.Result.GeneratedTrees.Select(t => t.FilePath).ToHashSet(StringComparer.Ordinal);
        var all = run.GeneratorDiagnostics.Concat(run.Output.GetDiagnostics()).ToList();
        Assert.DoesNotContain(all, d => d.Location.SourceTree is { } tree && generated.Contains(tree.FilePath));
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var sources = run.Sources;
        foreach (var (c, file) in cases.Zip(files))
        {
            var mine = run.GeneratorDiagnostics.Where(d => BelongsTo(d, c, file.Path)).ToList();
            string hint = TypeName(c) + ".g.cs";
            if (!c.Refused)
            {
                Assert.True(sources.ContainsKey(hint), $"{c}: nothing generated; {string.Join("; ", mine)}");
                Assert.DoesNotContain(mine, d => d.Severity == DiagnosticSeverity.Error);
            }
            else
            {
                // A refused model gets at most the surface whose members throw, naming the error.
                Assert.True(!sources.TryGetValue(hint, out var surface) || surface.Contains("which PhysMem refused:", StringComparison.Ordinal), $"{c}: generated although refused");
                Assert.True(mine.Any(d => d.Id == c.Id && d.Severity == DiagnosticSeverity.Error), $"{c}: no error {c.Id} of its own; {string.Join("; ", mine)}");
            }

            if (c.Id is null)
            {
                continue;
            }

            var d = mine.First(d => d.Id == c.Id);
            if (c.Refused || c.Line > 0)
            {
                // In the file itself, on a line it has: the line (and column) of the problem when the case knows it.
                var span = d.Location.GetLineSpan();
                Assert.True(d.Location.Kind == LocationKind.ExternalFile && span.Path == file.Path, $"{c}: {d.Id} is at {d.Location}, not in {file.Path}");
                int lines = file.GetText()!.Lines.Count;
                Assert.InRange(span.StartLinePosition.Line, 0, lines - 1);
                if (c.Line > 0)
                {
                    Assert.True(c.Line == span.StartLinePosition.Line + 1, $"{c}: {d.Id} on line {span.StartLinePosition.Line + 1}, not {c.Line}: {d.GetMessage(CultureInfo.InvariantCulture)}");
                }

                if (c.Column > 0)
                {
                    Assert.True(c.Column == span.StartLinePosition.Character + 1, $"{c}: {d.Id} at column {span.StartLinePosition.Character + 1}, not {c.Column}: {d.GetMessage(CultureInfo.InvariantCulture)}");
                }
            }
        }
    }

    /// <summary>Whether <paramref name="d"/> is about the case's file: located in it, or on the attribute argument naming it.</summary>
    private static bool BelongsTo(Diagnostic d, MalformedFile c, string path) =>
        d.Location.GetLineSpan().Path == path
        || (d.Location.IsInSource && d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).Contains("\"" + c.Name + "\"", StringComparison.Ordinal))
        || (d.Location.IsInSource && d.Location.SourceTree!.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Contains("class " + TypeName(c) + " ", StringComparison.Ordinal));

    private static string TypeName(MalformedFile c) => "T" + Path.GetFileNameWithoutExtension(c.Name);

    private static string Dec(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An AdditionalFile read from bytes as the compiler reads one: by its byte order mark, else as UTF-8.</summary>
    private sealed class BytesAdditionalText(string path, byte[] bytes) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(new MemoryStream(bytes), encoding: null);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
