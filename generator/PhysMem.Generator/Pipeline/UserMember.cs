namespace PhysMem.Generator.Pipeline;

/// <summary>
/// A member the user declared on the model type (or that it inherits), as plain data: enough to
/// tell whether it collides with a member the generator writes.
/// </summary>
/// <param name="Name">The member's name (<c>.ctor</c> for a constructor).</param>
/// <param name="Parameters">For a method or constructor, its parameter types with their ref kinds, comma-separated; null for any other member.</param>
/// <param name="Display">How the diagnostic names it: <c>The method 'PfnToPage(ulong)'</c>.</param>
/// <param name="Location">Where it is declared; null for an inherited member.</param>
internal sealed record UserMember(string Name, string? Parameters, string Display, LocationInfo? Location);
