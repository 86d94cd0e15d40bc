using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Package.Tests;

/// <summary>
/// The package as a user gets it: packed into a folder feed, added to a fresh console project made
/// with <c>dotnet new console</c> outside the solution, restored from that feed alone, built and run.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "physmem-package-" + Guid.NewGuid().ToString("N"));

    public PackageConsumerTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_work);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open leaves a temporary folder behind, nothing more.
        }
    }

    [Fact]
    public void PackedPackageBuildsAndRunsAFreshConsoleProject()
    {
        string feed = Path.Combine(_work, "feed");
        string configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        Run(RepoRoot(), "dotnet", $"pack runtime/PhysMem/PhysMem.csproj -c {configuration} -o \"{feed}\" -p:Version=0.1.0-consumer");
        string nupkg = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("analyzers/dotnet/cs/PhysMem.Generator.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/PhysMem.CodeFixes.dll", entries);
            Assert.Contains("lib/net8.0/PhysMem.dll", entries);
            Assert.Contains("lib/net10.0/PhysMem.dll", entries);
            Assert.Contains("README.md", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/netstandard", StringComparison.Ordinal));
        }

        string app = Path.Combine(_work, "Consumer");
        Run(_work, "dotnet", "new console -n Consumer -o Consumer --framework net10.0");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string project = Path.Combine(app, "Consumer.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace(
            "</PropertyGroup>",
            "  <AllowUnsafeBlocks>true</AllowUnsafeBlocks>\n    <RestorePackagesPath>packages</RestorePackagesPath>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"PhysMem\" Version=\"0.1.0-consumer\" />\n  </ItemGroup>"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System;
            using PhysMem;

            var map = MemoryMap.FromRanges(new MemoryRange(0x100000, 0x4000_0000), new MemoryRange(0x1_0000_0000, 0x1_4000_0000));
            using var memory = new Consumer.BoardMemory(map);
            unsafe
            {
                Page* page = memory.PfnToPage(0x100000);
                Console.WriteLine($"sections={memory.Storage.PresentSections.Count} shift={Consumer.BoardMemory.SectionsShift} roundtrip={memory.PageToPfn(page):x} valid={memory.PfnValid(0x100000)} hole={memory.PfnValid(0x50000)}");
            }

            namespace Consumer
            {
                [MemoryModel(Model.Sparse, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true)]
                public partial class BoardMemory { }
            }
            """);

        string output = Run(app, "dotnet", "run -c Release");
        // 1 GiB sections: [1 MiB, 1 GiB) is section 0, [4 GiB, 5 GiB) is section 4; 48 - 30 = 18.
        Assert.Contains("sections=2 shift=18 roundtrip=100000 valid=True hole=False", output);
    }

    private string Run(string directory, string file, string arguments)
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
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"'{file} {arguments}' did not finish in 5 minutes");
        _output.WriteLine($"$ {file} {arguments}\n{stdout}{stderr.Result}");
        Assert.True(process.ExitCode == 0, $"'{file} {arguments}' exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    // Walks up from the test assembly: source paths from [CallerFilePath] are rewritten in CI builds.
    private static string RepoRoot()
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
