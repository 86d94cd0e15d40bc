using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace PhysMem.Explorer.Tests;

/// <summary>The built program, run as a real process: the exit code reaches the shell.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task A_refused_configuration_exits_2_from_the_real_process()
    {
        string app = Path.Combine(AppContext.BaseDirectory, "PhysMem.Explorer.dll");
        Assert.True(File.Exists(app), "the Explorer build output is missing: " + app);

        // The dotnet host that runs these tests (set by the SDK), else the one on PATH.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", app, "layout", "--section-size-bits", "20" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Equal(string.Empty, await stdout);
        Assert.StartsWith("error PMEM0103: Subsection size exceeds section size", await stderr);
    }
}
