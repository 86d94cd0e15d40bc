using System;
using System.Collections.Generic;
using System.CommandLine;
using PhysMem.Explorer.Output;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem compare "A" "B"</c>: two configurations side by side (each given as the options of
/// 'layout', in one quoted argument), every value with the kernel's name, differences marked.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Creates the <c>compare</c> command.</summary>
    public static Command Create()
    {
        var a = new Argument<string>("A") { Description = "The first configuration: 'layout' options in one quoted argument, e.g. \"--arch Arm64_4K_Pre512\"." };
        var b = new Argument<string>("B") { Description = "The second configuration, e.g. \"--arch Arm64_4K\"." };
        var all = CliOptions.Flag("--all", "Show every value, not only those that differ.");
        var command = new Command("compare", "Show two configurations side by side: every value that differs (or, with --all, every value), by the kernel's name.")
        {
            a, b, all,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            // The first configuration that fails is the one reported: one failure, one line.
            if (LayoutCommand.Resolve(Split(parse.GetValue(a)!), error) is not { } left
                || LayoutCommand.Resolve(Split(parse.GetValue(b)!), error) is not { } right)
            {
                return ExplorerApp.ExitRefused;
            }

            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in left.Constants)
            {
                if (seen.Add(c.KernelName))
                {
                    names.Add(c.KernelName);
                }
            }

            foreach (var c in right.Constants)
            {
                if (seen.Add(c.KernelName))
                {
                    names.Add(c.KernelName);
                }
            }

            var table = new TextTable();
            table.Add(string.Empty, "value", "A: " + left.Describe(), "B: " + right.Describe());
            int differing = 0;
            foreach (string name in names)
            {
                string l = left.TryGet(name, out var lc) ? lc.DecimalText : "-";
                string r = right.TryGet(name, out var rc) ? rc.DecimalText : "-";
                bool differs = l != r;
                differing += differs ? 1 : 0;
                if (differs || parse.GetValue(all))
                {
                    table.Add(differs ? "*" : string.Empty, name, l, r);
                }
            }

            table.Write(output, indent: string.Empty);
            output.WriteLine();
            output.WriteLine($"{differing} of {names.Count} values differ (* marks them; '-' means the configuration does not define the name).");
            return ExplorerApp.ExitOk;
        });
        return command;
    }

    private static string[] Split(string options) => options.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
