using System;
using System.IO;
using System.Text;
using Xunit;

namespace PhysMem.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a checked-in <c>Snapshots/NAME.verified.cs</c>. On a mismatch it
/// writes <c>NAME.received.cs</c> beside it and fails with the first differing lines; accept a
/// deliberate change by copying received over verified (or run the tests with
/// <c>PHYSMEM_ACCEPT_SNAPSHOTS=1</c>, which writes verified files instead of failing).
/// </summary>
public static class Snapshot
{
    public static void Verify(string name, string actual)
    {
        string dir = Repo.Path("tests", "PhysMem.Generator.Tests", "Snapshots");
        string verifiedPath = Path.Combine(dir, name + ".verified.cs");
        string receivedPath = Path.Combine(dir, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("PHYSMEM_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string? expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {name}.verified.cs yet; the output was written to {name}.received.cs. Review it and rename it to accept."
            : $"Snapshot {name} differs; the output was written to {name}.received.cs.\n{Diff(expected, actual)}");
    }

    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(e.Length, a.Length) && shown < 10; i++)
        {
            string? el = i < e.Length ? e[i] : null;
            string? al = i < a.Length ? a[i] : null;
            if (el != al)
            {
                sb.Append("line ").Append(i + 1).Append(":\n  - ").Append(el ?? "<none>").Append("\n  + ").Append(al ?? "<none>").Append('\n');
                shown++;
            }
        }

        return sb.ToString();
    }
}
