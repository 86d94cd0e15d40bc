using System.Globalization;

namespace PhysMem;

/// <summary>How a <see cref="LayoutConstant"/> is typed and printed.</summary>
public enum ConstantKind
{
    /// <summary>A shift, width or bit count: <see cref="int"/>, printed in decimal (may be negative).</summary>
    Int,

    /// <summary>A count or size: <see cref="ulong"/>, printed in decimal.</summary>
    Count,

    /// <summary>A bit mask: <see cref="ulong"/>, printed in hexadecimal in C#.</summary>
    Mask,

    /// <summary>A yes/no fact the kernel expresses by defining a macro or not: <see cref="bool"/>, 0 or 1 in <c>#define</c>s.</summary>
    Flag,
}

/// <summary>
/// One named value of a layout: the kernel's macro name, its PascalCase name, the value, and the
/// formula with the numbers that produced it. The generated constants, <c>ToKernelDefines()</c>
/// and the JSON form are all printed from these.
/// </summary>
/// <param name="KernelName">The kernel's macro name, e.g. <c>SECTIONS_SHIFT</c>.</param>
/// <param name="Name">The PascalCase name used in C#, e.g. <c>SectionsShift</c>.</param>
/// <param name="Kind">How it is typed and printed.</param>
/// <param name="Value">The value, as a signed 64-bit number for <see cref="ConstantKind.Int"/>, else as its bits.</param>
/// <param name="Formula">How it was computed with the numbers put in (<c>MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = 48 - 30</c>), or null for an input.</param>
/// <param name="Summary">One sentence saying what it is.</param>
public sealed record LayoutConstant(string KernelName, string Name, ConstantKind Kind, ulong Value, string? Formula, string Summary)
{
    /// <summary>The value as a signed number (meaningful for <see cref="ConstantKind.Int"/>).</summary>
    public long SignedValue => unchecked((long)Value);

    /// <summary>The value in decimal, as a <c>#define</c> prints it.</summary>
    public string DecimalText => Kind == ConstantKind.Int
        ? SignedValue.ToString(CultureInfo.InvariantCulture)
        : Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value as a C# literal of the constant's type.</summary>
    internal string CSharpLiteral => Kind switch
    {
        ConstantKind.Int => SignedValue.ToString(CultureInfo.InvariantCulture),
        ConstantKind.Flag => Value != 0 ? "true" : "false",
        ConstantKind.Mask => "0x" + GroupHex(Value) + "UL",
        _ => Value.ToString(CultureInfo.InvariantCulture) + "UL",
    };

    /// <summary>The C# type keyword of the constant.</summary>
    internal string CSharpType => Kind switch
    {
        ConstantKind.Int => "int",
        ConstantKind.Flag => "bool",
        _ => "ulong",
    };

    /// <summary>The explanation printed beside the constant: <c>NAME = formula = value</c>.</summary>
    public string Explanation
    {
        get
        {
            string shown = Kind == ConstantKind.Mask ? "0x" + GroupHex(Value) : DecimalText;
            return Formula is null ? KernelName + " = " + shown : KernelName + " = " + Formula + " = " + shown;
        }
    }

    /// <summary>Hexadecimal digits in groups of four, separated by underscores (a valid C# literal).</summary>
    internal static string GroupHex(ulong value)
    {
        string hex = value.ToString("X", CultureInfo.InvariantCulture);
        var sb = new System.Text.StringBuilder(hex.Length + 4);
        for (int i = 0; i < hex.Length; i++)
        {
            if (i > 0 && (hex.Length - i) % 4 == 0)
            {
                sb.Append('_');
            }

            sb.Append(hex[i]);
        }

        return sb.ToString();
    }
}
