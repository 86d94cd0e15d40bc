using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Package.Tests;

/// <summary>
/// The package as a user gets it: packed into a folder feed, added to a fresh project made with
/// <c>dotnet new</c> outside the solution, restored from that feed alone, built and run. Each package
/// is packed once for the class (<see cref="PackedFeed"/>).
/// </summary>
public sealed partial class PackageConsumerTests : IClassFixture<PackedFeed>
{
    // The design card's model, and the README's own page type.
    private const string DesignCardProgram = """
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

            public struct SmallPage
            {
                public uint Refcount;
                public ulong Flags;
                public nint Owner;
            }

            [MemoryModel(Model.Sparse, Vmemmap = true, PageType = typeof(SmallPage))]
            public partial class SmallMachine { }
        }
        """;

    private readonly ITestOutputHelper _output;
    private readonly PackedFeed _packed;

    public PackageConsumerTests(PackedFeed packed, ITestOutputHelper output)
    {
        _packed = packed;
        _output = output;
    }

    [Fact]
    public void Library_package_holds_both_frameworks_the_analyzers_and_a_readme_of_its_own()
    {
        var package = Library();
        Assert.Contains("analyzers/dotnet/cs/PhysMem.Generator.dll", package.Entries);
        Assert.Contains("analyzers/dotnet/cs/PhysMem.CodeFixes.dll", package.Entries);
        Assert.Contains("lib/net8.0/PhysMem.dll", package.Entries);
        Assert.Contains("lib/net10.0/PhysMem.dll", package.Entries);
        Assert.Contains("buildTransitive/net8.0/PhysMem.props", package.Entries);
        Assert.Contains("buildTransitive/net8.0/PhysMem.targets", package.Entries);
        Assert.DoesNotContain(package.Entries, e => e.StartsWith("lib/netstandard", StringComparison.Ordinal));

        // nuget.org shows the readme alone: a link or image relative to the repository would be broken there.
        Assert.Contains("<readme>PACKAGE.md</readme>", package.Texts["PhysMem.nuspec"]);
        string readme = package.Texts["PACKAGE.md"];
        Assert.Contains("dotnet add package PhysMem", readme);
        Assert.Empty(Regex.Matches(readme, @"\]\((?!https://)[^)]*\)"));
        Assert.Contains("<releaseNotes>", package.Texts["PhysMem.nuspec"]);
    }

    [Fact]
    public void Packed_package_builds_without_warnings_and_runs_a_fresh_net10_console_project()
    {
        string app = NewConsumer("Consumer", "net10.0");
        Build(app, "-warnaserror");
        string output = Ok(PackedFeed.Run(app, "dotnet", "run --no-build -c Release"));
        // 1 GiB sections: [1 MiB, 1 GiB) is section 0, [4 GiB, 5 GiB) is section 4; 48 - 30 = 18.
        Assert.Contains("sections=2 shift=18 roundtrip=100000 valid=True hole=False", output);
        Assert.Contains("stride=24 storage=SparseMemory`1 roundtrip=100000 refcount=0", output);

        // A compiler older than the generator's Roslyn is named, once, before it fails to load it.
        // (CompilerApiVersion is what the SDK reads from the compiler; set here, it stands in for an old one.)
        string old = Build(app, "--no-restore -p:CompilerApiVersion=roslyn4.12");
        Assert.Contains("warning PMEMCFG0001", old);
        Assert.Contains("Roslyn 4.14 or later (the .NET SDK 9.0.300 or later, or Visual Studio 2022 17.14 or later); this build uses Roslyn 4.12", old);
    }

    [Fact]
    public void Packed_package_builds_a_fresh_net8_console_project_without_warnings()
    {
        // Built, not run: the machine need not have the .NET 8 runtime.
        string app = NewConsumer("Consumer8", "net8.0");
        string output = Build(app, "-warnaserror");
        Assert.DoesNotContain("PMEMCFG0001", output);
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net8.0", "Consumer8.dll")));
    }

