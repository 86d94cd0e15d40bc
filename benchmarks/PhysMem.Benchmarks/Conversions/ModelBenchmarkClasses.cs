using System;
using PhysMem.Benchmarks.GenericMath;
using PhysMem.Benchmarks.Models;
using PhysMem.Benchmarks.Operations;

namespace PhysMem.Benchmarks.Conversions;

/// <summary>FLATMEM (<see cref="FlatModel"/>).</summary>
public class FlatBenchmarks : ModelBenchmarks<RuntimeFlat, GeneratedFlat, GenericMathModel<FlatConfig>>
{
    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeFlat Runtime, GeneratedFlat Generated, GenericMathModel<FlatConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new FlatModel(map);
        return (model, new RuntimeFlat(model.Storage), new GeneratedFlat(model), new GenericMathModel<FlatConfig>(model.Storage));
    }
}

/// <summary>Classic SPARSEMEM, static section table (<see cref="ClassicStaticModel"/>).</summary>
public class ClassicStaticBenchmarks : ModelBenchmarks<RuntimeSparse, GeneratedClassicStatic, GenericMathModel<ClassicStaticConfig>>
{
    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeSparse Runtime, GeneratedClassicStatic Generated, GenericMathModel<ClassicStaticConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new ClassicStaticModel(map);
        return (model, new RuntimeSparse(model.Storage), new GeneratedClassicStatic(model), new GenericMathModel<ClassicStaticConfig>(model.Storage));
    }
}

/// <summary>Classic SPARSEMEM with SPARSEMEM_EXTREME (<see cref="ClassicExtremeModel"/>).</summary>
public class ClassicExtremeBenchmarks : ModelBenchmarks<RuntimeSparse, GeneratedClassicExtreme, GenericMathModel<ClassicExtremeConfig>>
{
    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeSparse Runtime, GeneratedClassicExtreme Generated, GenericMathModel<ClassicExtremeConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new ClassicExtremeModel(map);
        return (model, new RuntimeSparse(model.Storage), new GeneratedClassicExtreme(model), new GenericMathModel<ClassicExtremeConfig>(model.Storage));
    }
}

/// <summary>SPARSEMEM_VMEMMAP with SPARSEMEM_EXTREME (<see cref="VmemmapModel"/>).</summary>
public class VmemmapBenchmarks : ModelBenchmarks<RuntimeSparse, GeneratedVmemmap, GenericMathModel<VmemmapConfig>>
{
    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeSparse Runtime, GeneratedVmemmap Generated, GenericMathModel<VmemmapConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new VmemmapModel(map);
        return (model, new RuntimeSparse(model.Storage), new GeneratedVmemmap(model), new GenericMathModel<VmemmapConfig>(model.Storage));
    }
}

/// <summary>DISCONTIGMEM with two nodes (<see cref="DiscontigTwoNodeModel"/>), over its own banks.</summary>
public class DiscontigTwoNodeBenchmarks : ModelBenchmarks<RuntimeDiscontig, GeneratedDiscontigTwoNode, GenericMathModel<DiscontigTwoNodeConfig>>
{
    /// <inheritdoc />
    protected override PfnStreams Streams => BenchmarkMemory.TwoNodeStreams;

    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeDiscontig Runtime, GeneratedDiscontigTwoNode Generated, GenericMathModel<DiscontigTwoNodeConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new DiscontigTwoNodeModel();
        return (model, new RuntimeDiscontig(model.Storage), new GeneratedDiscontigTwoNode(model), new GenericMathModel<DiscontigTwoNodeConfig>(model.Storage));
    }
}

/// <summary>DISCONTIGMEM with eight nodes (<see cref="DiscontigEightNodeModel"/>), over its own banks.</summary>
public class DiscontigEightNodeBenchmarks : ModelBenchmarks<RuntimeDiscontig, GeneratedDiscontigEightNode, GenericMathModel<DiscontigEightNodeConfig>>
{
    /// <inheritdoc />
    protected override PfnStreams Streams => BenchmarkMemory.EightNodeStreams;

    /// <inheritdoc />
    protected override (IDisposable Model, RuntimeDiscontig Runtime, GeneratedDiscontigEightNode Generated, GenericMathModel<DiscontigEightNodeConfig> GenericMath) Build(MemoryMap map)
    {
        var model = new DiscontigEightNodeModel();
        return (model, new RuntimeDiscontig(model.Storage), new GeneratedDiscontigEightNode(model), new GenericMathModel<DiscontigEightNodeConfig>(model.Storage));
    }
}
