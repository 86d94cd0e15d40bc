using System;
using System.Collections.Generic;
using PhysMem.Generator.Pipeline;

namespace PhysMem.Generator.Diagnostics;

/// <summary>Where a diagnostic about some inputs goes: on the argument that set the first of them, else on the attribute.</summary>
internal static class Blame
{
    /// <summary>Picks the location of the first blamed input the user wrote, else the attribute.</summary>
    public static LocationInfo? Locate(IEnumerable<string> blame, IReadOnlyList<ArgumentLocation> arguments, LocationInfo? fallback)
    {
        foreach (var name in blame)
        {
            foreach (var a in arguments)
            {
                if (string.Equals(a.Name, name, StringComparison.Ordinal))
                {
                    return a.Location;
                }
            }
        }

        return fallback;
    }
}
