using System;

namespace PhysMem.Tests;

// The test assembly's own entry point (the test SDK's generated one is turned off in the project):
// with "disposed-probe GROUP" it is the child process of DisposedModelTests; otherwise it does nothing.
internal static class Program
{
    internal static int Main(string[] args) =>
        args.Length == 2 && args[0] == "disposed-probe" ? DisposedProbe.Run(args[1], Console.Out) : 0;
}
