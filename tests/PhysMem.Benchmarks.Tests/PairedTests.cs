using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PhysMem.Benchmarks.Native;
using PhysMem.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Benchmarks.Tests;

/// <summary>
/// The <c>paired</c> command: the C loops of <c>physmem_bench.c</c> built as a shared library and run
/// beside the generated loops in one process. The library is built here with gcc when the machine
/// has it, as <c>run.sh</c> builds it.
/// </summary>
[Collection(ConsoleCapture.Collection)]
public sealed class PairedTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "physmem-paired-" + Guid.NewGuid().ToString("N"));

    public PairedTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Arguments_it_cannot_use_are_named_without_a_stack_trace()
    {
        var (usage, usageText) = ConsoleCapture.Run(stdout: false, () => PairedCommand.Run(new[] { "--runs", "3" }));
        Assert.Equal(2, usage);
        Assert.StartsWith("usage: paired --native DIR", usageText, StringComparison.Ordinal);

        var (model, modelText) = ConsoleCapture.Run(stdout: false, () => PairedCommand.Run(new[] { "--native", _dir, "--model", "SPARSEMEM" }));
        Assert.Equal(2, model);
        Assert.Contains("no model is called 'SPARSEMEM'; the models: Flat, ClassicStatic, ClassicExtreme, Vmemmap, DiscontigTwoNode, DiscontigEightNode", modelText, StringComparison.Ordinal);

        var (missing, missingText) = ConsoleCapture.Run(stdout: false, () => PairedCommand.Run(new[] { "--native", _dir }));
        Assert.Equal(1, missing);
        Assert.StartsWith("paired: no file " + Path.Combine(_dir, "libbench-Flat.so"), missingText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missingText, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_generated_loop_is_timed_beside_the_same_c_loop_and_each_run_is_listed()
    {
        if (!BuildLibrary("Flat"))
        {
            return;
        }

        var (code, text) = ConsoleCapture.Run(stdout: true, () => PairedCommand.Run(new[] { "--native", _dir, "--model", "Flat", "--runs", "2", "--rounds", "1", "--job", "Matrix" }));

        Assert.True(code == 0, text);
        Assert.Contains("### Generated ÷ C, paired in one process (Matrix: tiered compilation off), 2 runs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(Defaults", text, StringComparison.Ordinal);

        // The 16 loops of the C file, each with both sides' times and one ratio per run, whose median is the next cell.
        var rows = text.Split('\n').Where(l => Regex.IsMatch(l, @"^\| (PfnToPage|PageToPfn|PfnValid|PageToNid|PageZonenum|SetPageLinks|RoundTrip) \|")).ToList();
        Assert.Equal(16, rows.Count);
        foreach (string row in rows)
        {
            string[] cells = row.Split('|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
            Assert.True(Parse(cells[2]) > 0 && Parse(cells[3]) > 0, row);
            double[] runs = cells[4].Split(" / ").Select(r => Parse(r.Split(' ')[0])).ToArray();
            Assert.Equal(2, runs.Length);
            Assert.Equal(runs.Min(), Parse(Regex.Match(cells[5], @"^[0-9.]+ \(([0-9.]+)-").Groups[1].Value));
            bool target = cells[0] is "PfnToPage" or "PageToPfn";
            Assert.Equal(target ? (runs.Max() > 1.10 ? $"missed in {runs.Count(r => r > 1.10)}/2" : "met") : "-", cells[6]);
        }

        Assert.Matches(@"\n[0-4] of 4 targets met in every run \(Matrix\)", text);
    }

    [Fact]
    public void A_library_whose_checksums_or_model_differ_is_refused()
    {
        if (!BuildLibrary("Flat"))
        {
            return;
        }

        // The same library under another model's name.
        File.Copy(Path.Combine(_dir, "libbench-Flat.so"), Path.Combine(_dir, "libbench-Vmemmap.so"));
        var (wrongModel, wrongModelText) = ConsoleCapture.Run(stdout: false, () => PairedCommand.Run(new[] { "--native", _dir, "--model", "Vmemmap", "--child", "--rounds", "1" }));
        Assert.Equal(1, wrongModel);
        Assert.Contains("was built for the model Flat, not Vmemmap", wrongModelText, StringComparison.Ordinal);

        // One checksum off by one: the C side finds it before timing anything.
        string expected = Path.Combine(_dir, "Flat.expected");
        string[] lines = File.ReadAllLines(expected);
        string[] first = lines[0].Split(' ');
        first[2] = (ulong.Parse(first[2], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        lines[0] = string.Join(' ', first);
        File.WriteAllLines(expected, lines);
        var (code, text) = ConsoleCapture.Run(stdout: false, () => PairedCommand.Run(new[] { "--native", _dir, "--model", "Flat", "--child", "--rounds", "1" }));
        Assert.Equal(1, code);
        Assert.Contains("paired: physmem_bench (Flat): the checksums above differ from the C# generated model's", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    // native-export's files and the model's library, as run.sh makes them; false (and a note) without gcc.
    private bool BuildLibrary(string model)
    {
        int gcc;
        try
        {
            using var version = Process.Start(new ProcessStartInfo("gcc", "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            version.WaitForExit();
            gcc = version.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            gcc = -1;
        }

        if (gcc != 0)
        {
            _output.WriteLine("Skipped: no gcc, which builds the C loops.");
            return false;
        }

        var (exported, exportText) = ConsoleCapture.Run(stdout: true, () => NativeExport.Run(new[] { _dir }));
        Assert.True(exported == 0, exportText);
        var build = new ProcessStartInfo("gcc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-O2", "-std=gnu17", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-DPHYSMEM_BENCH_LIBRARY", "-include", Path.Combine(_dir, model + ".h"), Repo.Path("benchmarks", "native", "physmem_bench.c"), "-o", Path.Combine(_dir, "libbench-" + model + ".so") })
        {
            build.ArgumentList.Add(arg);
        }

        using var process = Process.Start(build)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return true;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
