using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text;

namespace PhysMem.Package.Tests;

/// <summary>
/// The two packages, each packed once for the whole test class (packing is the slow part) into a
/// folder feed of its own, and the pieces every consumer needs: a feed-only nuget.config and a way
/// to run the dotnet CLI.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The version the packages are packed with, which no other source has.</summary>
    public const string LibraryVersion = "0.1.0-consumer";

    /// <summary>
    /// The address the library is packed with as PhysMemDocsUrl (a reserved name, never a real page):
    /// each help link must be this, a slash and the page's file name.
    /// </summary>
    public const string DocsUrl = "https://docs.example.invalid/physmem/diagnostics";

    /// <summary>The version the tool is packed with.</summary>
    public const string ToolVersion = "0.1.0-tool";

    private readonly Lazy<PackedPackage> _library;
    private readonly Lazy<PackedPackage> _tool;
    private readonly StringBuilder _log = new();

    /// <summary>Packs nothing yet: each package is packed the first time a test asks for it.</summary>
    public PackedFeed()
    {
        Directory.CreateDirectory(Work);
        _library = new(() => Pack("runtime/PhysMem/PhysMem.csproj", Path.Combine(Work, "feed"), LibraryVersion, "-p:PhysMemDocsUrl=" + DocsUrl));
        _tool = new(() => Pack("samples/Explorer/Explorer.csproj", Path.Combine(Work, "tools-feed"), ToolVersion));
    }

    /// <summary>A temporary folder outside the repository that everything is made in.</summary>
    public string Work { get; } = Path.Combine(Path.GetTempPath(), "physmem-package-" + Guid.NewGuid().ToString("N"));

    /// <summary>The PhysMem library package.</summary>
    public PackedPackage Library => _library.Value;

    /// <summary>The PhysMem.Explorer tool package.</summary>
    public PackedPackage Tool => _tool.Value;

    /// <summary>What the packing printed, for the test output of whichever test packed first.</summary>
    public string TakeLog()
    {
        lock (_log)
        {
            string text = _log.ToString();
            _log.Clear();
            return text;
        }
    }

    /// <summary>
    /// A nuget.config whose only source is <paramref name="feed"/>. The packages the SDK itself
    /// needs for other frameworks (the net8.0 targeting pack, NETStandard.Library) come from the
    /// machine's package folder, where restoring this repository put them, read as a fallback
    /// folder: nothing is downloaded, and PhysMem can only come from the feed.
    /// </summary>
    public static void WriteFeedOnlyConfig(string path, string feed) => File.WriteAllText(path, $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <clear />
            <add key="machine" value="{GlobalPackagesFolder.Value}" />
          </fallbackPackageFolders>
        </configuration>
        """);

    private static readonly Lazy<string> GlobalPackagesFolder = new(() =>
    {
        // "global-packages: /home/user/.nuget/packages/"
        var result = Run(Path.GetTempPath(), "dotnet", "nuget locals global-packages --list");
        string line = result.Stdout.Split('\n').Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line["global-packages:".Length..].Trim();
    });

    /// <summary>Runs a program to its end (at most 5 minutes) and returns its exit code and output.</summary>
    public static ProcessResult Run(string directory, string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish in 5 minutes");
        }

        return new ProcessResult($"{file} {arguments}", process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Deletes the temporary folder, feeds and consumers included.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open leaves a temporary folder behind, nothing more.
        }
    }

    private PackedPackage Pack(string project, string feed, string version, string properties = "")
    {
        // Packed in a configuration of its own (bin/ and obj/ folders apart from the build's): packing
        // with another version and other properties in the build's own folders would overwrite the
        // generator and library that the other test projects, running at the same time, load.
        string configuration = "PackageTests" + typeof(PackedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var result = Run(RepoRoot(), "dotnet", $"pack {project} -c {configuration} -p:Optimize=true -o \"{feed}\" -p:Version={version} {properties}");
        lock (_log)
        {
            _log.Append(result.Transcript);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{result.Command}' exited with {result.ExitCode}:\n{result.Transcript}");
        }

        string nupkg = Directory.GetFiles(feed, "*.nupkg").Single();
        using var zip = ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        var texts = zip.Entries.Where(e => e.FullName.EndsWith(".md", StringComparison.Ordinal) || e.FullName.EndsWith(".nuspec", StringComparison.Ordinal))
            .ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
        return new PackedPackage(feed, entries, texts);
    }

    // Walks up from the test assembly: source paths from [CallerFilePath] are rewritten in CI builds.
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Generators.sln was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A packed package: the feed folder it is in, its entries, and its text files by entry name.</summary>
public sealed record PackedPackage(string Feed, IReadOnlyList<string> Entries, IReadOnlyDictionary<string, string> Texts);

/// <summary>How a program ended and what it printed.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The command and everything it printed, for the test output.</summary>
    public string Transcript => $"$ {Command}\n{Stdout}{Stderr}";
}
