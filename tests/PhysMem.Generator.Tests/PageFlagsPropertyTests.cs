using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;

namespace PhysMem.Generator.Tests;

/// <summary>
/// Properties of the page->flags layout over random valid configurations: the fields never overlap
/// each other or the page-flag bits, and the generated accessors store and read every field without
/// disturbing the others.
/// </summary>
public class PageFlagsPropertyTests
{
    [Fact]
    public void Fields_never_overlap_and_fit_the_word()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var (options, _) = ParityTests.RandomValidOptions(new Random(seed));
            var l = MemoryLayout.Create(options.Resolve(new List<LayoutDiagnostic>()));
            ulong word = l.BitsPerLong == 64 ? ulong.MaxValue : 0xFFFF_FFFFUL;
            var fields = new List<ulong>
            {
                l.SectionsMask << l.SectionsPgshift,
                l.NodesMask << l.NodesPgshift,
                l.ZonesMask << l.ZonesPgshift,
                l.LastCpupidWidth == 0 ? 0 : l.LastCpupidMask << l.LastCpupidPgshift,
                l.KasanTagMask << l.KasanTagPgshift,
                l.LruGenMask,
                l.LruRefsMask,
                l.NrPageflags == 0 ? 0 : (1UL << l.NrPageflags) - 1,
            };
            ulong or = 0, sum = 0;
            foreach (var f in fields)
            {
                or |= f;
                sum += f;
            }

