using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>The repository keeps the promises its docs make about where things are.</summary>
public class HouseTests
{
    // The runtime folders the generator compiles too: every file in them is shared, by name.
    private static readonly string[] SharedFolders = { "Layout", "Inputs", "Kconfig", "MemoryMaps", "Diagnostics" };

    [Fact]
    public void The_generator_links_every_file_of_the_shared_runtime_folders_by_name()
    {
        string project = File.ReadAllText(Repo.Path("generator", "PhysMem.Generator", "PhysMem.Generator.csproj"));
        var linked = Regex.Matches(project, @"<Compile Include=""\.\.\\\.\.\\runtime\\PhysMem\\([^""]+)""")
            .Select(m => m.Groups[1].Value.Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var runtime = Repo.Path("runtime", "PhysMem");
        var onDisk = SharedFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(runtime, folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(runtime, f).Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(onDisk.Except(linked).Order());
        Assert.Empty(linked.Where(l => !File.Exists(Path.Combine(runtime, l))).Order());
    }

    [Fact]
    public void Every_source_path_the_docs_name_exists()
    {
        var docs = Directory.GetFiles(Repo.Path("docs"), "*.md", SearchOption.AllDirectories).Append(Repo.Path("README.md"));
        var missing = docs
            .SelectMany(doc => Regex.Matches(File.ReadAllText(doc), @"(?:runtime|generator|tests|benchmarks|samples)/[A-Za-z0-9_./-]+\.(?:cs|csproj|props|targets|sh)\b")
                .Select(m => Path.GetFileName(doc) + ": " + m.Value))
            .Where(entry => !File.Exists(Repo.Path(entry[(entry.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split('/'))))
            .Distinct()
            .Order();
        Assert.Empty(missing);
    }

    [Fact]
    public void No_runtime_or_generator_source_file_is_over_450_lines()
    {
        var tooLong = new[] { "runtime", "generator" }
            .SelectMany(top => Directory.GetFiles(Repo.Path(top), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Repo.Root, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 450)
            .Select(f => f.File + ": " + f.Lines + " lines")
            .Order();
        Assert.Empty(tooLong);
    }
}
