using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>Emits a generator run's output compilation and loads it, to run the generated code.</summary>
public sealed class CompiledModel
{
    private readonly Assembly _assembly;

    private CompiledModel(Assembly assembly)
    {
        _assembly = assembly;
    }

    /// <summary>Compiles the run's output; fails on any warning or error (generated code must be clean).</summary>
    public static CompiledModel From(GeneratorRun run)
    {
        Assert.True(run.CompilationDiagnostics.Count == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", run.CompilationDiagnostics));
        using var ms = new MemoryStream();
        var emit = run.Output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        ms.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new CompiledModel(context.LoadFromStream(ms));
    }

    public Type Type(string fullName) => _assembly.GetType(fullName, throwOnError: true)!;

    /// <summary>A generated constant's value.</summary>
    public object Constant(string typeName, string name)
    {
        var field = Type(typeName).GetField(name, BindingFlags.Public | BindingFlags.Static);
        Assert.True(field is not null && field.IsLiteral, $"{typeName} has no constant {name}");
        return field!.GetRawConstantValue()!;
    }

    public bool HasMember(string typeName, string name) => Type(typeName).GetMember(name).Length > 0;

    /// <summary>Calls a public static method of a type in the compiled assembly.</summary>
    public object? Call(string typeName, string method, params object[] args) =>
        Type(typeName).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == method && m.GetParameters().Length == args.Length).Invoke(null, args);
}
