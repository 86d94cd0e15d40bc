using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace PhysMem.Benchmarks.Quick;

/// <summary>
/// <c>--quick</c>: every benchmark of the assembly run once, in this process, without timing — the
/// smoke test CI runs. For each benchmark class and each combination of its <c>[Params]</c> it runs
/// the <c>[GlobalSetup]</c> (which for the conversion benchmarks checks that the variants agree on
/// every checksum, <c>SetPageLinks</c> included, and that the streams hold what they claim), every
/// <c>[Benchmark]</c> method once, and the <c>[GlobalCleanup]</c>; then, in every benchmark
/// category, it checks that the methods that return a value all returned the same one (the
/// runtime-configured, generated and generic-math variants of one operation over one stream). It
/// asserts results, never timings.
/// </summary>
public static class QuickRun
{
    /// <summary>The benchmark classes of this assembly.</summary>
    /// <param name="filter">Only classes whose full name contains this (null: all).</param>
    /// <returns>The classes, by full name.</returns>
    public static IReadOnlyList<Type> BenchmarkClasses(string? filter = null) =>
        typeof(QuickRun).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && Benchmarks(t).Any())
            .Where(t => filter is null || t.FullName!.Contains(filter, StringComparison.Ordinal))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    /// <summary>Runs every benchmark of <paramref name="types"/> once and reports to <paramref name="log"/>.</summary>
    /// <param name="log">Where each class's line and each disagreement go.</param>
    /// <param name="types">The benchmark classes (<see cref="BenchmarkClasses"/>).</param>
    /// <returns>The disagreements and failures (empty when every benchmark ran and agreed).</returns>
    public static IReadOnlyList<string> Run(TextWriter log, IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(types);
        var problems = new List<string>();
        foreach (var type in types)
        {
            foreach (var parameters in ParameterSets(type))
            {
                string name = type.Name + (parameters.Count == 0 ? string.Empty : "(" + string.Join(", ", parameters.Select(p => p.Property.Name + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture))) + ")");
                try
                {
                    RunOne(type, parameters, name, log, problems);
                }
                catch (Exception e) when (e is TargetInvocationException { InnerException: not null })
                {
                    problems.Add($"{name}: {e.InnerException!.GetType().Name}: {e.InnerException.Message}");
                    log.WriteLine($"{name}: FAILED: {e.InnerException.Message}");
                }
            }
        }

        return problems;
    }

    /// <summary>The command: runs everything, prints a line per class, exits 1 on any problem.</summary>
    /// <param name="args">An optional filter (part of a class's full name).</param>
    /// <returns>The exit code.</returns>
    public static int Command(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var problems = Run(Console.Out, BenchmarkClasses(args.FirstOrDefault()));
        Console.WriteLine(problems.Count == 0 ? "Every benchmark ran; all variants agree." : $"{problems.Count} problem(s):");
        foreach (string problem in problems)
        {
            Console.WriteLine("  " + problem);
        }

        return problems.Count == 0 ? 0 : 1;
    }

    private static void RunOne(Type type, List<(PropertyInfo Property, object? Value)> parameters, string name, TextWriter log, List<string> problems)
    {
        object instance = Activator.CreateInstance(type)!;
        foreach (var (property, value) in parameters)
        {
            property.SetValue(instance, value);
        }

        Invoke<GlobalSetupAttribute>(type, instance);
        var results = new List<(string Category, string Method, object? Value)>();
        try
        {
            foreach (var method in Benchmarks(type))
            {
                string category = method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault() ?? method.Name;
                results.Add((category, method.Name, method.Invoke(instance, null)));
            }
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }

        int groups = 0;
        foreach (var group in results.Where(r => r.Value is ulong).GroupBy(r => r.Category))
        {
            groups++;
            var first = group.First();
            foreach (var other in group.Skip(1).Where(r => !Equals(r.Value, first.Value)))
            {
                string problem = $"{name}: {other.Method} returned {other.Value}, {first.Method} {first.Value}";
                problems.Add(problem);
                log.WriteLine(problem);
            }
        }

        log.WriteLine($"{name}: {results.Count} benchmarks ran, {groups} groups of variants compared");
    }

    private static IEnumerable<MethodInfo> Benchmarks(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            .OrderBy(m => m.MetadataToken);

    private static void Invoke<TAttribute>(Type type, object instance)
        where TAttribute : Attribute
    {
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            method.Invoke(instance, null);
        }
    }

    // Every combination of the class's [Params] values (one empty set for a class without any).
    private static IEnumerable<List<(PropertyInfo Property, object? Value)>> ParameterSets(Type type)
    {
        IEnumerable<List<(PropertyInfo Property, object? Value)>> sets = new[] { new List<(PropertyInfo, object?)>() };
        foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
        {
            object?[] values = property.GetCustomAttribute<ParamsAttribute>()!.Values;
            sets = sets.SelectMany(set => values.Select(v => new List<(PropertyInfo, object?)>(set) { (property, v) })).ToList();
        }

        return sets;
    }
}
