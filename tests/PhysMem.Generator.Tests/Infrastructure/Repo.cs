using System;
using System.IO;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>
/// The repository's root, found by walking up from the test assembly to <c>Generators.sln</c>.
/// (Source paths from <c>[CallerFilePath]</c> are rewritten in CI builds, so they cannot be used.)
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Generators.sln was not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine(Root, System.IO.Path.Combine(parts));
}
