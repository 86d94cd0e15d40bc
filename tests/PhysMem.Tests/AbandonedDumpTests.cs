using System;
using System.IO;
using Xunit;

namespace PhysMem.Tests;

// A dump nobody disposed gives its mapping back when the garbage collector finalizes it. In the
// collection that runs alone: any other test's GC.Collect, running beside it, could finalize the
// dump before the test has seen its mapping (the first assertion, which shows the test can fail).
[Collection(nameof(ProcessWideCounters))]
public class AbandonedDumpTests
{
    [Fact]
    public void An_abandoned_dump_lets_its_mapping_go_when_collected()
    {
        string copy = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".core");
        File.Copy(VmcoreFixtureTests.Dump("6.12-4level"), copy);
        try
        {
            OpenAndDrop(copy);
            Assert.Contains(copy, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
            for (int i = 0; i < 3 && File.ReadAllText("/proc/self/maps").Contains(copy, StringComparison.Ordinal); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.DoesNotContain(copy, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static void OpenAndDrop(string path) => Assert.True(KernelDump.Open(path).PfnValid(1));
}
