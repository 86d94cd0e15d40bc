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
        var (code, stdout, stderr) = await RunAsync("layout", "--section-size-bits", "20");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("error PMEM0103: Subsection size exceeds section size", stderr);
    }

    [Theory]
    [InlineData("error PMEM0012: The kernel configuration '/dev/zero' cannot be read: it is larger than 16 MiB", "layout", "--kconfig", "/dev/zero")]
    [InlineData("error: --svg /dev/full: it cannot be written: ", "layout", "--svg", "/dev/full")]
    [InlineData("error: --type-name 'class' is a C# keyword", "emit", "--type-name", "class")]
    public async Task A_failure_of_the_real_process_is_one_line_and_exit_code_2(string start, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith(start, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("presets")]
    [InlineData("compare", "--arch Arm64_4K_Pre512", "--arch Arm64_4K")]
    [InlineData("layout", "--arch", "X86_64")]
    public async Task Redirected_output_is_plain_text_without_escape_codes(params string[] args)
    {
        var (code, stdout, _) = await RunAsync(args);
        Assert.Equal(0, code);
        Assert.NotEmpty(stdout);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.DoesNotContain('\u2502', stdout); // No drawn border (│).
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
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
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(app);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
