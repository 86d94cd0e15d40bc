namespace PhysMem.Generator.Pipeline;

/// <summary>
/// One memory map among the AdditionalFiles, read once by the shared <see cref="MemoryMapText"/>:
/// its System RAM ranges as banks (each located on its line, and on the NUMA item that gave its
/// node), or the problem that stopped the reading. Holds no <c>SourceText</c>.
/// </summary>
/// <param name="Path">The file's path, as the compiler gives it.</param>
/// <param name="Readable">False when the compiler gave no text for the file.</param>
/// <param name="Banks">The memory, sorted, with nodes.</param>
/// <param name="Problem">What stopped the reading (its ID, where, and its arguments but the file name), or null.</param>
internal sealed record MemoryMapInput(string Path, bool Readable, EquatableArray<BankInfo> Banks, MemoryMapProblem? Problem);

/// <summary>A problem of a memory map file as plain data: the diagnostic ID, its line, its location, and the message's text.</summary>
internal sealed record MemoryMapProblem(string Id, int Line, LocationInfo? Location, string Detail);
