using System;
using System.Collections.Generic;

namespace PhysMem;

/// <summary>
/// The memory models an input means something to, as a set (see <see cref="InputDescriptor.Models"/>):
/// bit <c>1 &lt;&lt; (int)model</c> for each <see cref="Model"/>.
/// </summary>
[Flags]
internal enum ModelSet
{
    /// <summary>No model.</summary>
    None = 0,

    /// <summary><see cref="Model.Flat"/>.</summary>
    Flat = 1 << 0,

    /// <summary><see cref="Model.Discontig"/>.</summary>
    Discontig = 1 << 1,

    /// <summary><see cref="Model.Sparse"/>.</summary>
    Sparse = 1 << 2,

    /// <summary>Every model.</summary>
    All = Flat | Discontig | Sparse,
}

/// <summary>How the command-line tool spells an input: its option and the help line.</summary>
/// <param name="Option">The option, <c>--page-shift</c>.</param>
/// <param name="Help">The help text.</param>
/// <param name="SourceShowsValue">
/// Whether the report names the value with the option (<c>--nr-cpus 256</c>): for an input the
/// report shows only through another one it converts to.
/// </param>
internal sealed record InputCli(string Option, string Help, bool SourceShowsValue = false);

/// <summary>
/// One input of a memory model: everything every reader of inputs needs to know about it — the
/// attribute, the MSBuild properties, the kernel <c>.config</c> reader, the range checks, the
/// generated header and <c>Layout</c> literal, the command-line tool. The rows are in
/// <see cref="InputTable"/>; a new input is a new row there.
/// </summary>
internal abstract class InputDescriptor
{
    private readonly Func<int, InputRange?>? _range;

    private protected InputDescriptor(string name, string kernelName, Type clrType, ModelSet models, string defaultText, string[] kconfigSymbols, InputCli? cli, Func<int, InputRange?>? range, bool onAttribute, bool listedAtDefault, string? since)
    {
        Name = name;
        KernelName = kernelName;
        ClrType = clrType;
        Models = models;
        Default = defaultText;
        KconfigSymbols = kconfigSymbols;
        Cli = cli;
        _range = range;
        OnAttribute = onAttribute;
        Since = since;
        ListedAtDefault = listedAtDefault && since is null;
    }

    /// <summary>The input's name: the property of <see cref="LayoutOptions"/>, <see cref="LayoutSpec"/> and <c>[MemoryModel]</c>.</summary>
    public string Name { get; }

    /// <summary>What the kernel calls it (<c>pageblock_order</c>, <c>CONFIG_NUMA_BALANCING</c>).</summary>
    public string KernelName { get; }

    /// <summary>The type of the attribute's and the spec's property (<see cref="int"/>, <see cref="bool"/>, <see cref="Zones"/>, ...).</summary>
    public Type ClrType { get; }

    /// <summary>The models the input means something to; the others ignore it (or refuse a value other than the default).</summary>
    public ModelSet Models { get; }

    /// <summary>The default, in words (the value itself is <see cref="LayoutOptions.Resolve"/>'s).</summary>
    public string Default { get; }

    /// <summary>
    /// The Kconfig symbols (without <c>CONFIG_</c>) <see cref="KconfigReader"/> settles the input from;
    /// empty when a kernel configuration does not decide it.
    /// </summary>
    public IReadOnlyList<string> KconfigSymbols { get; }

    /// <summary>The command-line option, or null when <c>physmem layout</c> has none for it.</summary>
    public InputCli? Cli { get; }

    /// <summary>Whether <c>[MemoryModel]</c> sets it (a named property, or the constructor's model).</summary>
    public bool OnAttribute { get; }

    /// <summary>
    /// Whether the generated header lists the input when it has its default; false for an input whose
    /// default means "not given" (<c>MaxNrZones</c> 0: the count of <see cref="LayoutSpec.Zones"/>),
    /// and for an input of a newer kernel (<see cref="Since"/>).
    /// </summary>
    public bool ListedAtDefault { get; }

    /// <summary>
    /// The first kernel version that has the input (<c>6.15</c>), or null for one every supported
    /// kernel has. Its default is the behaviour of the kernels before, so a model that leaves it
    /// there does not name it, in the header or in the <c>Layout</c> literal: adding such an input
    /// changes no existing model's generated code.
    /// </summary>
    public string? Since { get; }

    /// <summary>Whether <see cref="LayoutOptions"/> has it (every source of text can set it).</summary>
    public abstract bool OnOptions { get; }

    /// <summary>Whether <see cref="LayoutSpec"/> has it (the resolved inputs; an input such as <c>NrCpus</c> is converted to another).</summary>
    public abstract bool OnSpec { get; }

    /// <summary>The MSBuild property (<c>PhysMem_PageShift</c>), or null for an input not on <see cref="LayoutOptions"/>.</summary>
    public string? MsBuildProperty => OnOptions ? BuildPropertyPrefix + Name : null;

    /// <summary>The prefix of every MSBuild property PhysMem reads.</summary>
    public const string BuildPropertyPrefix = "PhysMem_";

    /// <summary>Whether the input means something to <paramref name="model"/>.</summary>
    public bool AppliesTo(Model model) => ((int)Models & (1 << (int)model)) != 0;

    /// <summary>The values allowed, or null for an input without a fixed range.</summary>
    /// <param name="bitsPerLong">The model's word size (it bounds <c>NR_PAGEFLAGS</c>).</param>
    public InputRange? Range(int bitsPerLong) => _range?.Invoke(bitsPerLong);

    /// <summary>The value in <paramref name="options"/> as text, or null when unset.</summary>
    public abstract string? Format(LayoutOptions options);

