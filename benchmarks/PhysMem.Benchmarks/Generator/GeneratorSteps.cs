using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PhysMem.Benchmarks.Generator;

/// <summary>
/// <c>generator-steps [N]</c>: runs the generator over N models (default 500), then again after an
/// unrelated edit, and prints how many outputs of every step, named or not, were Cached, Unchanged,
/// Modified, New or Removed in the second run. Shows where the time of an "all cached" run goes.
/// </summary>
public static class GeneratorSteps
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The model count.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int models = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var compilation = GeneratorInputs.Create(models);
        var driver = GeneratorInputs.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var result = driver.RunGenerators(compilation.AddSyntaxTrees(GeneratorInputs.UnrelatedEdit)).GetRunResult().Results.Single();
        Console.WriteLine($"After an unrelated edit, {models} models: outputs of each step by run reason");
        foreach (var (name, runs) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
        {
            var reasons = runs.SelectMany(r => r.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key)
                .Select(g => $"{g.Key} {g.Count()}");
            Console.WriteLine($"  {name,-40} {runs.Length,5} runs   {string.Join(", ", reasons)}");
        }

        return 0;
    }
}
