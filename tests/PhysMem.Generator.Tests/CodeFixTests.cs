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

    private static Task Fix<TCodeFix>(string before, string after)
        where TCodeFix : CodeFixProvider, new() =>
        new CodeFixMarkupTest<TCodeFix>(Wrap(before), Wrap(after)).RunAsync();

    private static string Wrap(string declaration) => "using PhysMem;\nnamespace N;\n" + declaration + "\n";
}
