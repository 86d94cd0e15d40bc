using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PhysMem.Package.Tests;

/// <summary>The diagnostic pages in the package, and the help links that point at them.</summary>
public sealed partial class PackageConsumerTests
{
    [Fact]
    public void The_package_holds_every_diagnostic_page_as_the_repository_has_it()
    {
        var package = Library();
        string pages = Path.Combine(PackedFeed.RepoRoot(), "docs", "diagnostics");
        var files = Directory.GetFiles(pages, "*.md").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("PMEM0001.md", files);
        Assert.Equal(files.Select(f => "docs/diagnostics/" + f), package.Entries.Where(e => e.StartsWith("docs/diagnostics/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (string file in files)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(pages, file)).ReplaceLineEndings("\n"), package.Texts["docs/diagnostics/" + file].ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void A_consumers_help_link_is_the_packed_PhysMemDocsUrl_and_the_page()
    {
        // A model with an option that has no effect (PMEM0035, a warning) built with a SARIF log,
        // where the compiler writes each rule's help link as it got it from the packaged descriptor.
        string app = NewConsumer("HelpLink", "net10.0");
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            System.Console.WriteLine(Consumer.Flat.SectionsShift);

            namespace Consumer
            {
                [PhysMem.MemoryModel(PhysMem.Model.Flat, SectionSizeBits = 27)]
                public partial class Flat { }
            }
            """);
        string sarif = Path.Combine(app, "build.sarif");
        string output = PackedFeed.Run(app, "dotnet", $"build -c Release \"-p:ErrorLog={sarif}%2Cversion=2.1\"").Stdout;
        _output.WriteLine(output);
        Assert.Contains("warning PMEM0035", output, StringComparison.Ordinal);

        using var log = JsonDocument.Parse(File.ReadAllText(sarif));
        var rule = log.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == "PMEM0035");
        Assert.Equal(PackedFeed.DocsUrl + "/PMEM0035.md", rule.GetProperty("helpUri").GetString());
    }

    [Theory]
    [InlineData("-p:RepositoryUrl=https://git.example.invalid/owner/physmem.git", "https://git.example.invalid/owner/physmem/blob/main/docs/diagnostics")]
    [InlineData("-p:RepositoryUrl=https://git.example.invalid/owner/physmem/ -p:PhysMemDocsBranch=release/0.1", "https://git.example.invalid/owner/physmem/blob/release/0.1/docs/diagnostics")]
    [InlineData("-p:RepositoryUrl=https://git.example.invalid/owner/physmem -p:PhysMemDocsUrl=https://docs.example.invalid/d", "https://docs.example.invalid/d")]
    [InlineData("", "")]
    public void The_docs_address_follows_the_repository_unless_given(string properties, string expected)
    {
        var result = PackedFeed.Run(PackedFeed.RepoRoot(), "dotnet", "msbuild generator/PhysMem.Generator/PhysMem.Generator.csproj -getProperty:PhysMemDocsUrl " + properties);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal(expected, result.Stdout.Trim());
    }
}
