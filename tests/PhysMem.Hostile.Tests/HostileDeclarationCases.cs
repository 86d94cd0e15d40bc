using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PhysMem.Hostile.Tests;

/// <summary>What a declaration must come to.</summary>
public enum Outcome
{
    /// <summary>Generated, and the file has no error at all.</summary>
    Generates,

    /// <summary>A PMEM error in the file; the uses of the model compile (its refused surface has the members).</summary>
    Refused,

    /// <summary>A PMEM error in the file; nothing can be added to the type, so the file holds no uses.</summary>
    RefusedNoSurface,

    /// <summary>Either of the first two: generated with no error, or refused by a PMEM error with the uses compiling.</summary>
    Either,
}

/// <summary>
/// One hostile program fragment: its own files (each in its own namespace), what it must come to,
/// the PMEM IDs that must be among its diagnostics, and the compiler errors the user's own code
/// causes (which are not the generator's to prevent).
/// </summary>
public sealed record HostileCase(string Name, string[] Files, Outcome Outcome, string[] Ids, string[] CompilerErrors)
{
    public override string ToString() => Name;
}

/// <summary>
/// Builds the hostile declarations: every kind of type and nesting, keyword identifiers, member
/// collisions, generic and file-local types, partial declarations across files, every option with
/// out-of-range and extreme values, contradictory combinations, banks and page types at their edges.
/// </summary>
public static class HostileDeclarationCases
{
    // Every int and bool input the attribute has, read from the attribute itself, so a new input meets the extremes without a list to update.
    private static readonly string[] IntOptions = AttributeProperties(typeof(int));

    private static readonly string[] BoolOptions = AttributeProperties(typeof(bool));

    private static string[] AttributeProperties(Type type) =>
        typeof(PhysMem.MemoryModelAttribute).GetProperties().Where(p => p.CanWrite && p.PropertyType == type).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    private static readonly string[] Models = { "Model.Flat", "Model.Discontig", "Model.Sparse", "Arch.X86_64", "Arch.X86_32", "Arch.Arm64_64K" };

    private static readonly string[] IntValues = { "int.MinValue", "-1", "0", "1", "5", "12", "20", "31", "32", "33", "46", "52", "63", "64", "65", "1024", "int.MaxValue" };

