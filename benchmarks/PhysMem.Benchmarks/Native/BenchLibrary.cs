using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PhysMem.Benchmarks.Native;

/// <summary><c>physmem_bench.c</c> built with <c>-DPHYSMEM_BENCH_LIBRARY</c> for one model.</summary>
internal sealed unsafe class BenchLibrary
{
    private static readonly string[] Exports = { "physmem_bench_open", "physmem_bench_error", "physmem_bench_model", "physmem_bench_run" };

    private readonly delegate* unmanaged<byte*, byte*, ulong, double> _run;

    private BenchLibrary(nint library)
    {
        _run = (delegate* unmanaged<byte*, byte*, ulong, double>)NativeLibrary.GetExport(library, "physmem_bench_run");
    }

    // Why the file cannot be used, or null: missing, not a shared library, or not this C file's.
    public static string? WhyNot(string path) => NativeLibraries.WhyNot(path, Exports, "run.sh builds it", "physmem_bench.c built with -DPHYSMEM_BENCH_LIBRARY");

    // Loads the library and lets it build the model's memory and check the checksums; null with the reason on failure.
    public static BenchLibrary? Open(string path, string bin, string expected, out string? failure)
    {
        nint library = NativeLibrary.Load(Path.GetFullPath(path));
        string model = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "physmem_bench_model"))()) ?? "";
        string name = Path.GetFileNameWithoutExtension(path)["libbench-".Length..];
        failure = model != name ? $"{path} was built for the model {model}, not {name}" : null;
        if (failure == null)
        {
            var open = (delegate* unmanaged<byte*, byte*, int>)NativeLibrary.GetExport(library, "physmem_bench_open");
            fixed (byte* b = Encoding.UTF8.GetBytes(bin + "\0"))
            fixed (byte* e = Encoding.UTF8.GetBytes(expected + "\0"))
            {
                if (open(b, e) != 0)
                {
                    failure = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "physmem_bench_error"))());
                }
            }
        }

        if (failure != null)
        {
            NativeLibrary.Free(library);
            return null;
        }

        return new BenchLibrary(library);
    }

    // Nanoseconds per operation over 'passes' passes of the loop, or -1 when the C file has no such loop.
    public double Time(string op, string stream, ulong passes)
    {
        fixed (byte* o = Encoding.UTF8.GetBytes(op + "\0"))
        fixed (byte* s = Encoding.UTF8.GetBytes(stream + "\0"))
        {
            return _run(o, s, passes);
        }
    }
}
