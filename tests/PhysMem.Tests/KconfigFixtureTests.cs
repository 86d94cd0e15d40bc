using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

/// <summary>
/// Real kernels against their own words: each fixture under Fixtures/kconfig holds a Debian kernel's
/// .config and the mminit::pageflags_layout lines that kernel printed when booted with
/// mminit_loglevel=4 (capture.sh there says how). The layout read from the .config must print the
/// same lines.
/// </summary>
public sealed class KconfigFixtureTests
{
    internal static readonly string FixtureRoot = FindFixtureRoot();

    public static TheoryData<string> Fixtures => new(Directory.GetDirectories(FixtureRoot).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_layout_of_the_config_prints_the_kernels_own_mminit_lines(string fixture)
    {
        var layout = LayoutOf(fixture);
        Assert.Equal(Read(fixture, "mminit.txt"), layout.ToMminitLines());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void On_a_cpu_without_5_level_paging_MaxPhysmemBits_46_prints_the_4_level_boot(string fixture)
    {
        string path = Path.Combine(FixtureRoot, fixture, "mminit-4level.txt");
        if (!File.Exists(path))
        {
            return;
        }

        var layout = LayoutOf(fixture, new LayeredInput("MaxPhysmemBits", "46", "test"));
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), layout.ToMminitLines());
    }

    [Fact]
    public void There_are_fixtures_of_several_versions_and_architectures()
    {
        var results = Directory.GetDirectories(FixtureRoot).Select(d => KconfigReader.Read(File.ReadAllText(Path.Combine(d, "config")), "config")).ToList();
        Assert.True(results.Count >= 3);
        Assert.True(results.Select(r => r.Rules!.Series).Distinct().Count() >= 2, "fixtures of at least two kernel series");
        Assert.True(results.Select(r => r.ArchName).Distinct().Count() >= 3, "fixtures of at least three architectures");
    }

    /// <summary>
    /// Each architecture preset against a real kernel of that architecture: the values a preset
    /// stands for (page size, word size, section size, physical address bits, the section table,
    /// MAX_PAGE_ORDER, the architecture's zones) are the ones the kernel's .config gives, and so
    /// print its mminit lines. ZONE_DEVICE is a configuration choice, not the architecture's, and
    /// is left out; so are a FLATMEM kernel's SPARSEMEM values (it has none).
    /// </summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_preset_of_the_kernels_architecture_has_its_values(string fixture)
    {
        var kconfig = KconfigReader.Read(Read(fixture, "config"), "config");
        Assert.True(kconfig.Preset is not null, fixture + " names no preset");
        var fromConfig = LayoutOf(fixture).Spec;
        var options = new LayoutOptions();
        Assert.True(ArchPresets.TryApply(kconfig.Preset!.Value, options, out _));
        var preset = options.Resolve(new List<LayoutDiagnostic>());
        var differences = new List<string>();
        void Same<T>(string name, T ours, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(ours, theirs))
            {
                differences.Add($"{name}: preset {ours}, kernel {theirs}");
            }
        }

        Same("PageShift", preset.PageShift, fromConfig.PageShift);
        Same("BitsPerLong", preset.BitsPerLong, fromConfig.BitsPerLong);
        // arch/arm/Kconfig: ARCH_FORCE_MAX_ORDER defaults one higher with SOC_AM33XX, which a
        // multiplatform kernel such as Debian's armmp selects; the preset keeps the plain default.
        bool am33xx = kconfig.Preset == Arch.Arm && Read(fixture, "config").Contains("\nCONFIG_SOC_AM33XX=y\n", StringComparison.Ordinal);
        Same("MaxPageOrder", preset.MaxPageOrder + (am33xx ? 1 : 0), fromConfig.MaxPageOrder);

        // arch/x86/Kconfig: NODES_SHIFT defaults to 10 with MAXSMP (Debian's amd64 kernels), 6 otherwise.
        bool maxsmp = Read(fixture, "config").Contains("\nCONFIG_MAXSMP=y\n", StringComparison.Ordinal);
        Same("NodesShift", maxsmp ? 10 : preset.NodesShift, fromConfig.NodesShift);
        Same("Zones", preset.Zones & ~Zones.Device, fromConfig.Zones & ~Zones.Device);
        if (fromConfig.Model == Model.Sparse)
        {
            Same("Model", preset.Model, fromConfig.Model);
            Same("SectionSizeBits", preset.SectionSizeBits, fromConfig.SectionSizeBits);
            Same("MaxPhysmemBits", preset.MaxPhysmemBits, fromConfig.MaxPhysmemBits);
            Same("Vmemmap", preset.Vmemmap, fromConfig.Vmemmap);
            Same("Extreme", preset.Extreme, fromConfig.Extreme);
        }

        Assert.True(differences.Count == 0, kconfig.Preset + " against " + fixture + ":\n" + string.Join("\n", differences));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_reads_without_errors_or_notes(string fixture)
    {
        var result = KconfigReader.Read(Read(fixture, "config"), "config");
        Assert.Empty(result.Problems);
        Assert.NotNull(result.Options.Model);
        Assert.NotNull(result.Options.NrPageflags);
    }

    internal static MemoryLayout LayoutOf(string fixture, params LayeredInput[] above)
    {
        var kconfig = KconfigReader.Read(Read(fixture, "config"), "config");
        Assert.False(kconfig.HasErrors, string.Join("\n", kconfig.Problems));
        var layers = new List<IReadOnlyList<LayeredInput>> { above, KconfigLayers.KconfigLayer(kconfig) };
        if (kconfig.Preset is Arch arch)
        {
            layers.Add(KconfigLayers.PresetLayer(arch));
        }

        var rejected = new List<RejectedInput>();
        var options = KconfigLayers.Merge(layers, new List<LayeredInput>(), rejected);
        Assert.Empty(rejected);
        var problems = new List<LayoutDiagnostic>();
        var spec = options.Resolve(problems);
        Assert.Empty(problems);
        return MemoryLayout.Create(spec);
    }

    private static string FindFixtureRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "PhysMem.Tests", "Fixtures", "kconfig");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/PhysMem.Tests/Fixtures/kconfig was not found above " + AppContext.BaseDirectory);
    }

    private static string Read(string fixture, string file) => File.ReadAllText(Path.Combine(FixtureRoot, fixture, file)).Replace("\r\n", "\n");
}
