namespace PhysMem.Generator.Pipeline;

/// <summary>One input of the model and where it came from (<c>attribute</c>, <c>preset X86_64</c>, <c>default</c>), for the generated header.</summary>
internal sealed record InputSource(string Name, string Value, string Source);
