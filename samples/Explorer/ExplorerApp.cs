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

    /// <summary>
    /// Exit code of <c>map --sysfs-memory</c> when the kernel's blocks or zones do not agree with the
    /// computed ones (as <c>diff</c> exits 1 on a difference); the report on stdout lists the disagreements.
    /// </summary>
    public const int ExitDisagrees = 1;

    /// <summary>Exit code of a failure inside the program itself (a bug): one line, and the stack trace only with <c>--verbose</c>.</summary>
    public const int ExitInternalError = 1;

    /// <summary>The global <c>--verbose</c> option: an internal error prints its stack trace.</summary>
    private static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "On an internal error, print the stack trace as well as the one-line message.",
        Recursive = true,
    };

    /// <summary>Runs the command line in-process, writing to the given writers.</summary>
    /// <param name="args">The arguments, without the command name.</param>
    /// <param name="stdout">Receives the requested output.</param>
    /// <param name="stderr">Receives errors and notes that are not part of the requested output.</param>
    /// <returns>
    /// The exit code: <see cref="ExitOk"/>, <see cref="ExitRefused"/> for a wrong command line, a
    /// file that cannot be used or a configuration the kernel refuses, or <see cref="ExitInternalError"/>.
    /// Every failure is one line on <paramref name="stderr"/> that names the option or file and what
    /// is wrong; no stack trace unless <c>--verbose</c> is given.
    /// </returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = BuildRoot(completing: args.Length > 0 && IsSuggestDirective(args[0]));

        // A bare 'physmem' is someone finding out what the tool does: answer with the help, as
        // 'dotnet' and 'git' do, rather than with an error about a missing command.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);

        // --help and --version are answered even when the rest of the line has errors.
        bool answersAnyway = parse.Action is { ClearsParseErrors: true };
        if (parse.Errors.Count > 0 && !answersAnyway)
        {
            string command = parse.CommandResult.Command == root ? CommandName : CommandName + " " + parse.CommandResult.Command.Name;
            stderr.WriteLine($"error: {UsageErrors.OneLine(parse)} Run '{command} --help' to see the commands and options.");
            return ExitRefused;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (CommandLineException e)
        {
            return Fail(stderr, InputFiles.OneLine(e.Message), ExitRefused);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The output cannot be written (a full disk, a closed pipe): the world's failure, not the program's.
            return Fail(stderr, "cannot write the output: " + InputFiles.OneLine(e.Message), ExitRefused);
        }
        catch (Exception e)
        {
            string message = $"internal error: {e.GetType().Name}: {InputFiles.OneLine(e.Message)}";
            return parse.GetValue(Verbose)
                ? Fail(stderr, message + Environment.NewLine + e, ExitInternalError)
                : Fail(stderr, message + " (run again with --verbose for the stack trace)", ExitInternalError);
        }
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        try
        {
            stderr.WriteLine("error: " + message);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Nowhere left to say it; the exit code still does.
        }

        return code;
    }

    /// <summary>Whether <paramref name="arg"/> is the <c>[suggest]</c> or <c>[suggest:POSITION]</c> directive that shells' completion scripts send.</summary>
    private static bool IsSuggestDirective(string arg) =>
        arg.StartsWith("[suggest", StringComparison.Ordinal) && arg.EndsWith(']') && (arg.Length == "[suggest]".Length || arg["[suggest".Length] == ':');

    private static Command BuildRoot(bool completing)
    {
        const string description = "Explore Linux physical memory layouts as PhysMem computes them: the page->flags bits, the section tables and the kernel's #defines.";

        // Completion needs a RootCommand: only a RootCommand's parser reads directives, and its
        // [suggest] directive lists the commands, options and values that can follow (what
        // dotnet-suggest asks for). Everything else uses a plain command, so that help shows
        // "physmem" whatever process hosts it (the apphost, "dotnet run", or a test runner); a
        // RootCommand is named after the executable. The alias lets a completion request that
        // starts with "physmem" be read as this command under any host.
        Command root = completing
            ? new RootCommand(description) { Aliases = { CommandName } }
            : new Command(CommandName, description) { new HelpOption(), new VersionOption() };
        root.Add(Verbose);
        root.Add(LayoutCommand.Create());
        root.Add(PresetsCommand.Create());
        root.Add(MapCommand.Create());
        root.Add(EmitCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(VmcoreCommand.Create());
        return root;
    }
}
