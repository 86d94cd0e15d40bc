using System;

namespace PhysMem.Explorer.Commands;

/// <summary>
/// A failure the user can act on — a file that cannot be read or written, a value the command
/// cannot use — with a one-line message that names the file or option and what is wrong.
/// <see cref="ExplorerApp.Run"/> prints it as <c>error: message</c> and exits with code 2.
/// </summary>
internal sealed class CommandLineException : Exception
{
    public CommandLineException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>A problem with the file <paramref name="path"/> given to <paramref name="option"/>: <c>--svg out.svg: it is a directory</c>.</summary>
    public CommandLineException(string option, string path, string reason, Exception? inner = null)
        : base(option + " " + path + ": " + reason, inner)
    {
        Reason = reason;
    }

    /// <summary>What is wrong, without the option and the file (for messages that name them already).</summary>
    public string Reason { get; }
}
