extern alias codefixes;

using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// The code fixes, applied by the Roslyn testing library as an IDE applies them: the generator's
/// diagnostic marked <c>{|PMEMnnnn:...|}</c> must be where the markup says, the fix must turn the
/// source into the fixed text, and the fixed source must leave the generator with nothing to say.
/// </summary>
public class CodeFixTests
{
    [Theory]
    [InlineData("[MemoryModel(Model.Flat)] public class {|PMEM0001:M|} { }", "[MemoryModel(Model.Flat)] public partial class M { }")]
    [InlineData("[MemoryModel(Model.Flat)]\nclass {|PMEM0001:M|} { }", "[MemoryModel(Model.Flat)]\npartial class M { }")]
    [InlineData("public sealed class {|PMEM0001:Outer|} { [MemoryModel(Model.Flat)] public partial class M { } }", "public sealed partial class Outer { [MemoryModel(Model.Flat)] public partial class M { } }")]
    public Task Make_partial(string before, string after) =>
        Fix<codefixes::PhysMem.CodeFixes.MakePartialCodeFix>(before, after);

    [Theory]
    [InlineData("PageShift = 11", "PageShift = 12")]
    [InlineData("PageShift = 40", "PageShift = 18")]
    [InlineData("NodesShift = -3", "NodesShift = 0")]
    [InlineData("KasanTagWidth = 5", "KasanTagWidth = 4")]
    [InlineData("KasanTagWidth = 100", "KasanTagWidth = 8")]
    [InlineData("BitsPerLong = 40", "BitsPerLong = 32")]
    // The nearest allowed value fills page->flags: the fixed model then has no bit for its node (PMEM0113).
    [InlineData("BitsPerLong = 32, {|PMEM0003:NrPageflags = 40|}", "BitsPerLong = 32, {|PMEM0113:NrPageflags = 32|}")]
    public Task Nearest_allowed_value(string before, string after) =>
        Fix<codefixes::PhysMem.CodeFixes.NearestValueCodeFix>(
            $"[MemoryModel(Model.Flat, {(before.Contains("{|", System.StringComparison.Ordinal) ? before : "{|PMEM0003:" + before + "|}")})] public partial class M {{ }}",
            $"[MemoryModel(Model.Flat, {after})] public partial class M {{ }}");

    [Theory]
    [InlineData("KasanTagWidth = 6")]
    [InlineData("KasanTagWidth = 2")]
    [InlineData("BitsPerLong = 48")]
    [InlineData("Zones = Zones.Dma | Zones.Normal")]
    public Task No_fix_when_the_nearest_value_is_ambiguous_or_not_a_number(string argument)
    {
        // The fixed source is the source itself: the test fails if any fix is offered.
        string marked = $"[MemoryModel(Model.Sparse, Vmemmap = true, {{|PMEM0003:{argument}|}})] public partial class M {{ }}";
        return Fix<codefixes::PhysMem.CodeFixes.NearestValueCodeFix>(marked, marked);
    }

    [Theory]
    [InlineData("NrCpusBits", "Vmemmap = true, NrCpus = 64", "Remove NrCpusBits = 3, keep NrCpus = 64")]
    [InlineData("NrCpus", "Vmemmap = true, NrCpusBits = 3", "Remove NrCpus = 64, keep NrCpusBits = 3")]
    public async Task Conflicting_options_lose_either_one(string removed, string left, string title)
    {
        var test = new CodeFixMarkupTest<codefixes::PhysMem.CodeFixes.RemoveConflictingOptionCodeFix>(
            Wrap("[MemoryModel(Model.Sparse, Vmemmap = true, NrCpus = 64, {|PMEM0007:NrCpusBits = 3|})] public partial class M { }"),
            Wrap($"[MemoryModel(Model.Sparse, {left})] public partial class M {{ }}"))
        {
            CodeActionEquivalenceKey = "RemoveConflictingOptionCodeFix." + removed,
            CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task A_model_with_a_file_and_banks_keeps_the_banks() => SplitSources(
        "Keep the 2 [MemoryBank] attribute(s): remove MemoryMapFile = \"board.iomem\"",
        "[MemoryModel(Model.Discontig)]\n[MemoryBank(0x0, 0x4000_0000)]\n[MemoryBank(0x1_0000_0000, 0x4000_0000)]\npublic partial class M { }");

    [Fact]
    public Task A_model_with_a_file_and_banks_keeps_the_file() => SplitSources(
        "Keep MemoryMapFile = \"board.iomem\": remove the 2 [MemoryBank] attribute(s)",
        "[MemoryModel(Model.Discontig, MemoryMapFile = \"board.iomem\")]\npublic partial class M { }");

    private static Task SplitSources(string title, string after)
    {
        const string Before = "[MemoryModel(Model.Discontig, {|PMEM0021:MemoryMapFile = \"board.iomem\"|})]\n[MemoryBank(0x0, 0x4000_0000)]\n[MemoryBank(0x1_0000_0000, 0x4000_0000)]\npublic partial class M { }";
        return new CodeFixMarkupTest<codefixes::PhysMem.CodeFixes.SplitMemorySourcesCodeFix>(Wrap(Before), Wrap(after), new[] { ("board.iomem", "00001000-0009fbff : System RAM\n00100000-3fffffff : System RAM\n") })
        {
            CodeActionEquivalenceKey = title.StartsWith("Keep the", System.StringComparison.Ordinal) ? codefixes::PhysMem.CodeFixes.SplitMemorySourcesCodeFix.KeepBanks : codefixes::PhysMem.CodeFixes.SplitMemorySourcesCodeFix.KeepFile,
            CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title),
        }.RunAsync();
    }

    private static Task Fix<TCodeFix>(string before, string after)
        where TCodeFix : CodeFixProvider, new() =>
        new CodeFixMarkupTest<TCodeFix>(Wrap(before), Wrap(after)).RunAsync();

    private static string Wrap(string declaration) => "using PhysMem;\nnamespace N;\n" + declaration + "\n";
}
