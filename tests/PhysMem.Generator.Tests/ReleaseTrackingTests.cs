extern alias generator;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// AnalyzerReleases.Shipped.md and Unshipped.md, which the release-tracking analyzer checks the
/// descriptors against at build time, list exactly the catalog's IDs; and the descriptors that
/// analyzer sees (constant ID, category, severity) say what the catalog says.
/// </summary>
public class ReleaseTrackingTests
{
    [Fact]
    public void The_tracking_files_list_every_catalog_id_once()
    {
        var shipped = Rows("AnalyzerReleases.Shipped.md");
        var unshipped = Rows("AnalyzerReleases.Unshipped.md");
        Assert.Empty(shipped.Keys.Intersect(unshipped.Keys));
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal), shipped.Keys.Concat(unshipped.Keys).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var d in DiagnosticCatalog.All)
        {
            string row = shipped.TryGetValue(d.Id, out var s) ? s : unshipped[d.Id];
            Assert.Equal($"{d.Id} | PhysMem.{d.Category} | {d.Severity} | {d.Title}", row);
        }
    }

    [Fact]
    public void Release_0_1_0_shipped_the_rules_up_to_PMEM0116_and_later_ones_are_unshipped()
    {
        // 0.1.0's release notes name PMEM0001-PMEM0116; the VMCOREINFO rules (numbered in the usage
        // range, PMEM0038-PMEM0042) and the pageblock-limit rules came after.
        string shipped = File.ReadAllText(Repo.Path("generator", "PhysMem.Generator", "AnalyzerReleases.Shipped.md"));
        Assert.Contains("## Release 0.1.0", shipped, StringComparison.Ordinal);
        Assert.All(Rows("AnalyzerReleases.Shipped.md").Keys, id => Assert.True(string.CompareOrdinal(id, "PMEM0116") <= 0, id));
        Assert.Equal(new[] { "PMEM0038", "PMEM0039", "PMEM0040", "PMEM0041", "PMEM0042", "PMEM0117", "PMEM0118" }, Rows("AnalyzerReleases.Unshipped.md").Keys.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_descriptor_says_what_the_catalog_says()
    {
        var type = typeof(generator::PhysMem.Generator.MemoryModelGenerator).Assembly.GetType("PhysMem.Generator.Diagnostics.Descriptors", throwOnError: true)!;
        var all = ((IEnumerable<DiagnosticDescriptor>)type.GetProperty("All", BindingFlags.Static | BindingFlags.Public)!.GetValue(null)!).ToList();
        Assert.Equal(DiagnosticCatalog.All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal), all.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var info in DiagnosticCatalog.All)
        {
            var descriptor = all.Single(d => d.Id == info.Id);
            Assert.Equal("PhysMem." + info.Category, descriptor.Category);
            Assert.Equal(info.Severity.ToString(), descriptor.DefaultSeverity.ToString());
            Assert.Equal(info.Title, descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(info.MessageFormat, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static Dictionary<string, string> Rows(string file) =>
        File.ReadAllLines(Repo.Path("generator", "PhysMem.Generator", file))
            .Where(l => l.StartsWith("PMEM", StringComparison.Ordinal))
            .ToDictionary(l => l.Split('|')[0].Trim(), l => l.Trim(), StringComparer.Ordinal);
}