            int used = System.Numerics.BitOperations.PopCount(or);
            int expectedUsed = l.SectionsWidth + l.NodesWidth + l.ZonesWidth + l.LastCpupidWidth + l.KasanTagWidth + l.LruGenWidth + l.LruRefsWidth + l.NrPageflags;
            return or == sum && (or & ~word) == 0 && used == expectedUsed;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void Generated_accessors_round_trip_without_disturbing_other_fields(int seed)
    {
        var random = new Random(seed);
        var source = new StringBuilder("using PhysMem;\nnamespace F;\n");
        var probe = new StringBuilder("public static unsafe class Probe\n{\n    public static string Run(ulong seed)\n    {\n        var r = new global::System.Random((int)seed);\n        Page page = default;\n        Page* p = &page;\n");
        for (int i = 0; i < 15; i++)
        {
            var (options, attribute) = ParityTests.RandomValidOptions(random);
            var l = MemoryLayout.Create(options.Resolve(new List<LayoutDiagnostic>()));
            string m = "M" + i.ToString(CultureInfo.InvariantCulture);
            source.Append($"[MemoryModel({attribute})] public partial class {m} {{ }}\n");
            probe.Append($"        for (int k = 0; k < 200; k++)\n        {{\n            page.Flags = (ulong)r.NextInt64() & {(l.BitsPerLong == 64 ? "ulong.MaxValue" : "0xFFFF_FFFFUL")};\n");
            var fields = new List<(string Set, string Get, ulong Max)>
            {
                ($"{m}.SetPageZone(p, (int)v)", $"(ulong){m}.PageZonenum(p)", l.ZonesMask),
            };
            if (!l.NodeNotInPageFlags)
            {
                fields.Add(($"{m}.SetPageNode(p, (int)v)", $"(ulong){m}.PageToNid(p)", l.NodesMask));
            }

            if (l.SectionInPageFlags)
            {
                fields.Add(($"{m}.SetPageSection(p, v)", $"{m}.PageToSection(p)", l.SectionsMask));
            }

            if (l.LastCpupidWidth != 0)
            {
                fields.Add(($"{m}.SetPageLastCpupid(p, (int)v)", $"(ulong){m}.PageLastCpupid(p)", l.LastCpupidMask));
            }

            if (l.KasanTagWidth != 0)
            {
                // Stored inverted: reading returns (stored ^ 0xff), so a value in the field's range reads back as itself with the high bits of the byte set.
                fields.Add(($"{m}.SetPageKasanTag(p, (byte)v)", $"(ulong)({m}.PageKasanTag(p) & {m}.KasanTagMask)", l.KasanTagMask));
            }

            if (l.LruGenWidth != 0)
            {
                fields.Add(($"{m}.SetPageLruGen(p, (int)v - 1)", $"(ulong)({m}.PageLruGen(p) + 1)", (1UL << l.LruGenWidth) - 1));
            }

            if (l.LruRefsWidth != 0)
            {
                fields.Add(($"{m}.SetPageLruRefs(p, (int)v)", $"(ulong){m}.PageLruRefs(p)", (1UL << l.LruRefsWidth) - 1));
            }

            foreach (var (set, get, max) in fields)
            {
                if (max == 0)
                {
                    continue;
                }

                probe.Append($"            {{\n                ulong v = (ulong)r.NextInt64() % {max + 1}UL;\n                ulong before = page.Flags;\n                {set};\n                if ({get} != v) return \"{m}: {Escape(get)} read \" + {get} + \" after storing \" + v;\n");
                probe.Append("                ulong changed = before ^ page.Flags;\n");
                probe.Append($"                if ((changed & ~FieldMask_{m}_{fields.IndexOf((set, get, max))}) != 0) return \"{m}: {Escape(set)} disturbed other bits: 0x\" + changed.ToString(\"x\");\n            }}\n");
            }

            // SetPageLinks against the runtime's set_page_links on the same word.
            probe.Append($"            {{\n                var pf = new global::PhysMem.PageFlags({m}.Layout);\n                int zone = (int)((ulong)r.NextInt64() % {l.ZonesMask + 1}UL), node = (int)((ulong)r.NextInt64() % {l.NodesMask + 1}UL);\n                ulong pfn = (ulong)r.NextInt64() & {(l.IsSparse ? l.MaxPfn - 1 : 0xFFFF_FFFFUL)}UL;\n");
            probe.Append($"                ulong expected = page.Flags;\n                pf.SetLinks(ref expected, zone, node, pfn);\n                {m}.SetPageLinks(p, zone, node, pfn);\n");
            probe.Append($"                if (page.Flags != expected) return \"{m}: SetPageLinks gave 0x\" + page.Flags.ToString(\"x\") + \", set_page_links 0x\" + expected.ToString(\"x\");\n            }}\n");
            probe.Append("        }\n");
            for (int f = 0; f < fields.Count; f++)
            {
                source.Append($"public static partial class Masks {{ public const ulong FieldMask_{m}_{f} = 0x{FieldMask(l, fields[f].Set):X}UL; }}\n");
            }
        }

        probe.Append("        return \"ok\";\n    }\n}\n");
        string text = source + probe.ToString().Replace("FieldMask_", "Masks.FieldMask_");
        var compiled = CompiledModel.From(GeneratorHarness.Run(text));
        Assert.Equal("ok", compiled.Call("F.Probe", "Run", (ulong)seed));
    }

    private static string Escape(string s) => s.Replace("\"", "\\\"");

    /// <summary>The in-place bits of the field a setter writes, from the runtime layout.</summary>
    private static ulong FieldMask(MemoryLayout l, string setter) =>
        setter.Contains("SetPageZone", StringComparison.Ordinal) ? l.ZonesMask << l.ZonesPgshift
        : setter.Contains("SetPageNode", StringComparison.Ordinal) ? l.NodesMask << l.NodesPgshift
        : setter.Contains("SetPageSection", StringComparison.Ordinal) ? l.SectionsMask << l.SectionsPgshift
        : setter.Contains("SetPageLastCpupid", StringComparison.Ordinal) ? l.LastCpupidMask << l.LastCpupidPgshift
        : setter.Contains("SetPageKasanTag", StringComparison.Ordinal) ? l.KasanTagMask << l.KasanTagPgshift
        : setter.Contains("SetPageLruGen", StringComparison.Ordinal) ? l.LruGenMask
        : l.LruRefsMask;
}
