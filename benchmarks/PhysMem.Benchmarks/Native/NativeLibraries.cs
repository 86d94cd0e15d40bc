using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace PhysMem.Benchmarks.Native;

/// <summary>The C files of the benchmarks built as shared libraries (<c>walk</c>, <c>paired</c>).</summary>
internal static class NativeLibraries
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be the library asked for: missing, not a shared library this
    /// process can load, or without one of <paramref name="exports"/>; null when it can.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="exports">The functions it must have.</param>
    /// <param name="missingFile">Said after "no file PATH": how to get it.</param>
    /// <param name="whatItMustBe">Said when a function is missing: what the file must be built from.</param>
    /// <returns>The reason, or null.</returns>
    public static string? WhyNot(string path, string[] exports, string missingFile, string whatItMustBe)
    {
        if (!File.Exists(path))
        {
            return $"no file {path} ({missingFile})";
        }

        if (!NativeLibrary.TryLoad(Path.GetFullPath(path), out nint library))
        {
            return $"{path} is not a shared library this process can load";
        }

        try
        {
            string? missing = exports.FirstOrDefault(f => !NativeLibrary.TryGetExport(library, f, out _));
            return missing is null ? null : $"{path} has no function {missing}: it is not {whatItMustBe}";
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }
}
