using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using PhysMem.Explorer.Commands;

namespace PhysMem.Explorer;

/// <summary>
/// The <c>physmem</c> command line: <c>layout</c> shows one configuration, <c>presets</c> lists the
/// architecture presets, <c>map</c> reports on a memory map, <c>emit</c> prints the generated
/// code for a configuration, <c>compare</c> sets two configurations side by side. Everything it prints comes from the shared layout code; this class only
/// parses the command line and turns outcomes into exit codes.
/// </summary>
public static class ExplorerApp
{
    /// <summary>The name the command is invoked by (the tool's command name).</summary>
    public const string CommandName = "physmem";

    /// <summary>Exit code of a run that did what was asked.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when the command line is wrong or the kernel would refuse the configuration.</summary>
    public const int ExitRefused = 2;

    /// <summary>Runs the command line in-process, writing to the given writers.</summary>
    /// <param name="args">The arguments, without the command name.</param>
    /// <param name="stdout">Receives the requested output.</param>
    /// <param name="stderr">Receives errors and notes that are not part of the requested output.</param>
    /// <returns>The exit code: <see cref="ExitOk"/> or <see cref="ExitRefused"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = BuildRoot();
        var parse = root.Parse(args);

        // --help and --version are answered even when the rest of the line has errors.
        bool answersAnyway = parse.Action is { ClearsParseErrors: true };
        if (parse.Errors.Count > 0 && !answersAnyway)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            string command = parse.CommandResult.Command == root ? CommandName : CommandName + " " + parse.CommandResult.Command.Name;
            stderr.WriteLine($"Run '{command} --help' to see the commands and options.");
            return ExitRefused;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command BuildRoot()
    {
        // A plain command rather than RootCommand, so that help shows "physmem" whatever process
        // hosts it (the apphost, "dotnet run", or a test runner).
        var root = new Command(CommandName, "Explore Linux physical memory layouts as PhysMem computes them: the page->flags bits, the section tables and the kernel's #defines.")
        {
            new HelpOption(),
            new VersionOption(),
            LayoutCommand.Create(),
            PresetsCommand.Create(),
            MapCommand.Create(),
            EmitCommand.Create(),
            CompareCommand.Create(),
        };
        return root;
    }
}
