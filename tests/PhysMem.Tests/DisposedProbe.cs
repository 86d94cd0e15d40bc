using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using PhysMem.Tests.Generated;

namespace PhysMem.Tests;

// Runs in a child process (see DisposedModelTests): builds each target, disposes it, and calls every
// public instance member that takes and returns no pointer, printing a line before each call and one
// after, so that a member that kills the process is named by the last "call" line.
internal static unsafe class DisposedProbe
{
    // Plain data, so that the flat and discontiguous maps are small (mem_map spans up to the last range).
    private static readonly MemoryMap SmallMap = MemoryMap.FromRanges(new MemoryRange(0x1000, 0x9_fc00), new MemoryRange(0x10_0000, 0x2000_0000));
    private static readonly MemoryMap TwoNodes = MemoryMap.FromRanges(new MemoryRange(0x10_0000, 0x2000_0000), new MemoryRange(0x4000_0000, 0x6000_0000, 1));

    internal static IReadOnlyDictionary<string, Func<IDisposable>> Models { get; } = new Dictionary<string, Func<IDisposable>>
    {
        [nameof(ClassicStatic)] = () => new ClassicStatic(HotplugState.BootMap),
        [nameof(ClassicExtreme)] = () => new ClassicExtreme(HotplugState.BootMap),
        [nameof(VmemmapStatic)] = () => new VmemmapStatic(HotplugState.BootMap),
        [nameof(VmemmapExtreme)] = () => new VmemmapExtreme(HotplugState.BootMap),
        [nameof(Flat)] = () => new Flat(SmallMap),
        [nameof(FlatWithHoles)] = () => new FlatWithHoles(SmallMap),
        [nameof(DiscontigFromMap)] = () => new DiscontigFromMap(TwoNodes),
        [nameof(DiscontigFromBanks)] = () => new DiscontigFromBanks(),
        [nameof(SmallClassicStatic)] = () => new SmallClassicStatic(HotplugState.BootMap),
        [nameof(SmallClassicExtreme)] = () => new SmallClassicExtreme(HotplugState.BootMap),
        [nameof(SmallVmemmapStatic)] = () => new SmallVmemmapStatic(HotplugState.BootMap),
        [nameof(SmallVmemmapExtreme)] = () => new SmallVmemmapExtreme(HotplugState.BootMap),
        [nameof(SmallFlat)] = () => new SmallFlat(SmallMap),
        [nameof(SmallDiscontig)] = () => new SmallDiscontig(TwoNodes),
    };

    internal static IReadOnlyDictionary<string, Func<IDisposable>> Storages { get; } = new Dictionary<string, Func<IDisposable>>
    {
        ["SparseMemory classic static"] = () => HotplugState.Create(vmemmap: false, extreme: false),
        ["SparseMemory classic EXTREME"] = () => HotplugState.Create(vmemmap: false, extreme: true),
        ["SparseMemory VMEMMAP static"] = () => HotplugState.Create(vmemmap: true, extreme: false),
        ["SparseMemory VMEMMAP EXTREME"] = () => HotplugState.Create(vmemmap: true, extreme: true),
        ["SparseMemory<SmallPage> classic static"] = () => new SparseMemory<SmallPage>(SmallClassicStatic.Layout, HotplugState.BootMap),
        ["SparseMemory<SmallPage> classic EXTREME"] = () => new SparseMemory<SmallPage>(SmallClassicExtreme.Layout, HotplugState.BootMap),
        ["SparseMemory<SmallPage> VMEMMAP static"] = () => new SparseMemory<SmallPage>(SmallVmemmapStatic.Layout, HotplugState.BootMap),
        ["SparseMemory<SmallPage> VMEMMAP EXTREME"] = () => new SparseMemory<SmallPage>(SmallVmemmapExtreme.Layout, HotplugState.BootMap),
        ["FlatMemory"] = () => new FlatMemory(Flat.Layout, SmallMap),
        ["FlatMemory with holes"] = () => new FlatMemory(FlatWithHoles.Layout, SmallMap),
        ["FlatMemory<SmallPage>"] = () => new FlatMemory<SmallPage>(SmallFlat.Layout, SmallMap),
        ["DiscontigMemory"] = () => new DiscontigMemory(DiscontigFromMap.Layout, TwoNodes),
        ["DiscontigMemory<SmallPage>"] = () => new DiscontigMemory<SmallPage>(SmallDiscontig.Layout, TwoNodes),
    };

    // The members the rule covers: public, of the instance, neither taking nor returning a pointer
    // nor returning a ref struct, and not Dispose (which may be called again) or object's own.
    internal static IEnumerable<MethodInfo> Covered(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.DeclaringType != typeof(object) && m.Name != nameof(IDisposable.Dispose))
            // Reflection cannot call a method that returns a ref struct (the memmap walks); their own
            // tests check them after Dispose.
            .Where(m => !m.ReturnType.IsByRefLike)
            .Where(m => !m.ReturnType.IsPointer && !m.GetParameters().Any(p => p.ParameterType.IsPointer || (p.ParameterType.IsByRef && p.ParameterType.GetElementType()!.IsPointer)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(m => m.GetParameters().Length);

    internal static int Run(string group, TextWriter output)
    {
        var targets = group == "models" ? Models : Storages;
        foreach (var (name, create) in targets)
        {
            IDisposable target = create();
            target.Dispose();
            foreach (MethodInfo method in Covered(target.GetType()))
            {
                string member = name + " " + Describe(method);
                output.WriteLine("call " + member);
                output.Flush();
                output.WriteLine(Outcome(target, method) + " " + member);
                output.Flush();
            }
        }

        output.WriteLine("done");
        return 0;
    }

    internal static string Describe(MethodInfo m) =>
        m.Name + "(" + string.Join(", ", m.GetParameters().Select(p => p.ParameterType.IsByRef ? "ref " + p.ParameterType.GetElementType()!.Name : p.ParameterType.Name)) + ")";

    private static string Outcome(object target, MethodInfo method)
    {
        try
        {
            object? result = method.Invoke(target, method.GetParameters().Select(p => Argument(p.ParameterType)).ToArray());

            // A walk that is an iterator checks when it is first advanced.
            if (result is IEnumerable sequence and not string)
            {
                sequence.GetEnumerator().MoveNext();
            }

            return "returned";
        }
        catch (TargetInvocationException e) when (e.InnerException is ObjectDisposedException)
        {
            return "disposed";
        }
        catch (ObjectDisposedException)
        {
            return "disposed";
        }
        catch (TargetInvocationException e)
        {
            return "threw " + e.InnerException!.GetType().Name;
        }
    }

    // Arguments a live target would accept: a pfn in boot memory, a whole section of pages, node 0.
    private static object? Argument(Type type)
    {
        Type t = type.IsByRef ? type.GetElementType()! : type;
        if (t == typeof(ulong))
        {
            return 0x8000UL;
        }

        if (t == typeof(TimeSpan))
        {
            return TimeSpan.FromSeconds(1);
        }

        if (typeof(Delegate).IsAssignableFrom(t))
        {
            ParameterInfo[] parameters = t.GetMethod("Invoke")!.GetParameters();
            return Expression.Lambda(t, Expression.Empty(), parameters.Select(p => Expression.Parameter(p.ParameterType))).Compile();
        }

        return t.IsValueType ? Activator.CreateInstance(t) : null;
    }
}
