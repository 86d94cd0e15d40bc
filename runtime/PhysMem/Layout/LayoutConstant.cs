using System.Globalization;
using System.Text;

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
    private readonly string? _formula = Formula;

    // The expression a layout computed the value from. Its text is printed only when asked: layouts
    // are computed far more often (the generator computes one per model and edit) than printed.
    private readonly object? _expression;

    /// <summary>A constant whose formula is printed from the expression that computed it.</summary>
    internal LayoutConstant(string kernelName, string name, ConstantKind kind, ulong value, object? expression, string summary)
        : this(kernelName, name, kind, value, (string?)null, summary)
    {
        _expression = expression;
    }

    /// <summary>
    /// How the value was computed: the expression with the kernel's names, then with the numbers
    /// when they say more (<c>MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = 48 - 30</c>,
    /// <c>SECTION_SIZE_BITS</c>), or in words for a value chosen by configuration or an
    /// <c>#if</c> (<c>NODES_SHIFT (6): it fits, ...</c>); null for an input.
    /// </summary>
    public string? Formula
    {
        get
        {
            if (_formula is not null || _expression is null)
            {
                return _formula;
            }

            var sb = MemoryLayout.Term.Builder();
            MemoryLayout.Term.AppendFormula(sb, _expression, out _);
            return sb.ToString();
        }

        init => _formula = value;
    }

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

    /// <summary>
    /// The one line of derivation printed beside the constant: <c>NAME = formula = value</c>
    /// (<c>SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = 46 - 27 = 19</c>), or
    /// <c>NAME = words</c> when the formula states the value itself.
    /// </summary>
    public string Explanation
    {
        get
        {
            var sb = MemoryLayout.Term.Builder();
            sb.Append(KernelName).Append(" = ");
            bool complete = false;
            if (_formula is not null)
            {
                sb.Append(_formula);
            }
            else if (!MemoryLayout.Term.AppendFormula(sb, _expression, out complete))
            {
                return AppendValue(sb).ToString();
            }

            return complete ? sb.ToString() : AppendValue(sb.Append(" = ")).ToString();
        }
    }

    private StringBuilder AppendValue(StringBuilder sb)
    {
        if (Kind == ConstantKind.Mask)
        {
            return AppendGroupHex(sb.Append("0x"), Value);
        }

        MemoryLayout.Term.AppendDecimal(sb, SignedValue, unsigned: Kind != ConstantKind.Int);
        return sb;
    }

    /// <summary>Equal when every public part is (the formula compared as printed).</summary>
    /// <param name="other">The other constant.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(LayoutConstant? other) =>
        other is not null
        && KernelName == other.KernelName && Name == other.Name && Kind == other.Kind && Value == other.Value
        && Summary == other.Summary && Formula == other.Formula;

    /// <inheritdoc/>
    public override int GetHashCode() => (KernelName.GetHashCode() * 31 + Name.GetHashCode()) * 31 + Value.GetHashCode();

    /// <summary>Hexadecimal digits in groups of four, separated by underscores (a valid C# literal).</summary>
    internal static string GroupHex(ulong value) => AppendGroupHex(new StringBuilder(20), value).ToString();

    private static StringBuilder AppendGroupHex(StringBuilder sb, ulong value)
    {
        int digits = 1;
        while (digits < 16 && value >> (4 * digits) != 0)
        {
            digits++;
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            sb.Append("0123456789ABCDEF"[(int)((value >> (4 * i)) & 0xF)]);
            if (i > 0 && i % 4 == 0)
            {
                sb.Append('_');
            }
        }

        return sb;
    }
}
