using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace PhysMem.Package.Tests;

/// <summary>The package's icon and its validation at pack time.</summary>
public sealed partial class PackageConsumerTests
{
    [Fact]
    public void The_nuspec_names_the_icon_and_the_package_holds_it_as_drawn()
    {
        var package = Library();
        Assert.Contains("<icon>icon.png</icon>", package.Texts["PhysMem.nuspec"], StringComparison.Ordinal);
        Assert.Contains("icon.png", package.Entries);

        using var zip = ZipFile.OpenRead(Directory.GetFiles(package.Feed, "*.nupkg").Single());
        using var packed = new MemoryStream();
        using (var entry = zip.GetEntry("icon.png")!.Open())
        {
            entry.CopyTo(packed);
        }

        byte[] icon = packed.ToArray();
        Assert.Equal(File.ReadAllBytes(Path.Combine(PackedFeed.RepoRoot(), "runtime", "PhysMem", "PackageIcon", "icon.png")), icon);

        // A PNG (signature, then IHDR) of 128 x 128 pixels, the size nuget.org shows.
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, icon[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(icon, 12, 4));
        Assert.Equal(128, (icon[16] << 24) | (icon[17] << 16) | (icon[18] << 8) | icon[19]);
        Assert.Equal(128, (icon[20] << 24) | (icon[21] << 16) | (icon[22] << 8) | icon[23]);
    }

    [Fact]
    public void Packing_the_library_validates_the_package()
    {
        var result = PackedFeed.Run(PackedFeed.RepoRoot(), "dotnet", "msbuild runtime/PhysMem/PhysMem.csproj -getProperty:EnablePackageValidation -getProperty:PackageValidationBaselinePath");
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("\"EnablePackageValidation\": \"true\"", result.Stdout, StringComparison.Ordinal);

        // The baseline is 0.1.0's package, committed beside the project (see PhysMem.csproj), and it is
        // a package whose version is 0.1.0.
        var baseline = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetProperty("Properties").GetProperty("PackageValidationBaselinePath").GetString()!;
        Assert.True(File.Exists(baseline), baseline);
        using var zip = System.IO.Compression.ZipFile.OpenRead(baseline);
        using var nuspec = new StreamReader(zip.GetEntry("PhysMem.nuspec")!.Open());
        Assert.Contains("<version>0.1.0</version>", nuspec.ReadToEnd(), StringComparison.Ordinal);
    }
}
