using System;
using System.Collections.Generic;
using PhysMem.Benchmarks.Models;

namespace PhysMem.Benchmarks.Startup;

/// <summary>A model the start-up and walk benchmarks build: its name, layout, sizes and constructor.</summary>
/// <param name="Name">The name in the tables.</param>
/// <param name="Layout">The generated layout (for the memmap's cost before building).</param>
/// <param name="SizesGiB">The map sizes it is built at.</param>
/// <param name="Build">Builds it over a map, without storage limits (the sizes are checked against the machine instead).</param>
/// <param name="WaitForInit">With deferred struct page init: waits until the built model is fully initialized; null for an eager build.</param>
/// <param name="EagerName">With deferred init: the eager model whose full build the time-to-usable is compared with.</param>
/// <param name="Walked">Whether the walk benchmark walks it (an eager model whose memmap no other model already has).</param>
public sealed record StartupModel(string Name, MemoryLayout Layout, int[] SizesGiB, Func<MemoryMap, IDisposable> Build, Action<IDisposable>? WaitForInit = null, string? EagerName = null, bool Walked = true)
{
    /// <summary>The sizes every model is built at.</summary>
    public static readonly int[] CommonSizes = [4, 64, 256];

    /// <summary>
    /// FLATMEM, classic SPARSEMEM (static table and EXTREME), SPARSEMEM_VMEMMAP (also at 1 TiB) as
    /// generated, and DISCONTIGMEM: the generated DISCONTIGMEM models compile their banks in, so it is
    /// the storage those models use (<see cref="DiscontigMemory"/>) with the two-node model's layout;
    /// then the three SPARSEMEM models again with deferred struct page init; and an arm64 VMEMMAP
    /// model whose only zone is ZONE_NORMAL, eager and deferred, over the same maps (deferred init's
    /// up-front part without the lower zones the kernel always initializes first).
    /// </summary>
    public static IReadOnlyList<StartupModel> All { get; } =
    [
        new("FLATMEM", FlatModel.Layout, CommonSizes, map => new FlatModel(map, StorageLimits.None)),
        new("classic STATIC", ClassicStaticModel.Layout, CommonSizes, map => new ClassicStaticModel(map, StorageLimits.None)),
        new("classic EXTREME", ClassicExtremeModel.Layout, CommonSizes, map => new ClassicExtremeModel(map, StorageLimits.None)),
        new("VMEMMAP", VmemmapModel.Layout, [4, 64, 256, 1024], map => new VmemmapModel(map, StorageLimits.None)),
        new("DISCONTIGMEM", DiscontigTwoNodeModel.Layout, CommonSizes, map => new DiscontigMemory(DiscontigTwoNodeModel.Layout, map, null, StorageLimits.None)),
        new("classic STATIC deferred", ClassicStaticDeferredModel.Layout, CommonSizes, map => new ClassicStaticDeferredModel(map, StorageLimits.None), m => ((ClassicStaticDeferredModel)m).Storage.WaitForDeferredInit(), "classic STATIC"),
        new("classic EXTREME deferred", ClassicExtremeDeferredModel.Layout, CommonSizes, map => new ClassicExtremeDeferredModel(map, StorageLimits.None), m => ((ClassicExtremeDeferredModel)m).Storage.WaitForDeferredInit(), "classic EXTREME"),
        new("VMEMMAP deferred", VmemmapDeferredModel.Layout, [4, 64, 256, 1024], map => new VmemmapDeferredModel(map, StorageLimits.None), m => ((VmemmapDeferredModel)m).Storage.WaitForDeferredInit(), "VMEMMAP"),
        new("arm64 VMEMMAP, ZONE_NORMAL only", Arm64NormalOnlyModel.Layout, CommonSizes, map => new Arm64NormalOnlyModel(map, StorageLimits.None), Walked: false),
        new("arm64 VMEMMAP, ZONE_NORMAL only, deferred", Arm64NormalOnlyDeferredModel.Layout, CommonSizes, map => new Arm64NormalOnlyDeferredModel(map, StorageLimits.None), m => ((Arm64NormalOnlyDeferredModel)m).Storage.WaitForDeferredInit(), "arm64 VMEMMAP, ZONE_NORMAL only", Walked: false),
    ];

    /// <summary>Why a map of <paramref name="gib"/> GiB is not built on this machine, or null when it fits.</summary>
    /// <param name="gib">The map's size.</param>
    /// <param name="memmapBytes">What its memmap commits.</param>
    /// <returns>The reason, with the numbers.</returns>
    public static string? WhyNot(int gib, ulong memmapBytes)
    {
        // Four fifths of what the kernel could give now, and never within 2 GiB of it: the machine is
        // shared, and a build must never push another process into reclaim or the OOM killer. (A 1 TiB
        // map's 16 GiB of memmap fits a quiet 24 GiB machine, 21-23 GiB available, and no busier one;
        // with three quarters it fell on either side of the limit from one round to the next.)
        long available = ProcessCounters.MemAvailableBytes();
        if (available < 0)
        {
            return null;
        }

        ulong limit = Math.Min((ulong)available / 5 * 4, (ulong)Math.Max(0, available - (2L << 30)));
        return memmapBytes <= limit
            ? null
            : $"skipped: a {gib} GiB map needs {memmapBytes >> 20} MiB of memmap, over four fifths of MemAvailable or within 2 GiB of it ({available >> 20} MiB)";
    }
}
