using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace PhysMem.Generator.Model;

/// <summary>A source location as plain data: no syntax tree is kept alive by the pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
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
