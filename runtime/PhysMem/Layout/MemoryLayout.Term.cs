using System;
using System.Text;

namespace PhysMem;

public sealed partial class MemoryLayout
{
    /// <summary>
    /// A number of the layout arithmetic together with the expression that produced it, so that
    /// every constant is written once and its formula is printed from the same expression that
    /// computed it (<c>MAX_PHYSMEM_BITS - SECTION_SIZE_BITS = 46 - 27</c>).
    /// </summary>
    /// <remarks>
    /// The value is computed at once; the text only when a formula is printed, which happens far
    /// less often than a layout is computed (the generator computes one per model and edit, and
    /// prints it only when the model's source changes). Operators follow C: <c>+ - * / &lt;&lt; ~</c>
    /// on 64-bit values, the division unsigned, the shift count masked as C#'s is. A term
    /// returned by a <c>Define</c> call prints as the constant's kernel name.
    /// </remarks>
    internal readonly struct Term
    {
        // C's precedence levels, highest first: they decide where a printed formula needs parentheses.
        private const int Primary = 16;
        private const int Unary = 15;
        private const int Multiplicative = 13;
        private const int Additive = 12;
        private const int Shift = 11;
        private const int Equality = 9;
        private const int LogicalAnd = 5;

        private Term(long value, object? expression)
        {
            Value = value;
            Expression = expression;
        }

        /// <summary>The value; the bits of an unsigned one.</summary>
        public long Value { get; }

        /// <summary>The value as a shift, width or count of bits.</summary>
        public int Int => (int)Value;

        /// <summary>The value as an unsigned 64-bit number.</summary>
        public ulong Bits => unchecked((ulong)Value);

        /// <summary>
        /// What produced the value: null for a plain number, a <see cref="LayoutConstant"/> for a
        /// reference to a defined constant, else a <see cref="Node"/>.
        /// </summary>
        internal object? Expression { get; }

        /// <summary>A plain number: an input, or a literal of a formula.</summary>
        public static implicit operator Term(long value) => new(value, null);

        /// <summary>A reference to a defined constant: it prints as the constant's kernel name.</summary>
        public static Term Of(LayoutConstant constant) => new(unchecked((long)constant.Value), constant);

        /// <summary>A named number that is not itself one of the layout's constants (<c>sizeof(struct mem_section)</c>, <c>MAX_NR_GENS</c>).</summary>
        public static Term Named(string name, long value) => new(value, new Name(name));

        /// <summary><c>a + b</c>.</summary>
        public static Term operator +(Term a, Term b) => Binary("+", Additive, a, b, a.Value + b.Value);

        /// <summary><c>a - b</c>.</summary>
        public static Term operator -(Term a, Term b) => Binary("-", Additive, a, b, a.Value - b.Value);

        /// <summary><c>a * b</c>.</summary>
        public static Term operator *(Term a, Term b) => Binary("*", Multiplicative, a, b, a.Value * b.Value);

        /// <summary><c>a / b</c>, unsigned.</summary>
        public static Term operator /(Term a, Term b) => Binary("/", Multiplicative, a, b, unchecked((long)(a.Bits / b.Bits)));

        /// <summary><c>a &lt;&lt; b</c>, on the unsigned bits.</summary>
        public static Term operator <<(Term a, Term b) => Binary("<<", Shift, a, b, unchecked((long)(a.Bits << b.Int)));

        /// <summary><c>~a</c>.</summary>
        public static Term operator ~(Term a) => new(~a.Value, new Node("~", Unary, a, default));

        /// <summary><c>a != 0 &amp;&amp; b == 0</c>, as 1 or 0.</summary>
        public static Term NonZeroAndZero(Term a, Term b) =>
            Binary("&&", LogicalAnd, Binary("!=", Equality, a, 0, a.Value != 0 ? 1 : 0), Binary("==", Equality, b, 0, b.Value == 0 ? 1 : 0), a.Value != 0 && b.Value == 0 ? 1 : 0);

        /// <summary><c>min(a, b)</c>, signed.</summary>
        public static Term Min(Term a, Term b) => Call("min", a, b, Math.Min(a.Value, b.Value));

        /// <summary><c>DIV_ROUND_UP(n, d)</c>, unsigned.</summary>
        public static Term DivRoundUp(Term n, Term d) => Call("DIV_ROUND_UP", n, d, unchecked((long)((n.Bits + d.Bits - 1) / d.Bits)));

        /// <summary><c>roundup_pow_of_two(n)</c>: the smallest power of two not below n (n &gt; 0).</summary>
        public static Term RoundupPowOfTwo(Term n) => Call("roundup_pow_of_two", n, null, 1L << OrderBase2Of(n.Value));

        /// <summary><c>order_base_2(n)</c>: the smallest order whose power of two is not below n (n &gt; 0).</summary>
        public static Term OrderBase2(Term n) => Call("order_base_2", n, null, OrderBase2Of(n.Value));

        /// <summary><c>(1 &lt;&lt; width) - 1</c>: the low <paramref name="width"/> bits, all 64 of them when width is 64 or more.</summary>
        public static Term LowMask(Term width)
        {
            Term text = ((Term)1 << width) - 1;
            return new(width.Value >= 64 ? -1 : text.Value, text.Expression);
        }

        /// <summary>The same expression with the value cut to an unsigned long of 32 bits when <paramref name="bitsPerLong"/> is 32.</summary>
        public Term Word(int bitsPerLong) => bitsPerLong == 64 ? this : new(Value & 0xFFFF_FFFFL, Expression);

        /// <summary>
        /// A value the kernel chooses by configuration or by an <c>#if</c>, printed in words:
        /// <c>SECTIONS_SHIFT (19)</c> or <c>0</c>, then <paramref name="reason"/> as written
        /// (<c>" without CONFIG_LRU_GEN"</c>, <c>": classic SPARSEMEM ..."</c>).
        /// </summary>
        public static Term Because(Term chosen, string reason) => new(chosen.Value, new Worded(Words.Given, chosen, reason, default, default));

        /// <summary>
        /// The kernel's test of whether a field fits in <c>page-&gt;flags</c>
        /// (include/linux/page-flags-layout.h): <paramref name="field"/> when <paramref name="need"/>
        /// bits are at most the <paramref name="free"/> ones, else 0.
        /// </summary>
        public static Term IfFits(Term field, Term need, Term free) =>
            new(need.Value <= free.Value ? field.Value : 0, new Worded(Words.Fits, need.Value <= free.Value ? field : 0, null, need, free));

        /// <summary><paramref name="chosen"/> when <paramref name="test"/> is not 0, else 0: the kernel's <c>X_PGOFF * (X_WIDTH != 0)</c>.</summary>
        public static Term IfNonZero(Term test, Term chosen) =>
            new(test.Value != 0 ? chosen.Value : 0, new Worded(Words.NonZero, test.Value != 0 ? chosen : 0, null, test, default));

        /// <summary>
        /// Appends the formula of a constant defined by <paramref name="expression"/>: the
        /// expression with names, then with numbers when they say more than the names or the value
        /// (<c>SECTION_SIZE_BITS - PAGE_SHIFT = 30 - 12</c>, <c>SECTION_SIZE_BITS</c>), or the words
        /// of a chosen value. Nothing for an input.
        /// </summary>
        /// <param name="sb">Where to write.</param>
        /// <param name="expression">The <see cref="Expression"/> the constant was defined by.</param>
        /// <param name="complete">True when the formula already states the value (words).</param>
        /// <returns>False for an input, which has no formula.</returns>
        internal static bool AppendFormula(StringBuilder sb, object? expression, out bool complete)
        {
            complete = expression is Worded;
            if (expression is null)
            {
                return false;
            }

            if (expression is Worded words)
            {
                words.Write(sb);
            }
            else
            {
                // A bare name's numbers are its value, which the line states anyway.
                new Term(0, expression).WriteNamesThenNumbers(sb, numbersSayMore: expression is not (LayoutConstant or Name));
            }

            return true;
        }

        /// <summary>A builder for one line of text, kept per thread: printing a layout's formulas allocates their strings and little else.</summary>
        internal static StringBuilder Builder()
        {
            var sb = t_builder ??= new StringBuilder(256);
            sb.Clear();
            return sb;
        }

        /// <summary>Appends a number in decimal without allocating (invariant: digits and a leading '-').</summary>
        /// <param name="sb">Where to write.</param>
        /// <param name="value">The number, or its bits when <paramref name="unsigned"/>.</param>
        /// <param name="unsigned">True to read the bits as an unsigned number.</param>
        internal static void AppendDecimal(StringBuilder sb, long value, bool unsigned = false)
        {
            ulong magnitude = unsigned || value >= 0 ? unchecked((ulong)value) : unchecked(0UL - (ulong)value);
            if (!unsigned && value < 0)
            {
                sb.Append('-');
            }

            ulong power = 1;
            while (magnitude / power >= 10)
            {
                power *= 10;
            }

            do
            {
                sb.Append((char)('0' + (int)(magnitude / power % 10)));
                power /= 10;
            }
            while (power != 0);
        }

        [ThreadStatic]
        private static StringBuilder? t_builder;

        /// <summary>The expression with names, then (when they differ) with numbers: <c>1 &lt;&lt; SECTIONS_SHIFT = 1 &lt;&lt; 19</c>.</summary>
        private void WriteNamesThenNumbers(StringBuilder sb, bool numbersSayMore)
        {
            int names = sb.Length;
            Write(sb, numbers: false);
            if (!numbersSayMore)
            {
                return;
            }

            int namesEnd = sb.Length;
            sb.Append(" = ");
            int numbers = sb.Length;
            Write(sb, numbers: true);
            if (Same(sb, names, namesEnd - names, numbers, sb.Length - numbers))
            {
                sb.Length = namesEnd;
            }
        }

        /// <summary>The expression, then its numbers, then its value: <c>BITS_PER_LONG - NR_PAGEFLAGS = 64 - 25 = 39</c>.</summary>
        private void WriteDerivation(StringBuilder sb)
        {
            WriteNamesThenNumbers(sb, numbersSayMore: Expression is Node);
            sb.Append(" = ");
            AppendDecimal(sb, Value);
        }

        private static bool Same(StringBuilder sb, int a, int aLength, int b, int bLength)
        {
            if (aLength != bLength)
            {
                return false;
            }

            for (int i = 0; i < aLength; i++)
            {
                if (sb[a + i] != sb[b + i])
                {
                    return false;
                }
            }

            return true;
        }

        private int Precedence => Expression is Node node ? node.Precedence : Primary;

        private void Write(StringBuilder sb, bool numbers)
        {
            switch (Expression)
            {
                case null:
                    AppendDecimal(sb, Value);
                    break;
                case LayoutConstant c when numbers:
                    AppendDecimal(sb, unchecked((long)c.Value), unsigned: c.Kind != ConstantKind.Int);
                    break;
                case LayoutConstant c:
                    sb.Append(c.KernelName);
                    break;
                case Name n:
                    if (numbers)
                    {
                        AppendDecimal(sb, Value);
                    }
                    else
                    {
                        sb.Append(n.Text);
                    }

                    break;
                case Worded w:
                    w.Chosen.Write(sb, numbers);
                    break;
                case Node node:
                    node.Write(sb, numbers);
                    break;
            }
        }

        private static Term Binary(string op, int precedence, Term a, Term b, long value) => new(value, new Node(op, precedence, a, b));

        private static Term Call(string function, Term a, Term? b, long value) => new(value, new Node(function, Primary, a, b ?? default, call: true, arguments: b is null ? 1 : 2));

        private static int OrderBase2Of(long n)
        {
            int order = 0;
            while ((1L << order) < n)
            {
                order++;
            }

            return order;
        }

        /// <summary>A name that is not a constant of the layout.</summary>
        private sealed class Name(string text)
        {
            public string Text { get; } = text;
        }

        /// <summary>A binary or unary (<c>~</c>) operator, or a call of one or two arguments.</summary>
        private sealed class Node(string op, int precedence, Term left, Term right, bool call = false, int arguments = 2)
        {
            public int Precedence => precedence;

            public void Write(StringBuilder sb, bool numbers)
            {
                if (call)
                {
                    sb.Append(op).Append('(');
                    left.Write(sb, numbers);
                    if (arguments == 2)
                    {
                        sb.Append(", ");
                        right.Write(sb, numbers);
                    }

                    sb.Append(')');
                }
                else if (precedence == Unary)
                {
                    sb.Append(op);
                    Operand(sb, left, numbers, left.Precedence < Unary);
                }
                else
                {
                    // C's precedence, plus the parentheses a kernel header writes (and gcc asks for)
                    // around arithmetic inside a shift; the right operand of - / << is parenthesized
                    // at equal precedence, as a - (b + c) needs.
                    bool shift = precedence == Shift;
                    Operand(sb, left, numbers, left.Precedence < precedence || (shift && left.Precedence < Primary));
                    sb.Append(' ').Append(op).Append(' ');
                    bool associative = op == "+" || op == "*" || op == "&&";
                    Operand(sb, right, numbers, right.Precedence < precedence || (right.Precedence == precedence && !associative) || (shift && right.Precedence < Primary));
                }
            }

            private static void Operand(StringBuilder sb, Term operand, bool numbers, bool parenthesize)
            {
                if (parenthesize)
                {
                    sb.Append('(');
                }

                operand.Write(sb, numbers);
                if (parenthesize)
                {
                    sb.Append(')');
                }
            }
        }

        /// <summary>Why a worded value was chosen.</summary>
        private enum Words
        {
            /// <summary>For the reason given as text: a configuration, an <c>#if</c> branch.</summary>
            Given,

            /// <summary>Because the first term's bits fit in the second's, or do not.</summary>
            Fits,

            /// <summary>Because the first term is not 0, or is.</summary>
            NonZero,
        }

        /// <summary>A chosen value with the reason it was chosen.</summary>
        private sealed class Worded(Words why, Term chosen, string? reason, Term first, Term second)
        {
            public Term Chosen => chosen;

            /// <summary><c>NODES_SHIFT (6): it fits, ...</c>, or <c>0 without CONFIG_LRU_GEN</c>.</summary>
            public void Write(StringBuilder sb)
            {
                if (chosen.Expression is not null)
                {
                    chosen.Write(sb, numbers: false);
                    sb.Append(" (");
                    AppendDecimal(sb, chosen.Value);
                    sb.Append(')');
                }
                else
                {
                    AppendDecimal(sb, chosen.Value);
                }

                if (why == Words.Given)
                {
                    sb.Append(reason);
                }
                else if (why == Words.Fits)
                {
                    bool fits = first.Value <= second.Value;
                    sb.Append(fits ? ": it fits, " : ": it does not fit, ");
                    first.WriteDerivation(sb);
                    sb.Append(fits ? " bits are needed and " : " bits are needed and only ");
                    second.WriteDerivation(sb);
                    sb.Append(" bits are free");
                }
                else if (first.Value != 0)
                {
                    sb.Append(", as ");
                    first.WriteDerivation(sb);
                    sb.Append(" is not 0");
                }
                else
                {
                    sb.Append(", as ");
                    first.Write(sb, numbers: false);
                    sb.Append(" is 0");
                }
            }
        }
    }
}
