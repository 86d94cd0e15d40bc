using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using PhysMem.Explorer.Output;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem layout</c>: builds a <see cref="LayoutOptions"/> from the options given, applies the
/// preset, resolves and computes the layout with the shared code, and prints it. A configuration
/// the kernel would refuse prints the same <c>PMEMnnnn</c> errors as the source generator.
/// </summary>
internal sealed class LayoutCommand
{
    private readonly Option<Arch?> _arch = CliOptions.Arch();
    private readonly Option<FileInfo?> _kconfig = CliOptions.Kconfig();
    private readonly Option<bool> _sparse = CliOptions.Flag("--sparse", "SPARSEMEM: memory described in sections (the default).");
    private readonly Option<bool> _flat = CliOptions.Flag("--flat", "FLATMEM: one mem_map from ARCH_PFN_OFFSET up.");
    private readonly Option<bool> _defines = CliOptions.Flag("--defines", "Print the layout as the kernel's #define lines.");
    private readonly Option<bool> _mminit = CliOptions.Flag("--mminit", "Print the lines a kernel booted with mminit_loglevel=4 prints for this layout.");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print the layout manifest as JSON.");
    private readonly Option<FileInfo?> _svg = new("--svg") { Description = "Also draw the page->flags bits and the section table sizes as an SVG picture into FILE.", HelpName = "FILE" };

    // One option per input the table gives a command-line spelling, in the table's order.
    private readonly (Option Option, InputDescriptor Input)[] _inputs = InputOptions();

    /// <summary>Creates the <c>layout</c> command with its options.</summary>
    public static Command Create() => new LayoutCommand().Build();

    private Command Build()
    {
        var command = new Command("layout", "Show the layout of one configuration: the page->flags bits, the section table sizes and the notes. Options not given take the preset's value (--arch) or PhysMem's defaults (x86-64, 4 KiB pages); a yes/no option followed by 'false' turns a preset's value off (--vmemmap false). A configuration the kernel would refuse prints its PMEMnnnn errors and exits with code 2.");
        command.Add(_arch);
        command.Add(_kconfig);
        command.Add(_sparse);
        command.Add(_flat);
        foreach (var (option, _) in _inputs)
        {
            command.Add(option);
        }

        command.Add(_defines);
        command.Add(_mminit);
        command.Add(_json);
        command.Add(_svg);
        command.Validators.Add(Validate);
        command.SetAction(Execute);
        return command;
    }

    private void Validate(CommandResult result)
    {
        bool Given(Option option) => result.GetResult(option) is not null;
        if (Given(_sparse) && Given(_flat))
        {
            result.AddError("--sparse and --flat exclude each other: give one of them.");
        }

        int formats = (Given(_defines) ? 1 : 0) + (Given(_mminit) ? 1 : 0) + (Given(_json) ? 1 : 0);
        if (formats > 1)
        {
            result.AddError("--defines, --mminit and --json exclude each other: give one of them.");
        }
    }

    /// <summary>
    /// Reads <c>layout</c>'s options from <paramref name="args"/> (for commands that take a
    /// configuration as an argument) and computes the layout; errors and notes go to <paramref name="error"/>.
    /// </summary>
    /// <returns>The layout, or null when the options are wrong or the kernel would refuse the configuration.</returns>
    internal static MemoryLayout? Resolve(string[] args, TextWriter error)
    {
        var layout = new LayoutCommand();
        var parse = layout.Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine("error: " + UsageErrors.OneLine(parse));
            return null;
        }