    public static IReadOnlyList<HostileCase> All()
    {
        var cases = new List<HostileCase>();
        int n = 0;
        string Ns() => "H" + (n++).ToString(CultureInfo.InvariantCulture);

        // Every option at every extreme, on every kind of model: generated, or refused by a PMEM error.
        foreach (string model in Models)
        {
            foreach (string option in IntOptions)
            {
                foreach (string value in IntValues)
                {
                    cases.Add(Model(Ns(), $"[MemoryModel({model}, {option} = {value})]", Outcome.Either, name: $"{model} {option}={value}"));
                }
            }

            foreach (string option in BoolOptions)
            {
                foreach (string value in new[] { "true", "false" })
                {
                    cases.Add(Model(Ns(), $"[MemoryModel({model}, {option} = {value})]", Outcome.Either, name: $"{model} {option}={value}"));
                }
            }

            foreach (string value in new[] { "0", "1", "ulong.MaxValue", "0x8000000000000", "(1UL << 52)" })
            {
                cases.Add(Model(Ns(), $"[MemoryModel({model}, ArchPfnOffset = {value})]", Outcome.Either, name: $"{model} ArchPfnOffset={value}"));
            }

            foreach (string value in new[] { "(Zones)0", "(Zones)(-1)", "(Zones)1024", "Zones.Normal", "Zones.Normal | Zones.Movable", "Zones.Dma32 | Zones.Normal | Zones.Movable", "Zones.HighMem | Zones.Normal | Zones.Movable", "(Zones)63" })
            {
                cases.Add(Model(Ns(), $"[MemoryModel({model}, Zones = {value})]", Outcome.Either, name: $"{model} Zones={value}"));
            }
        }

        // Contradictory and extreme combinations.
        string[] combos =
        {
            "Model.Sparse, MaxPhysmemBits = 64", "Model.Sparse, MaxPhysmemBits = 64, Extreme = true", "Model.Sparse, MaxPhysmemBits = 64, SectionSizeBits = 12",
            "Model.Sparse, SectionSizeBits = 70", "Model.Sparse, SectionSizeBits = 20", "Model.Sparse, Vmemmap = true, BitsPerLong = 32",
            "Model.Flat, Vmemmap = true, Extreme = true", "Model.Discontig, SectionSizeBits = 27", "Model.Flat, MaxPhysmemBits = 40",
            "Model.Sparse, BitsPerLong = 32, Zones = Zones.Dma32 | Zones.Normal | Zones.Movable", "Model.Sparse, BitsPerLong = 32, MaxPhysmemBits = 64",
            "Model.Sparse, NodesShift = 10, NrPageflags = 64", "Model.Sparse, NumaBalancing = true, NodesShift = 0", "Model.Sparse, ZoneDevice = true",
            "Model.Sparse, PageblockOrder = 20, MaxPageOrder = 0", "Arch.X86_32, Vmemmap = true",
            "Model.Sparse, Kconfig = null", "Model.Sparse, MemoryMapFile = null", "Model.Sparse, Kconfig = null, MemoryMapFile = null",
            "Model.Sparse, Kconfig = \"\"", "Model.Sparse, MemoryMapFile = \" \"", "Model.Sparse, Kconfig = \"missing.config\"", "Model.Sparse, MemoryMapFile = \"missing.iomem\"",
            "(Model)7", "(Model)(-1)", "(Arch)0", "(Arch)999", "Model.Sparse, PageType = null", "Model.Sparse, PageType = typeof(int)",
            "Model.Sparse, PageType = typeof(string)", "Model.Sparse, PageType = typeof(System.Collections.Generic.List<>)", "Model.Sparse, PageType = typeof(NoFlags)",
            "Model.Sparse, PageType = typeof(UintFlags)", "Model.Sparse, PageType = typeof(GoodPage)", "Model.Sparse, PageType = typeof(GoodPage), BitsPerLong = 32",
            "Model.Sparse, PageType = typeof(ClassPage)", "Model.Sparse, PageType = typeof(G<int>)", "Model.Sparse, PageType = typeof(G<>)", "Model.Sparse, PageType = typeof(RefPage)",
            "Model.Sparse, PageType = typeof(ReadonlyFlags)", "Model.Sparse, PageType = typeof(PropertyFlags)", "Model.Sparse, PageType = typeof(Zones)",
        };
        foreach (string combo in combos)
        {
            cases.Add(Model(Ns(), $"[MemoryModel({combo})]", combo.Contains("PageType") || combo.StartsWith("(", StringComparison.Ordinal) ? Outcome.Either : Outcome.Either, name: combo, extra: PageTypes));
        }

        // Banks at their edges, on every model.
        string[] banks =
        {
            "[MemoryBank(0, 0)]", "[MemoryBank(0, 0x1000, Node = -1)]", "[MemoryBank(0, 0x1000, Node = 1024)]", "[MemoryBank(ulong.MaxValue, 0x1000)]",
            "[MemoryBank(0, ulong.MaxValue)]", "[MemoryBank(0, 0x40000000)][MemoryBank(0x20000000, 0x40000000)]", "[MemoryBank(0x1000, 0xfff)]",
            "[MemoryBank(0, 0x40000000)][MemoryBank(0x100000000, 0x40000000, Node = 1)]", "[MemoryBank(0, 0x40000000, Node = 1)][MemoryBank(0x40000000, 0x40000000)][MemoryBank(0x80000000, 0x1000, Node = 1)]",
            "[MemoryBank(1UL << 60, 0x1000)]",
        };
        foreach (string model in new[] { "Model.Flat", "Model.Discontig, NodesShift = 2", "Model.Sparse, NodesShift = 2", "Arch.X86_64" })
        {
            foreach (string bank in banks)
            {
                cases.Add(Model(Ns(), $"[MemoryModel({model})]{bank}", Outcome.Either, name: model + " " + bank, uses: false));
            }
        }

        AddShapes(cases, Ns);
        return cases;
    }

