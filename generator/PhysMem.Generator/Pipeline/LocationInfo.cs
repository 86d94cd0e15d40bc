using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace PhysMem.Generator.Pipeline;

/// <summary>A source location as plain data: no syntax tree is kept alive by the pipeline.</summary>
/// <remarks>
/// A location in a syntax tree is kept as its path and span only: the line and column are worked
/// out by <see cref="ToLocation"/> from the tree when a diagnostic is reported, so the attribute
/// transform, which runs for every model after every edit, does not compute line positions that
/// are almost never needed. A location in a file outside the compilation (an AdditionalFile)
/// carries its <see cref="LineSpan"/>, since there is no tree to work it out from.
/// </remarks>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : new LocationInfo(node.SyntaxTree.FilePath, node.Span, default);

    public static LocationInfo? From(SyntaxReference? reference) => reference is null ? null : new LocationInfo(reference.SyntaxTree.FilePath, reference.Span, default);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, default);
    }

        /// <summary>
        /// The text at 1-based <paramref name="line"/> and <paramref name="column"/>, <paramref name="length"/>
        /// characters long (cut at the end of the line); the start of the file for a line not in it.
        /// </summary>
        public static LocationInfo InText(SourceText text, string path, int line, int column, int length)
        {
            if (line < 1 || line > text.Lines.Count)
            {
                return new LocationInfo(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
            }

            var l = text.Lines[line - 1];
            int start = Math.Min(l.Start + Math.Max(column - 1, 0), l.End);
            var span = new TextSpan(start, Math.Max(0, Math.Min(length, l.End - start)));
            return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
        }

    /// <summary>The location in the compilation's syntax tree of that path, or an external location if it has none.</summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath && Span.End <= tree.Length)
            {
                return Location.Create(tree, Span);
            }
        }

        return Location.Create(FilePath, Span, LineSpan);
    }
}

/// <summary>Where one attribute argument was written, by the name of the input it sets.</summary>
internal sealed record ArgumentLocation(string Name, LocationInfo Location);

/// <summary>A diagnostic as plain data, reported from its own pipeline output.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);