        return layout.Compute(parse, error, out _);
    }

    private int Execute(ParseResult parse)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        if (Compute(parse, stderr, out var inputs) is not { } layout)
        {
            return ExplorerApp.ExitRefused;
        }

        if (parse.GetValue(_svg) is { } svg)
        {
            InputFiles.WriteText(svg, _svg.Name, SvgDiagram.Render(layout));
            stderr.WriteLine("wrote " + svg.FullName);
        }

        switch (inputs.Format)
        {
            case LayoutFormat.Defines:
                stdout.Write(layout.ToKernelDefines());
                WriteDiagnostics(stderr, layout.Diagnostics);
                break;
            case LayoutFormat.Mminit:
                stdout.Write(layout.ToMminitLines());
                WriteDiagnostics(stderr, layout.Diagnostics);
                break;
            case LayoutFormat.Json:
                stdout.Write(layout.ToJson());
                break;
            default:
                LayoutReport.Write(stdout, inputs, layout);
                break;
        }

        return ExplorerApp.ExitOk;
    }

    /// <summary>Reads the inputs, resolves and computes the layout; every error goes to <paramref name="stderr"/>.</summary>
    private MemoryLayout? Compute(ParseResult parse, TextWriter stderr, out LayoutInputs inputs)
    {
        var problems = new List<LayoutDiagnostic>();
        inputs = ReadInputs(parse, problems);
        if (HasErrors(problems))
        {
            // A refused file's notes (an approximated kernel version) would only bury the reason.
            WriteDiagnostics(stderr, problems.FindAll(p => p.Descriptor.Severity == LayoutSeverity.Error));
            return null;
        }

        // Notes about the configuration (an approximated kernel version) come first.
        WriteDiagnostics(stderr, problems);
        problems.Clear();
        var spec = inputs.Options.Resolve(problems);
        if (HasErrors(problems))
        {
            WriteDiagnostics(stderr, problems);
            return null;
        }

        var result = MemoryLayout.Compute(spec);
        if (result.Layout is null)
        {
            WriteDiagnostics(stderr, result.Diagnostics);
        }

        return result.Layout;
    }

    private LayoutInputs ReadInputs(ParseResult parse, List<LayoutDiagnostic> problems)
    {
        var inputs = new LayoutInputs();
        var options = inputs.Options;
        if (parse.GetValue(_sparse))
        {
            options.Model = Model.Sparse;
            inputs.Given("Model", _sparse.Name);
        }
        else if (parse.GetValue(_flat))
        {
            options.Model = Model.Flat;
            inputs.Given("Model", _flat.Name);
        }

        foreach (var (option, input) in _inputs)
        {
            object? value = option switch
            {
                Option<bool> flag => parse.IsGiven(flag) ? parse.GetValue(flag) : null,
                Option<int?> number => parse.GetValue(number),
                Option<ulong?> big => parse.GetValue(big),
                _ => null,
            };
            if (value is not null && input.TrySetValue(options, value))
            {
                inputs.Given(input.Name, option.Name + (value is false ? " false"
                    : value is not bool && input.Cli!.SourceShowsValue ? " " + Convert.ToString(value, CultureInfo.InvariantCulture) : string.Empty));
            }
        }

        if (parse.GetValue(_kconfig) is FileInfo file)
        {
            // Options given on the command line win over the configuration, which wins over a preset.
            var kconfig = LayoutInputs.ReadKconfig(file, problems);
            if (kconfig is not null)
            {
                foreach (var p in kconfig.Problems)
                {
                    problems.Add(p.Diagnostic);
                }

                if (!kconfig.HasErrors)
                {
                    inputs.ApplyKconfig(kconfig, parse.GetValue(_arch), problems);
                }
            }
        }
        else if (parse.GetValue(_arch) is Arch arch)
        {
            inputs.ApplyPreset(arch);
        }

        inputs.Format = parse.GetValue(_defines) ? LayoutFormat.Defines
            : parse.GetValue(_mminit) ? LayoutFormat.Mminit
            : parse.GetValue(_json) ? LayoutFormat.Json
            : LayoutFormat.Report;
        return inputs;
    }

    private static (Option, InputDescriptor)[] InputOptions()
    {
        var options = new List<(Option, InputDescriptor)>();
        foreach (var input in InputTable.All)
        {
            if (input.Cli is not { } cli)
            {
                continue;
            }

            // The option's kind follows the input's type: a yes/no flag, a number, an unsigned 64-bit number.
            Option option = input.ClrType == typeof(bool) ? CliOptions.Flag(cli.Option, cli.Help)
                : input.ClrType == typeof(ulong) ? CliOptions.BigNumber(cli.Option, cli.Help)
                : input.ClrType == typeof(int) ? CliOptions.Number(cli.Option, cli.Help)
                : throw new InvalidOperationException("No command-line option kind for " + input.Name + " (" + input.ClrType.Name + ")");
            options.Add((option, input));
        }

        return options.ToArray();
    }

    private static bool HasErrors(IEnumerable<LayoutDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Descriptor.Severity == LayoutSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes diagnostics as a compiler does: <c>error PMEM0103: message</c>.</summary>
    private static void WriteDiagnostics(TextWriter writer, IEnumerable<LayoutDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            string severity = d.Descriptor.Severity switch
            {
                LayoutSeverity.Error => "error",
                LayoutSeverity.Warning => "warning",
                _ => "info",
            };
            writer.WriteLine($"{severity} {d.Id}: {InputFiles.OneLine(d.Message)}");
        }
    }
}
