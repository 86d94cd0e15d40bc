using System;
using System.Collections.Generic;
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
    public void Packed_package_builds_and_runs_a_fresh_console_project()
    {
        string feed = Path.Combine(_work, "feed");
        var entries = Pack("runtime/PhysMem/PhysMem.csproj", feed, "0.1.0-consumer");
        Assert.Contains("analyzers/dotnet/cs/PhysMem.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/PhysMem.CodeFixes.dll", entries);
        Assert.Contains("lib/net8.0/PhysMem.dll", entries);
        Assert.Contains("lib/net10.0/PhysMem.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/netstandard", StringComparison.Ordinal));

        string app = Path.Combine(_work, "Consumer");
        Run(_work, "dotnet", "new console -n Consumer -o Consumer --framework net10.0");
        WriteFeedOnlyConfig(Path.Combine(app, "nuget.config"), feed);
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
                using var small = new Consumer.SmallMachine(map);
                Consumer.SmallPage* first = small.PfnToPage(0x100000);
                long stride = (byte*)small.PfnToPage(0x100001) - (byte*)first;
                Console.WriteLine($"stride={stride} storage={small.Storage.GetType().Name} roundtrip={small.PageToPfn(first):x} refcount={first->Refcount}");
            }

            namespace Consumer
            {
                [MemoryModel(Model.Sparse, SectionSizeBits = 30, MaxPhysmemBits = 48, Vmemmap = true)]
                public partial class BoardMemory { }

                // The README's own page type.
                public struct SmallPage
                {
                    public uint Refcount;
                    public ulong Flags;
                    public nint Owner;
                }

                [MemoryModel(Model.Sparse, Vmemmap = true, PageType = typeof(SmallPage))]
                public partial class SmallMachine { }
            }
            """);

        string output = Run(app, "dotnet", "run -c Release");
        // 1 GiB sections: [1 MiB, 1 GiB) is section 0, [4 GiB, 5 GiB) is section 4; 48 - 30 = 18.
        Assert.Contains("sections=2 shift=18 roundtrip=100000 valid=True hole=False", output);
        Assert.Contains("stride=24 storage=SparseMemory`1 roundtrip=100000 refcount=0", output);
    }

    [Fact]
    public void Packed_explorer_installs_as_a_tool_and_runs()
    {
        string feed = Path.Combine(_work, "tools-feed");
        string tools = Path.Combine(_work, "tools");
        var entries = Pack("samples/Explorer/Explorer.csproj", feed, "0.1.0-tool");
        Assert.Contains("tools/net10.0/any/PhysMem.Explorer.dll", entries);
        Assert.Contains("tools/net10.0/any/PhysMem.dll", entries);
        Assert.Contains("tools/net10.0/any/PhysMem.Generator.dll", entries);
        Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);

        // Installed from that feed alone, as a user installs a tool.
        string config = Path.Combine(_work, "tools-nuget.config");
        WriteFeedOnlyConfig(config, feed);
        Run(_work, "dotnet", $"tool install PhysMem.Explorer --tool-path \"{tools}\" --configfile \"{config}\" --version 0.1.0-tool");
        string physmem = Path.Combine(tools, OperatingSystem.IsWindows() ? "physmem.exe" : "physmem");

        string layout = Run(_work, physmem, "layout --sparse --vmemmap --defines");
        Assert.Contains("#define SECTION_SIZE_BITS 27", layout);
        Assert.Contains("#define SECTIONS_SHIFT 19", layout);

        // emit runs the packaged generator: the model it prints compiles to the same constants.
        string emitted = Run(_work, physmem, "emit --sparse --vmemmap");
        Assert.Contains("[MemoryModel(", emitted);
        Assert.Contains("public const int SectionsShift = 19;", emitted);

        // arm64 with 4 KiB pages before and after 5.12: 1 GiB sections became 128 MiB ones.
        string compare = Run(_work, physmem, "compare \"--arch Arm64_4K_Pre512\" \"--arch Arm64_4K\"");
        Assert.Matches(@"SECTION_SIZE_BITS\s+30\s+27", compare);
    }

    // Packs a project of the repository into the folder feed; returns the package's entries.
    private List<string> Pack(string project, string feed, string version)
    {
        string configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        Run(RepoRoot(), "dotnet", $"pack {project} -c {configuration} -o \"{feed}\" -p:Version={version}");
        string nupkg = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    // A nuget.config whose only source is the folder feed: nothing can come from anywhere else.
    private static void WriteFeedOnlyConfig(string path, string feed) => File.WriteAllText(path, $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
          </packageSources>
        </configuration>
        """);

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
