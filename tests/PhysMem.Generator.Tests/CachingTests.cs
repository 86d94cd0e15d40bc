using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The caching check that every generator test makes covers only the steps its run reaches: the
/// driver records a step on the way to an output, so a run with no AdditionalFiles never records
/// the steps that read them, and a run without diagnostics never records the diagnostics step.
/// This run reaches every step the generator names, so none of them goes unchecked.
/// </summary>
public class CachingTests
{
    [Fact]
    public void Every_tracking_name_is_reached_and_cached_after_an_unrelated_edit()
    {
        const string Source = """
            using PhysMem;
            namespace N;
            [MemoryModel(Kconfig = "small.config")] public partial class FromConfig { }
            [MemoryModel(Model.Discontig, NodesShift = 2, MemoryMapFile = "board.iomem")] public partial class FromMap { }
            [MemoryModel(Model.Sparse, NodesShift = 10, NrPageflags = 35)] public partial class WithNote { }
            [MemoryModel(VmcoreInfo = "vmcoreinfo.txt")] public partial class FromDump { }
            """;
        var config = new InMemoryAdditionalText("/p/small.config", "# Linux/arm64 6.12.0 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_64BIT=y\nCONFIG_ARM64_16K_PAGES=y\nCONFIG_MMU=y\n");
        var map = new InMemoryAdditionalText("/p/board.iomem",
            "# numa: 0:0x0-0x1fffffff,1:0x20000000-0x7fffffff,2:0x80000000-0x13fffffff,3:0x140000000-0x1ffffffff\n"
            + File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "qemu-6.12-4node-uneven", "iomem")));

        var note = new InMemoryAdditionalText("/p/vmcoreinfo.txt", File.ReadAllText(Repo.Path("tests", "PhysMem.Tests", "Fixtures", "vmcore", "6.12-4level", "vmcoreinfo.txt")));

        var run = KconfigHarness.RunWithDriver(Source, new AdditionalText[] { config, map, note }, null, out var driver, out var compilation);
        Assert.Equal(4, run.Sources.Count);
        Assert.Equal("PMEM0111", Assert.Single(run.GeneratorDiagnostics).Id);

        var steps = GeneratorHarness.AssertCachedAfterUnrelatedEdit(driver, compilation);
        Assert.Empty(GeneratorHarness.TrackedSteps.Except(steps));
    }
}
