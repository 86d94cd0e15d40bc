using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Hostile.Tests;

/// <summary>The harness itself: a plain model generates and compiles cleanly.</summary>
public sealed class SmokeTests
{
    [Fact]
    public void A_plain_model_generates_and_compiles()
    {
        var run = GeneratorHarness.Run("using PhysMem; [MemoryModel(Arch.X86_64)] public partial class M { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
