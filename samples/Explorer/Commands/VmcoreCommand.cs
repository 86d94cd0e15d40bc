using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using PhysMem.Explorer.Output;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// <c>physmem vmcore FILE</c>: reads a kernel's dump (an ELF vmcore with its VMCOREINFO note) read-only,
/// and prints the kernel release, the model the dump describes, the present sections, and per node and
/// zone the struct pages, free pages, slab and LRU pages, and a histogram of the page flags.
/// </summary>
internal static class VmcoreCommand
{
    /// <summary>Creates the <c>vmcore</c> command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The dump: an x86-64 ELF core with a VMCOREINFO note (QEMU's dump-guest-memory with -device vmcoreinfo, or a kdump /proc/vmcore copy). It is only read." };
        var kconfig = CliOptions.Kconfig();
        kconfig.Description = "The kernel's configuration (.config, /boot/config-RELEASE, /proc/config.gz): where node and zone sit in page->flags. Without it zones follow x86-64's address limits and every page counts in node 0. The dump's own values (page size, section size, MAX_PHYSMEM_BITS) win over it.";
        var json = CliOptions.Flag("--json", "Print the report as JSON (the schema is in docs/cli-json.md).");
        var pages = CliOptions.BigNumbers("--page", "Also decode the struct page of this pfn (decimal, or hexadecimal with 0x; give it again for more): its flags word and the note's names for its bits, node and zone, compound head or tail, LRU, slab, and the order of the free block it heads.");
        var trim = new Option<FileInfo?>("--trim") { Description = "Also write a new ELF core holding only the note and the pages this report read (page tables, section roots, memmap): a small copy that gives the same report. The file must not exist.", HelpName = "OUT" };
        var command = new Command("vmcore", "Read a kernel's dump: the release, the memory model from its VMCOREINFO note, present sections, and per node and zone the struct pages, free (buddy) pages, slab and LRU pages and a page-flags histogram.")
        {
            file, kconfig, json, pages, trim,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                KconfigResult? config = null;
                if (parse.GetValue(kconfig) is { } kfile)
                {
                    var problems = new List<LayoutDiagnostic>();
                    config = LayoutInputs.ReadKconfig(kfile, problems);
                    if (config is null || config.HasErrors)
                    {
                        string why = problems.Count > 0 ? problems[0].Message : config!.Problems.First(p => p.Diagnostic.Descriptor.Severity == LayoutSeverity.Error).Diagnostic.Message;
                        error.WriteLine("error: " + InputFiles.OneLine(why));
                        return ExplorerApp.ExitRefused;
                    }
                }

                var dumpFile = parse.GetValue(file)!;
                var trimTo = parse.GetValue(trim);
                if (trimTo is not null && trimTo.Exists)
                {
                    error.WriteLine("error: --trim " + trimTo + " exists; the trimmed copy is written to a new file only.");
                    return ExplorerApp.ExitRefused;
                }

                var recorder = trimTo is null ? null : new HashSet<ulong>();
                using var reader = VmcoreReader.Open(dumpFile.FullName, config, recorder);
                var stats = reader.Statistics(ProgressBar(error));
                var decoded = (parse.GetValue(pages) ?? []).Select(pfn => Decode(reader, pfn)).ToList();
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(output, w => VmcoreReport.WriteJson(w, reader, stats, decoded));
                }
                else
                {
                    VmcoreReport.WriteText(output, reader, stats, decoded);
                }

                if (trimTo is not null)
                {
                    long bytes = VmcoreTrimmer.Write(reader.Dump.Core, recorder!, trimTo.FullName);
                    error.WriteLine("wrote " + trimTo + ": " + recorder!.Count.ToString(CultureInfo.InvariantCulture) + " pages, " + bytes.ToString(CultureInfo.InvariantCulture) + " bytes");
                }

                return ExplorerApp.ExitOk;
            }
            catch (VmcoreException e)
            {
                error.WriteLine("error: " + InputFiles.OneLine(e.Message));
                return ExplorerApp.ExitRefused;
            }
        });
        return command;
    }

    // One --page: the decoded page, or why there is none (no struct page, or its memory is not in the dump).
    private static VmcoreReport.AskedPage Decode(VmcoreReader reader, ulong pfn)
    {
        if (!reader.Memmap.PfnValid(pfn))
        {
            return new(pfn, null, "no struct page (pfn_valid is false)");
        }

        try
        {
            return new(pfn, reader.DescribePage(pfn), null);
        }
        catch (VmcoreException e)
        {
            return new(pfn, null, "struct page not in the dump: " + InputFiles.OneLine(e.Message));
        }
    }

    // A bar on a terminal only, and only once the work has taken a second: short runs and
    // redirected output stay clean.
    private static Action<double>? ProgressBar(TextWriter error)
    {
        if (Console.IsErrorRedirected || !ReferenceEquals(error, Console.Error))
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        bool shown = false;
        int last = -1;
        return fraction =>
        {
            int percent = (int)(fraction * 100);
            if (clock.ElapsedMilliseconds < 1000 || percent == last)
            {
                return;
            }

            last = percent;
            shown = true;
            int filled = percent * 40 / 100;
            error.Write("\r[" + new string('#', filled) + new string('.', 40 - filled) + "] " + percent.ToString(CultureInfo.InvariantCulture) + "%");
            if (percent >= 100 && shown)
            {
                error.Write("\r" + new string(' ', 48) + "\r");
            }
        };
    }
}
