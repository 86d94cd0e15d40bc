using System;

namespace PhysMem;

/// <summary>
/// How much a storage may allocate. The storages compute what a memory map will cost
/// (<see cref="StorageCost"/>) before they allocate anything, and refuse a map, or a hot-add, that
/// would go over a limit with a <see cref="StorageLimitException"/> naming the cost and the limit.
/// </summary>
/// <remarks>
/// The defaults keep a mistaken map from taking the machine: a map of 10,000 one-page ranges 4 GiB
/// apart is 40 MB of memory, but SPARSEMEM gives each of its 10,000 sections a whole memmap (20 GiB
/// with 128 MiB sections and 64-byte pages), as the kernel would. Set a limit to null for none;
/// <see cref="None"/> has none at all.
/// </remarks>
public sealed record StorageLimits
{
    /// <summary>The default of <see cref="MaxMemmapBytes"/>: 4 GiB.</summary>
    public const ulong DefaultMaxMemmapBytes = 4UL << 30;

    /// <summary>The default of <see cref="MaxTableBytes"/>: 1 GiB.</summary>
    public const ulong DefaultMaxTableBytes = 1UL << 30;

    /// <summary>The defaults: 4 GiB of memmap, 1 GiB of tables and usage maps, any amount of reserved address space.</summary>
    public static StorageLimits Default { get; } = new();

    /// <summary>No limit at all.</summary>
    public static StorageLimits None { get; } = new() { MaxMemmapBytes = null, MaxTableBytes = null, MaxReservedBytes = null };

    /// <summary>
    /// Bytes of memmap (the page descriptors) the storage may commit, boot and hot-added memory
    /// together, memmap that a removal has not yet given back included; null for no limit.
    /// </summary>
    public ulong? MaxMemmapBytes { get; init; } = DefaultMaxMemmapBytes;

    /// <summary>
    /// Bytes of section tables (the static table, or EXTREME's root pointers and roots), usage maps
    /// and node data the storage may allocate; null for no limit.
    /// </summary>
    public ulong? MaxTableBytes { get; init; } = DefaultMaxTableBytes;

    /// <summary>
    /// Bytes of virtual address space the storage may reserve (the vmemmap, the static section
    /// table, FLATMEM's and DISCONTIGMEM's memmaps); null, the default, for no limit: reserving costs
    /// no memory, only address space.
    /// </summary>
    public ulong? MaxReservedBytes { get; init; }

    /// <summary>Throws when <paramref name="cost"/> goes over a limit.</summary>
    /// <param name="cost">What a map (or a hot-add) would cost.</param>
    /// <exception cref="StorageLimitException">A limit is exceeded; the message names the cost, the limit and how to raise it.</exception>
    public void Check(StorageCost cost)
    {
        if (cost is null)
        {
            throw new ArgumentNullException(nameof(cost));
        }

        Check(cost, cost.MemmapBytes, MaxMemmapBytes, nameof(MaxMemmapBytes), "memmap", cost.MemmapFormula);
        Check(cost, cost.TableBytes + cost.UsageBytes, MaxTableBytes, nameof(MaxTableBytes), "section tables, usage maps and node data", cost.TableFormula);
        Check(cost, cost.ReservedBytes, MaxReservedBytes, nameof(MaxReservedBytes), "reserved address space", cost.ReservedFormula);
    }

    private static void Check(StorageCost cost, ulong bytes, ulong? limit, string limitName, string what, string formula)
    {
        if (limit is { } max && bytes > max)
        {
            throw new StorageLimitException(what, bytes, max, limitName,
                cost.What + " needs " + ByteSize.Describe(bytes) + " of " + what + " (" + formula + "), over StorageLimits." + limitName + " = " + ByteSize.Describe(max)
                + "; nothing was allocated. Raise the limit (new StorageLimits { " + limitName + " = ... }, or null for none), or change the model: a sparse map costs less with smaller sections (SectionSizeBits).");
        }
    }
}

/// <summary>A storage would go over one of its <see cref="StorageLimits"/>; nothing was allocated.</summary>
public sealed class StorageLimitException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resource">What would be allocated ("memmap", ...).</param>
    /// <param name="bytes">How many bytes of it.</param>
    /// <param name="limit">The limit it goes over.</param>
    /// <param name="limitName">The <see cref="StorageLimits"/> property that sets the limit.</param>
    /// <param name="message">The message.</param>
    public StorageLimitException(string resource, ulong bytes, ulong limit, string limitName, string message)
        : base(message)
    {
        Resource = resource;
        Bytes = bytes;
        Limit = limit;
        LimitName = limitName;
    }

    /// <summary>What would be allocated: "memmap", "section tables, usage maps and node data", or "reserved address space".</summary>
    public string Resource { get; }

    /// <summary>Bytes it would take.</summary>
    public ulong Bytes { get; }

    /// <summary>The limit, in bytes.</summary>
    public ulong Limit { get; }

    /// <summary>The <see cref="StorageLimits"/> property that sets the limit, e.g. <c>MaxMemmapBytes</c>.</summary>
    public string LimitName { get; }
}
