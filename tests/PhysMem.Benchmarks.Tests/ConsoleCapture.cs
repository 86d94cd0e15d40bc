namespace PhysMem.Benchmarks.Tests;

/// <summary>A command's console output or error, captured while it runs (tests that capture share one collection, so none runs beside another).</summary>
internal static class ConsoleCapture
{
    /// <summary>The collection of the tests that capture the console.</summary>
    public const string Collection = "Console capture";

    /// <summary>Runs <paramref name="run"/> with standard output (or error) captured.</summary>
    /// <param name="stdout">True for standard output, false for standard error.</param>
    /// <param name="run">The command.</param>
    /// <returns>Its exit code and what it wrote.</returns>
    public static (int Code, string Text) Run(bool stdout, System.Func<int> run)
    {
        var writer = new System.IO.StringWriter();
        var saved = stdout ? System.Console.Out : System.Console.Error;
        if (stdout)
        {
            System.Console.SetOut(writer);
        }
        else
        {
            System.Console.SetError(writer);
        }

        try
        {
            return (run(), writer.ToString());
        }
        finally
        {
            if (stdout)
            {
                System.Console.SetOut(saved);
            }
            else
            {
                System.Console.SetError(saved);
            }
        }
    }
}
