using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using PhysMem.Tests.Generated;
using Xunit;
using Xunit.Abstractions;

namespace PhysMem.Tests;

// After Dispose, every public instance member that takes and returns no pointer throws
// ObjectDisposedException, on every generated model and every storage, over Page and over a page
// type of its own. The members are found by reflection, so a new one cannot be forgotten. A member
// that reads freed memory would kill the process rather than fail, so the calls run in a child
// process (this assembly's own entry point, DisposedProbe), which prints each member before calling
// it: a crash fails the test naming that member.
public class DisposedModelTests
{
    private readonly ITestOutputHelper _output;

    public DisposedModelTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("models")]
    [InlineData("storages")]
    public void Every_member_without_pointers_throws_object_disposed(string group)
    {
        var (exitCode, lines, errors) = RunProbe(group);
        var calls = lines.Where(l => l.StartsWith("call ", StringComparison.Ordinal)).Select(l => l["call ".Length..]).ToList();
        var outcomes = lines.Where(l => !l.StartsWith("call ", StringComparison.Ordinal) && l != "done")
            .Select(l => (Outcome: l[..l.IndexOf(' ', StringComparison.Ordinal)], Member: l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
            .ToList();

        if (calls.Count > outcomes.Count)
        {
            Assert.Fail($"The child process died (exit code {exitCode}) calling {calls[^1]} after Dispose; the members after it were not checked.\n{errors}");
        }

        Assert.True(exitCode == 0 && lines.LastOrDefault() == "done", $"The probe ended with exit code {exitCode}:\n{errors}");
        var wrong = outcomes.Where(o => o.Outcome != "disposed").Select(o => o.Outcome + ": " + o.Member).ToList();
        Assert.True(wrong.Count == 0, "After Dispose these did not throw ObjectDisposedException:\n" + string.Join("\n", wrong));

        // Every target was probed, through the members that matter most.
        var targets = group == "models" ? DisposedProbe.Models.Keys : DisposedProbe.Storages.Keys;
        foreach (string target in targets)
        {
            var members = outcomes.Where(o => o.Member.StartsWith(target + " ", StringComparison.Ordinal)).Select(o => o.Member[(target.Length + 1)..]).ToList();
            Assert.Contains("PfnValid(UInt64)", members);
            Assert.Contains(group == "models" ? "get_Storage()" : "get_Layout()", members);
        }

        _output.WriteLine($"{outcomes.Count} members after Dispose, all ObjectDisposedException");
    }

    // The rule's reach: pointer forms are left out, everything else is in.
    [Fact]
    public void The_covered_members_are_those_without_pointers()
    {
        var names = DisposedProbe.Covered(typeof(ClassicStatic)).Select(DisposedProbe.Describe).ToList();

        Assert.Contains("PfnValid(UInt64)", names);
        Assert.Contains("PfnToPageRef(UInt64)", names);
        Assert.Contains("PageToPfn(ref Page)", names);
        Assert.Contains("EnterReadSection()", names);
        Assert.DoesNotContain(names, n => n.StartsWith("PfnToPage(", StringComparison.Ordinal) || n == "PageToPfn(Page*)" || n.StartsWith("NrToSection(", StringComparison.Ordinal));
        Assert.DoesNotContain("Dispose()", names);
    }

    // The raw forms stay unchecked, but a disposed model's table pointer is the shared empty table,
    // not freed memory (compared without reading through either pointer, so no crash is possible here).
    [Fact]
    public unsafe void AfterDisposeTheTableOfAModelIsTheEmptyOne()
    {
        var m = new ClassicExtreme(HotplugState.BootMap);
        MemSection* live = m.NrToSection(0);

        m.Dispose();

        Assert.NotEqual((ulong)live, (ulong)m.NrToSection(0));
        Assert.True(m.NrToSection(0) == null, "section 0 has a root after Dispose");
        var s = new ClassicStatic(HotplugState.BootMap);
        s.Dispose();
        Assert.True(s.NrToSection(0) == EmptyTables.Sections(ClassicStatic.NrMemSections), "the static table is not the empty one");
    }

    private static (int ExitCode, List<string> Lines, string Errors) RunProbe(string group)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(DisposedProbe).Assembly.Location);
        start.ArgumentList.Add("disposed-probe");
        start.ArgumentList.Add(group);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The probe did not finish in two minutes.");
        }

        return (process.ExitCode, lines, errors.Result);
    }
}