    /// <summary>Kinds of type, nesting, identifiers and collisions.</summary>
    private static void AddShapes(List<HostileCase> cases, Func<string> ns)
    {
        const string A = "[MemoryModel(Arch.X86_64)]";
        void Add(string name, Outcome outcome, string[] ids, string body, string[]? compilerErrors = null, string? useType = null, bool constructs = true, bool uses = true) =>
            cases.Add(Case(name, ns(), outcome, ids, compilerErrors ?? Array.Empty<string>(), body, uses ? useType ?? "M" : null, constructs));

        // Keyword identifiers, reserved and contextual, for the type, its containers and its namespace.
        foreach (string keyword in new[] { "class", "int", "namespace", "record", "var", "partial", "async", "await", "dynamic", "nameof", "value", "field", "global", "unsafe", "file", "required", "scoped" })
        {
            Add("type @" + keyword, Outcome.Generates, Array.Empty<string>(), $"{A} public partial class @{keyword} {{ }}", useType: "@" + keyword);
            Add("container @" + keyword, Outcome.Generates, Array.Empty<string>(), $"public partial class @{keyword} {{ {A} public partial class M {{ }} }}", useType: "@" + keyword + ".M");
        }

        // Kinds of type that cannot hold a model.
        Add("struct", Outcome.Refused, new[] { "PMEM0031" }, $"{A} public partial struct M {{ }}");
        Add("readonly struct", Outcome.Refused, new[] { "PMEM0031" }, $"{A} public readonly partial struct M {{ }}");
        Add("ref struct", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"{A} public ref partial struct M {{ }}");
        Add("record struct", Outcome.Refused, new[] { "PMEM0009" }, $"{A} public partial record struct M;");
        Add("record class", Outcome.Refused, new[] { "PMEM0009" }, $"{A} public partial record M;");
        Add("record with parameters", Outcome.Refused, new[] { "PMEM0009" }, $"{A} public partial record M(int X);", constructs: false);
        Add("primary constructor", Outcome.Refused, new[] { "PMEM0031" }, $"{A} public partial class M(int x) {{ public int X => x; }}", constructs: false);
        Add("static class", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"{A} public static partial class M {{ }}");
        Add("not partial", Outcome.RefusedNoSurface, new[] { "PMEM0001" }, $"{A} public class M {{ }}");
        Add("container not partial", Outcome.RefusedNoSurface, new[] { "PMEM0001" }, $"public class Outer {{ {A} public partial class M {{ }} }}");
        Add("generic", Outcome.RefusedNoSurface, new[] { "PMEM0002" }, $"{A} public partial class M<T> {{ }}");
        Add("abstract", Outcome.Generates, Array.Empty<string>(), $"{A} public abstract partial class M {{ }}", constructs: false);
        Add("sealed internal", Outcome.Generates, Array.Empty<string>(), $"{A} internal sealed partial class M {{ }}");
        Add("file-local", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"{A} file partial class M {{ }}");
        Add("in file-local container", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"file partial class Outer {{ {A} public partial class M {{ }} }}");
        Add("unsafe class", Outcome.Generates, Array.Empty<string>(), $"{A} public unsafe partial class M {{ }}");

        // Nesting.
        foreach (string container in new[] { "partial class", "static partial class", "partial struct", "partial interface", "partial record", "partial record struct", "sealed partial class", "abstract partial class" })
        {
            Add("in " + container, Outcome.Generates, Array.Empty<string>(), $"public {container} Outer {{ {A} public partial class M {{ }} }}", useType: "Outer.M");
            Add("deep in " + container, Outcome.Generates, Array.Empty<string>(), $"public {container} Outer {{ public partial class Middle {{ {A} public partial class M {{ }} }} }}", useType: "Outer.Middle.M");
        }

        // Generic containers: refused (every Outer<X> would get a layout of its own), but their hint names stay unique.
        foreach (var (container, use) in new[] { ("partial class Outer<T>", "Outer<int>.M"), ("partial class Outer<T, U>", "Outer<int, byte>.M"), ("partial struct Outer<T> where T : struct", "Outer<int>.M"), ("partial interface Outer<T>", "Outer<int>.M"), ("partial class Outer<[Tag] T>", "Outer<int>.M"), ("partial class Outer<@class>", "Outer<int>.M") })
        {
            Add("in " + container, Outcome.Refused, new[] { "PMEM0002" }, $"[System.AttributeUsage(System.AttributeTargets.GenericParameter)] public sealed class Tag : System.Attribute {{ }} public {container} {{ {A} public partial class M {{ }} }}", useType: use);
        }

        // The issue's first example: a generic and a non-generic container of one name, each with a model.
        cases.Add(new HostileCase("Outer and Outer<T>", new[] { $"namespace {ns()} {{ using PhysMem; public partial class Outer {{ {A} public partial class Inner {{ }} }} public partial class Outer<T> {{ [MemoryModel(Arch.Arm64_4K)] public partial class Inner {{ }} }} }}" },
            Outcome.Either, new[] { "PMEM0002" }, Array.Empty<string>()));

        // Names equal but for case (hint names compare without case) and two types of one simple name.
        string caseNs = ns();
        cases.Add(new HostileCase("Mem and mem", new[] { $"namespace {caseNs} {{ using PhysMem; {A} public partial class Mem {{ }} }}", $"namespace {caseNs} {{ using PhysMem; {A} public partial class mem {{ }} }}" },
            Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));
        string twoNs = ns();
        cases.Add(new HostileCase("a.M and a_M", new[] { $"namespace {twoNs}.a {{ using PhysMem; {A} public partial class M {{ }} }}", $"namespace {twoNs} {{ using PhysMem; {A} public partial class a_M {{ }} }}" },
            Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));

        // file partial classes of one name in two files.
        string fileNs = ns();
        cases.Add(new HostileCase("file M twice", new[] { $"namespace {fileNs} {{ using PhysMem; {A} file partial class M {{ }} }}", $"namespace {fileNs} {{ using PhysMem; {A} file partial class M {{ }} }}" },
            Outcome.RefusedNoSurface, new[] { "PMEM0031" }, Array.Empty<string>()));

        // [MemoryModel] twice: on two partial declarations, and on one (the compiler also says CS0579).
        string dupNs = ns();
        cases.Add(new HostileCase("two partial declarations", new[] { $"namespace {dupNs} {{ using PhysMem; {A} public partial class M {{ }} }}", $"namespace {dupNs} {{ using PhysMem; [MemoryModel(Arch.Arm64_4K)] public partial class M {{ }} }}" },
            Outcome.Either, new[] { "PMEM0029" }, new[] { "CS0579" }));
        Add("attribute twice", Outcome.Either, new[] { "PMEM0029" }, $"{A}[MemoryModel(Arch.Arm64_4K)] public partial class M {{ }}", compilerErrors: new[] { "CS0579" });

        // Members the generator also writes.
        foreach (string member in new[]
        {
            "public const int SectionsShift = 1;", "public static int PageShift => 1;", "public void PfnToPage(ulong pfn) { }", "public void Dispose() { }", "public int Layout => 0;",
            "public object? Storage;", "public M(PhysMem.MemoryMap map) { }", "private int _storage;", "private bool _disposed;", "public static ulong PhysToPfn(ulong a) => a;",
            "public event System.Action? PfnValid;", "public class Layout { }", "public int PfnToSectionNr;", "private static int s_layout;", "public ulong PageToPfn(ref PhysMem.Page page) => 0;",
        })
        {
            Add("member " + member, Outcome.Refused, new[] { "PMEM0032" }, $"{A} public partial class M {{ {member} }}", uses: false);
        }

        foreach (string member in new[] { "public void PfnToPage(int pfn) { }", "public int Other => 1;", "public M() : this(PhysMem.MemoryMap.Example) { }", "void System.IDisposable.Dispose() { }", "public static int Sections => 0;" })
        {
            Add("harmless member " + member, Outcome.Either, Array.Empty<string>(), $"{A} public partial class M {{ {member} }}", constructs: false);
        }

        Add("inherited member", Outcome.Refused, new[] { "PMEM0032" }, $"public class Base {{ public bool PfnValid; }} {A} public partial class M : Base {{ }}", constructs: false);
        Add("inherited private member", Outcome.Generates, Array.Empty<string>(), $"public class Base {{ private bool PfnValid; }} {A} public partial class M : Base {{ }}", compilerErrors: new[] { "CS0169" }, constructs: false);

        // Types named like a generated member.
        foreach (string name in new[] { "Layout", "Storage", "PageShift", "Dispose", "PfnToPage", "SectionsShift" })
        {
            Add("type named " + name, Outcome.Refused, new[] { "PMEM0032" }, $"{A} public partial class {name} {{ }}", uses: false);
        }

        // Found by red-teaming: each was a crash, an error inside generated code, or a cascade.
        string fnv = ns();
        cases.Add(new HostileCase("32-bit hash collision of case-equal names", new[] { $"namespace {fnv} {{ using PhysMem; [MemoryModel(Model.Sparse)] public partial class memORYmoDElCOLLISIOnprOBE {{ }} [MemoryModel(Model.Sparse)] public partial class memorYMoDElCOLlISionPROBE {{ }} }}" },
            Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));
        string greek = ns();
        cases.Add(new HostileCase("non-ASCII names of one shape", new[] { $"namespace {greek} {{ using PhysMem; [MemoryModel(Model.Sparse)] public partial class οτχθμχ {{ }} [MemoryModel(Model.Sparse)] public partial class ψςςλξζ {{ }} }}" },
            Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));
        Add("two partial declarations in one file", Outcome.Either, new[] { "PMEM0029" }, $"{A} public partial class M {{ }} [MemoryModel(Arch.Arm64_4K)] public partial class M {{ }}", compilerErrors: new[] { "CS0579" }, uses: false);
        Add("a name of 300 characters", Outcome.Generates, Array.Empty<string>(), $"{A} public partial class {new string('L', 300)} {{ }}", useType: new string('L', 300));
        foreach (string file in new[] { "a\\nb", "x\\u0085class", "a\\u2028class X {", "a\\u2029b", "x\\r\\ny", "a\\u0001b" })
        {
            Add("Kconfig = \"" + file + "\"", Outcome.Refused, new[] { "PMEM0011" }, $"[MemoryModel(Arch.X86_64, Kconfig = \"{file}\")] public partial class M {{ }}");
            Add("MemoryMapFile = \"" + file + "\"", Outcome.Refused, new[] { "PMEM0020" }, $"[MemoryModel(Model.Discontig, MemoryMapFile = \"{file}\")] public partial class M {{ }}", constructs: false);
        }

        Add("a type named nint", Outcome.Generates, Array.Empty<string>(), $"public class nint {{ }} [MemoryModel(Model.Sparse, Vmemmap = true, Extreme = true)] public partial class M {{ }} [MemoryModel(Model.Sparse, Extreme = true)] public partial class C {{ }} [MemoryModel(Model.Discontig, NodesShift = 1)] [MemoryBank(0x0, 0x1000_0000)] [MemoryBank(0x1000_0000, 0x1000_0000, Node = 1)] public partial class D {{ }} [MemoryModel(Model.Discontig)] public partial class E {{ }}");
        Add("a nested struct nint", Outcome.Generates, Array.Empty<string>(), $"[MemoryModel(Model.Sparse, Vmemmap = true, Extreme = true)] public partial class M {{ private struct nint {{ }} }}");
        Add("a nested struct nint in a DISCONTIGMEM model", Outcome.Generates, Array.Empty<string>(), $"[MemoryModel(Model.Discontig, NodesShift = 1)] public partial class M {{ private struct nint {{ }} }}");
        Add("a method named nameof", Outcome.Generates, Array.Empty<string>(), $"[MemoryModel(Model.Sparse)] public partial class M {{ public int nameof(ulong x) => 0; }}");
        Add("a field named _", Outcome.Generates, Array.Empty<string>(), $"[MemoryModel(Model.Sparse, Vmemmap = true)] public partial class M {{ private static string _ = \"\"; public static string U => _; }}");
        Add("a container field named _", Outcome.Generates, Array.Empty<string>(), $"public partial class Outer {{ private int _ = 1; public int U => _; {A} public partial class M {{ }} }}", useType: "Outer.M");
        Add("the user's own [GeneratedCode]", Outcome.Generates, Array.Empty<string>(), $"[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1\")] {A} public partial class M {{ }}");
        Add("explicit layout", Outcome.Refused, new[] { "PMEM0031" }, $"[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] {A} public partial class M {{ [System.Runtime.InteropServices.FieldOffset(0)] public int X; }}");
        Add("base with nested types named like members", Outcome.Refused, new[] { "PMEM0032" }, $"public class Base {{ public class Storage {{ }} public struct Layout {{ }} public enum PageShift {{ }} }} {A} public partial class M : Base {{ }}", uses: false);
        Add("nested in its own base, which has private members named like them", Outcome.Refused, new[] { "PMEM0032" }, $"public partial class Base {{ private static int Storage; private int _disposed; public int U => Storage + _disposed; [MemoryModel(Model.Sparse)] public partial class M : Base {{ }} }}", uses: false);
        Add("a model deriving from a model", Outcome.Either, new[] { "PMEM0031" }, $"{A} public partial class M {{ }} [MemoryModel(Model.Sparse)] public partial class D : M {{ }}", compilerErrors: new[] { "CS7036", "CS1729" }, uses: false);
        Add("a base without a constructor to call", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"public class Base {{ public Base(int x) {{ }} }} {A} public partial class M : Base {{ }}", compilerErrors: new[] { "CS7036" });
        Add("a base whose constructor is obsolete", Outcome.RefusedNoSurface, new[] { "PMEM0031" }, $"public class Base {{ [System.Obsolete(\"no\")] public Base() {{ }} }} {A} public partial class M : Base {{ }}");
        Add("a constructor that does not chain", Outcome.Refused, new[] { "PMEM0037" }, $"{A} public partial class M {{ public M(int x) {{ }} }}", constructs: false);
        Add("an obsolete page type", Outcome.Generates, Array.Empty<string>(), $"[System.Obsolete(\"old\")] public struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] public partial class M {{ }}");
        Add("an obsolete Flags field", Outcome.Generates, Array.Empty<string>(), $"public struct P {{ [System.Obsolete] public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] public partial class M {{ }}");
        Add("a private protected page type for a protected model", Outcome.Refused, new[] { "PMEM0018" }, $"public partial class Outer {{ private protected struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] protected partial class M {{ }} }}", uses: false);
        Add("an internal page type for a protected internal model", Outcome.Refused, new[] { "PMEM0018" }, $"public partial class Outer {{ internal struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] protected internal partial class M {{ }} }}", uses: false);
        Add("a private page type for a private model beside it", Outcome.Generates, Array.Empty<string>(), $"public partial class Outer {{ private struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] private partial class M {{ }} public static object U => typeof(M); }}", uses: false);
        Add("a protected page type for a protected model of the same container", Outcome.Generates, Array.Empty<string>(), $"public partial class Outer {{ protected struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] protected partial class M {{ }} }}", uses: false);
        Add("a file-local page type", Outcome.Refused, new[] { "PMEM0017" }, $"file struct P {{ public ulong Flags; }} [MemoryModel(Model.Sparse, PageType = typeof(P))] internal partial class M {{ }}");

        // Keyword namespaces.
        string kwNs = ns();
        cases.Add(new HostileCase("namespace @class.@int", new[] { $"namespace {kwNs}.@class.@int {{ using PhysMem; {A} public partial class M {{ }} static class Use {{ static void Run() {{ _ = M.Layout; }} }} }}" },
            Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));
        string globalName = "Global" + ns();
        cases.Add(new HostileCase("global namespace", new[] { $"using PhysMem; {A} public partial class {globalName} {{ }}" }, Outcome.Generates, Array.Empty<string>(), Array.Empty<string>()));
    }

