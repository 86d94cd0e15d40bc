namespace PhysMem.Generator.Pipeline;

/// <summary>A problem of a kernel configuration as plain data: its ID, arguments, and where in the file it is.</summary>
internal sealed record KconfigDiagnostic(string Id, int Line, LocationInfo? Location, EquatableArray<string> Arguments);

/// <summary>One input a kernel configuration settled, and the line of the file that settled it.</summary>
internal sealed record KconfigValue(string Name, string Value, string Source, LocationInfo? Location);

/// <summary>
/// One kernel configuration, read from the project's AdditionalFiles and parsed once: the
/// inputs it settles with their sources, its problems, and its architecture. Holds no
/// <c>SourceText</c>: only this equatable digest of it is cached. A <c>VMCOREINFO</c> note is read
/// into the same digest (<see cref="AdditionalFiles.VmcoreInfoFiles"/>), without an architecture.
/// </summary>
/// <param name="Path">The file's path, as the compiler gives it.</param>
/// <param name="Readable">False when the compiler gave no text for the file.</param>
/// <param name="Values">The inputs it settles.</param>
/// <param name="Diagnostics">Its problems.</param>
/// <param name="Preset">The architecture preset it belongs to, or null.</param>
/// <param name="ArchName">The architecture as the reader names it, or null when unknown.</param>
/// <param name="ArchSource">Where the architecture was read (<c>kconfig linux.config:297 (x86_64)</c>).</param>
internal sealed record KconfigInput(
    string Path,
    bool Readable,
    EquatableArray<KconfigValue> Values,
    EquatableArray<KconfigDiagnostic> Diagnostics,
    string? Preset,
    string? ArchName,
    string ArchSource);
