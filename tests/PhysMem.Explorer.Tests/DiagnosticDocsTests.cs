using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>
/// docs/diagnostics holds one page per entry of <see cref="DiagnosticCatalog.All"/> and nothing else,
/// each page's title, severity and message format match the catalog, and the index lists every page.
/// </summary>
public sealed partial class DiagnosticDocsTests
{
    private static readonly string DocsDirectory = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

    public static TheoryData<string> CatalogIds => new(DiagnosticCatalog.All.Select(d => d.Id));

    [Fact]
    public void Every_page_belongs_to_a_catalog_entry()
    {
        var pages = Directory.GetFiles(DocsDirectory, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name != "README")
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), pages);
    }

    [Theory]
    [MemberData(nameof(CatalogIds))]
    public void Every_catalog_entry_has_its_page(string id)
    {
        var entry = DiagnosticCatalog.All.Single(d => d.Id == id);
        string path = Path.Combine(RepositoryRoot(), entry.HelpLink);
        Assert.True(File.Exists(path), $"{id} has no page at {entry.HelpLink}");

        var lines = File.ReadAllLines(path);
        Assert.Equal($"# {id}: {entry.Title}", lines[0]);
        Assert.Contains($"- **Severity:** {entry.Severity}", lines.Select(l => l.Split(" (")[0]));
        Assert.Contains($"- **Category:** {entry.Category}", lines);
        Assert.Contains($"- **Message:** `{entry.MessageFormat}`", lines);
        foreach (string section in new[] { "## What the rule is", "## Where it comes from", "## Example", "## How to fix" })
        {
            Assert.Contains(section, lines);
        }
    }

    [Fact]
    public void Index_lists_every_entry_with_its_title()
    {
        var rows = File.ReadAllLines(Path.Combine(DocsDirectory, "README.md"))
            .Select(l => IndexRow().Match(l))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["id"].Value, m => (Title: m.Groups["title"].Value, Severity: m.Groups["severity"].Value));
        Assert.Equal(DiagnosticCatalog.All.Length, rows.Count);
        foreach (var entry in DiagnosticCatalog.All)
        {
            Assert.True(rows.TryGetValue(entry.Id, out var row), entry.Id + " is missing from the index");
            Assert.Equal(entry.Title, row.Title);
            Assert.Equal(entry.Severity.ToString(), row.Severity);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder of Generators.sln) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| \[(?<id>PMEM\d{4})\]\(\k<id>\.md\) \| (?<title>.+?) \| (?<severity>\w+) \| \w+ \|$")]
    private static partial Regex IndexRow();
}
