namespace PhysMem.Generator.Diagnostics;

/// <summary>The help link of each diagnostic: the page of its ID under <c>docs/diagnostics</c>.</summary>
internal static class HelpLinks
{
    /// <summary>The help link of an ID.</summary>
    /// <param name="id">A PMEMnnnn ID.</param>
    /// <returns>The link.</returns>
    public static string For(string id) => "docs/diagnostics/" + id + ".md";
}