    /// <summary>Sets the value in <paramref name="options"/> from text.</summary>
    /// <param name="options">The options to set.</param>
    /// <param name="text">The value, trimmed.</param>
    /// <param name="error">What is wrong with the text, in words a user can act on.</param>
    /// <returns>False when the text is not a value of the input's type.</returns>
    public abstract bool TrySet(LayoutOptions options, string text, out string? error);

    /// <summary>
    /// Sets the value from a constant of the attribute property's type (an enum as its underlying
    /// <see cref="int"/>), as the attribute and the command line hold it.
    /// </summary>
    /// <returns>False when the constant is not of that type, or the input is not a named property.</returns>
    public abstract bool TrySetValue(LayoutOptions options, object value);

    /// <summary>Clears the value in <paramref name="options"/> (back to unset).</summary>
    public abstract void Clear(LayoutOptions options);

    /// <summary>The spec's value as people read it. Only for an input <see cref="OnSpec"/>.</summary>
    public abstract string Text(LayoutSpec spec);

    /// <summary>The spec's value as a fully qualified C# expression. Only for an input <see cref="OnSpec"/>.</summary>
    public abstract string CSharp(LayoutSpec spec);

    /// <summary>Whether the spec's value is that of a <c>new LayoutSpec()</c>. Only for an input <see cref="OnSpec"/>.</summary>
    public abstract bool IsDefault(LayoutSpec spec);

    /// <summary>Whether <paramref name="spec"/>'s model uses the input and the header should list it.</summary>
    public bool Applies(LayoutSpec spec) => AppliesTo(spec.Model) && (ListedAtDefault || !IsDefault(spec));

    /// <summary>
    /// Whether the generated <c>Layout</c> literal writes the input: every input the model uses (at
    /// its default too, except an input of a newer kernel) and any other set anyway, so the literal's
    /// value is always the spec's. Only for an input <see cref="OnSpec"/>.
    /// </summary>
    public bool InLiteral(LayoutSpec spec) => !IsDefault(spec) || (AppliesTo(spec.Model) && Since is null);
}

/// <summary>An input of type <typeparamref name="T"/>: the accessors of its properties and how its values are written.</summary>
/// <typeparam name="T">The property's type.</typeparam>
internal sealed class InputDescriptor<T> : InputDescriptor
    where T : struct
{
    private static readonly LayoutSpec Defaults = new();
    private readonly InputFormat<T> _format;
    private readonly Func<LayoutOptions, T?>? _get;
    private readonly Action<LayoutOptions, T?>? _set;
    private readonly Func<LayoutSpec, T>? _spec;

    internal InputDescriptor(InputRow row, InputFormat<T> format, Func<LayoutOptions, T?>? get, Action<LayoutOptions, T?>? set, Func<LayoutSpec, T>? spec)
        : base(row.Name, row.KernelName, typeof(T), row.Models, row.Default, row.Kconfig, row.Cli, row.Range, row.OnAttribute, row.ListedAtDefault, row.Since)
    {
        _format = format;
        _get = get;
        _set = set;
        _spec = spec;
    }

    /// <inheritdoc/>
    public override bool OnOptions => _get is not null;

    /// <inheritdoc/>
    public override bool OnSpec => _spec is not null;

    /// <inheritdoc/>
    public override string? Format(LayoutOptions options) => _get?.Invoke(options) is T value ? _format.Text(value) : null;

    /// <inheritdoc/>
    public override bool TrySet(LayoutOptions options, string text, out string? error)
    {
        if (_set is null)
        {
            error = "PhysMem has no input of that name";
            return false;
        }

        if (!_format.TryParse(text, out T value, out error))
        {
            return false;
        }

        _set(options, value);
        return true;
    }

    /// <inheritdoc/>
    public override bool TrySetValue(LayoutOptions options, object value)
    {
        if (_set is null || !_format.TryFromConstant(value, out T typed))
        {
            return false;
        }

        _set(options, typed);
        return true;
    }

    /// <inheritdoc/>
    public override void Clear(LayoutOptions options) => _set?.Invoke(options, null);

    /// <inheritdoc/>
    public override string Text(LayoutSpec spec) => _format.Text(_spec!(spec));

    /// <inheritdoc/>
    public override string CSharp(LayoutSpec spec) => _format.CSharp(_spec!(spec));

    /// <inheritdoc/>
    public override bool IsDefault(LayoutSpec spec) => EqualityComparer<T>.Default.Equals(_spec!(spec), _spec(Defaults));
}

/// <summary>What a row of <see cref="InputTable"/> says apart from its type and accessors.</summary>
/// <param name="Name">See <see cref="InputDescriptor.Name"/>.</param>
/// <param name="KernelName">See <see cref="InputDescriptor.KernelName"/>.</param>
/// <param name="Models">See <see cref="InputDescriptor.Models"/>.</param>
/// <param name="Default">See <see cref="InputDescriptor.Default"/>.</param>
/// <param name="Kconfig">See <see cref="InputDescriptor.KconfigSymbols"/>.</param>
/// <param name="Cli">See <see cref="InputDescriptor.Cli"/>.</param>
/// <param name="Range">The range for a word size, or null.</param>
/// <param name="OnAttribute">See <see cref="InputDescriptor.OnAttribute"/>.</param>
/// <param name="ListedAtDefault">See <see cref="InputDescriptor.ListedAtDefault"/>.</param>
/// <param name="Since">See <see cref="InputDescriptor.Since"/>.</param>
internal sealed record InputRow(string Name, string KernelName, ModelSet Models, string Default, string[] Kconfig, InputCli? Cli = null, Func<int, InputRange?>? Range = null, bool OnAttribute = true, bool ListedAtDefault = true, string? Since = null);
