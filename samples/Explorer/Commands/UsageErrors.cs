using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// A wrong command line as one line: what is wrong, and for a word the command does not know,
/// the command or option it was probably meant to be.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The parse errors of <paramref name="parse"/> as one line, without the <c>error: </c> prefix.</summary>
    public static string OneLine(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var messages = new List<string>();

        // The parser reports every unknown word, and each word after it that could not be placed
        // ('lyout --arch X86_64' is three unknown words). The first is the mistake and the rest
        // follow from it, so it alone is reported, with what it was probably meant to be; the
        // other errors (a bad value) are kept.
        bool unknownWords = command.TreatUnmatchedTokensAsErrors && parse.UnmatchedTokens.Count > 0;
        if (unknownWords)
        {
            messages.Add(Unknown(parse.UnmatchedTokens[0], command));
        }

        foreach (var error in parse.Errors)
        {
            if (!(unknownWords && IsUnknownWord(error, parse.UnmatchedTokens)))
            {
                messages.Add(InputFiles.OneLine(error.Message));
            }
        }

        return string.Join(" ", messages);
    }

    /// <summary>
    /// Whether <paramref name="error"/> is the parser's own report of an unknown word: it is made
    /// on the command and quotes the word (an option's bad value is reported on the option's argument).
    /// </summary>
    private static bool IsUnknownWord(ParseError error, IReadOnlyList<string> unmatched) =>
        error.SymbolResult is CommandResult && unmatched.Any(word => error.Message.Contains("'" + word + "'", System.StringComparison.Ordinal));

    private static string Unknown(string word, Command command)
    {
        if (word.StartsWith('-'))
        {
            var options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", System.StringComparison.Ordinal));
            return $"'{word}' is not an option of '{Path(command)}'.{DidYouMean.Phrase(word, options)}";
        }

        if (command.Subcommands.Count > 0)
        {
            var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            return $"'{word}' is not a command of '{Path(command)}'.{DidYouMean.Phrase(word, commands)}";
        }

        string takes = command.Arguments.Count == 0
            ? "it takes options only"
            : "it takes the arguments " + string.Join(" and ", command.Arguments.Select(a => a.Name)) + ", and options";
        return $"'{word}' is one word too many for '{Path(command)}': {takes}.";
    }

    private static string Path(Command command)
    {
        // A command parsed on its own ('compare' parses each side with 'layout') still reads as
        // the command line a user types: 'physmem layout'.
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? ExplorerApp.CommandName : c.Name);
        }

        if (names[0] != ExplorerApp.CommandName)
        {
            names.Insert(0, ExplorerApp.CommandName);
        }

        return string.Join(" ", names);
    }
}
