using System;

namespace PhysMem.Explorer;

internal static class Program
{
    private static int Main(string[] args) => ExplorerApp.Run(args, Console.Out, Console.Error);
}