    [Fact]
    public void A_netstandard_library_is_refused_at_restore_naming_the_supported_frameworks()
    {
        string lib = Path.Combine(_packed.Work, "Netstandard");
        Directory.CreateDirectory(lib);
        PackedFeed.WriteFeedOnlyConfig(Path.Combine(lib, "nuget.config"), Library().Feed);
        File.WriteAllText(Path.Combine(lib, "Netstandard.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.0</TargetFramework>
                <RestorePackagesPath>packages</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PhysMem" Version="{PackedFeed.LibraryVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(lib, "Board.cs"), "[PhysMem.MemoryModel(PhysMem.Model.Sparse)] public partial class Board { }");

        var result = PackedFeed.Run(lib, "dotnet", "build -c Release");
        _output.WriteLine(result.Transcript);
        Assert.NotEqual(0, result.ExitCode);
        string output = result.Stdout + result.Stderr;
        // NuGet's own error, at restore, with the frameworks the package has; never the compiler's
        // CS0246 about a missing namespace.
        Assert.Contains("error NU1202: Package PhysMem " + PackedFeed.LibraryVersion + " is not compatible with netstandard2.0", output);
        Assert.Contains("net8.0", output);
        Assert.Contains("net10.0", output);
        Assert.DoesNotContain("CS0246", output);
    }

    [Fact]
    public void Packed_explorer_holds_only_what_it_runs_installs_as_a_tool_and_runs()
    {
        var package = Tool();
        var tools = package.Entries.Where(e => e.StartsWith("tools/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        // No satellite resources (13 languages of the compiler and System.CommandLine) and no XML docs.
        Assert.Equal(
            new[]
            {
                "DotnetToolSettings.xml", "Microsoft.CodeAnalysis.CSharp.dll", "Microsoft.CodeAnalysis.dll",
                "PhysMem.Explorer.deps.json", "PhysMem.Explorer.dll", "PhysMem.Explorer.pdb", "PhysMem.Explorer.runtimeconfig.json",
                "PhysMem.Generator.dll", "PhysMem.Generator.pdb", "PhysMem.dll", "PhysMem.pdb", "Spectre.Console.Ansi.dll", "Spectre.Console.dll", "System.CommandLine.dll",
            }.Select(f => "tools/net10.0/any/" + f),
            tools);
        Assert.Contains("<readme>PACKAGE.md</readme>", package.Texts["PhysMem.Explorer.nuspec"]);
        Assert.Empty(Regex.Matches(package.Texts["PACKAGE.md"], @"\]\((?!https://)[^)]*\)"));

        // Installed from that feed alone, as a user installs a tool.
        string toolPath = Path.Combine(_packed.Work, "tools");
        string config = Path.Combine(_packed.Work, "tools-nuget.config");
        PackedFeed.WriteFeedOnlyConfig(config, package.Feed);
        Ok(PackedFeed.Run(_packed.Work, "dotnet", $"tool install PhysMem.Explorer --tool-path \"{toolPath}\" --configfile \"{config}\" --version {PackedFeed.ToolVersion}"));
        string physmem = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "physmem.exe" : "physmem");

        // Bare, it answers with its help.
        string help = Ok(PackedFeed.Run(_packed.Work, physmem, ""));
        Assert.Contains("Usage:", help);
        Assert.Contains("layout", help);

        string layout = Ok(PackedFeed.Run(_packed.Work, physmem, "layout --sparse --vmemmap --defines"));
        Assert.Contains("#define SECTION_SIZE_BITS 27", layout);
        Assert.Contains("#define SECTIONS_SHIFT 19", layout);

        // emit runs the packaged generator: the model it prints compiles to the same constants.
        string emitted = Ok(PackedFeed.Run(_packed.Work, physmem, "emit --sparse --vmemmap"));
        Assert.Contains("[MemoryModel(", emitted);
        Assert.Contains("public const int SectionsShift = 19;", emitted);

        // arm64 with 4 KiB pages before and after 5.12: 1 GiB sections became 128 MiB ones.
        string compare = Ok(PackedFeed.Run(_packed.Work, physmem, "compare \"--arch Arm64_4K_Pre512\" \"--arch Arm64_4K\""));
        Assert.Matches(@"SECTION_SIZE_BITS\s+30\s+27", compare);
    }

    private PackedPackage Library() => Logged(() => _packed.Library);

    private PackedPackage Tool() => Logged(() => _packed.Tool);

    private PackedPackage Logged(Func<PackedPackage> get)
    {
        try
        {
            return get();
        }
        finally
        {
            _output.WriteLine(_packed.TakeLog());
        }
    }

    // A console project as 'dotnet new console' makes it (the template offers only the SDK's own
    // framework, so other frameworks are set afterwards), referencing PhysMem from the feed alone.
    private string NewConsumer(string name, string framework)
    {
        string feed = Library().Feed;
        string app = Path.Combine(_packed.Work, name);
        Ok(PackedFeed.Run(_packed.Work, "dotnet", $"new console -n {name} -o {name} --framework net10.0"));
        PackedFeed.WriteFeedOnlyConfig(Path.Combine(app, "nuget.config"), feed);
        string project = Path.Combine(app, name + ".csproj");
        File.WriteAllText(project, File.ReadAllText(project)
            .Replace("<TargetFramework>net10.0</TargetFramework>", $"<TargetFramework>{framework}</TargetFramework>")
            .Replace(
                "</PropertyGroup>",
                $"  <AllowUnsafeBlocks>true</AllowUnsafeBlocks>\n    <RestorePackagesPath>packages</RestorePackagesPath>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"PhysMem\" Version=\"{PackedFeed.LibraryVersion}\" />\n  </ItemGroup>"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), DesignCardProgram);
        return app;
    }

    private string Build(string app, string arguments) => Ok(PackedFeed.Run(app, "dotnet", "build -c Release " + arguments));

    private string Ok(ProcessResult result)
    {
        _output.WriteLine(result.Transcript);
        Assert.True(result.ExitCode == 0, $"'{result.Command}' exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }
}