    private static HostileCase Model(string ns, string attributes, Outcome outcome, string name, bool uses = true, string extra = "") =>
        Case(name, ns, outcome, Array.Empty<string>(), Array.Empty<string>(), $"{attributes} public partial class M {{ }} {extra}", uses ? "M" : null, constructs: uses);

    private static HostileCase Case(string name, string ns, Outcome outcome, string[] ids, string[] compilerErrors, string body, string? useType, bool constructs)
    {
        string use = outcome == Outcome.RefusedNoSurface || useType is null ? string.Empty : Uses(useType, constructs);
        return new HostileCase(name, new[] { $"namespace {ns} {{ using PhysMem; {body} {use} }}" }, outcome, ids, compilerErrors);
    }

    // Uses of the model that compile against any model's members (and against a refused model's surface).
    private static string Uses(string type, bool constructs) =>
        "static class Use { static void Run() { _ = " + type + ".Layout; _ = " + type + ".PhysToPfn(0);"
        + (constructs ? " " + type + " m = new " + type + "(global::PhysMem.MemoryMap.Example); using (m) { _ = m.PfnValid(0); _ = m.Storage; }" : string.Empty) + " } }";

    private const string PageTypes =
        "public struct NoFlags { public int X; } public struct UintFlags { public uint Flags; } public struct GoodPage { public ulong Flags; public ulong A, B, C; }"
        + " public class ClassPage { public ulong Flags; } public struct G<T> { public ulong Flags; } public ref struct RefPage { public ulong Flags; }"
        + " public struct ReadonlyFlags { public readonly ulong Flags; } public struct PropertyFlags { public ulong Flags { get; set; } }";
}
