using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PhysMem;

/// <summary>
/// What the storages need to know about a frame descriptor type: its size (the memmap stride) and
/// where its <c>Flags</c> word is. Any unmanaged struct with an instance field <c>Flags</c> of type
/// <see cref="ulong"/> serves (a <see cref="uint"/> <c>Flags</c> also serves a 32-bit layout, whose
/// fields all lie in the low 32 bits); <see cref="Page"/> is the default.
/// </summary>
/// <typeparam name="TPage">The frame descriptor type.</typeparam>
/// <remarks>
/// The offset is found once per type by writing all-ones into the field of a zeroed instance and
/// looking for the first non-zero byte, so it is the managed layout's offset whatever the struct's
/// layout kind. The generated code does not use this class: it names the field directly.
/// </remarks>
internal static unsafe class PageDescriptor<[DynamicallyAccessedMembers(PageDescriptor.Fields)] TPage>
    where TPage : unmanaged
{
    private static readonly int s_flagsOffset;
    private static readonly int s_flagsSize;
    private static readonly string? s_problem;

    static PageDescriptor()
    {
        s_problem = Inspect(out s_flagsOffset, out s_flagsSize);
    }

    /// <summary><c>sizeof(TPage)</c>: the distance between two pages of a memmap.</summary>
    public static int Size => sizeof(TPage);

    /// <summary>The byte offset of the <c>Flags</c> field within <typeparamref name="TPage"/>; -1 when the type has no usable one.</summary>
    public static int FlagsOffset => s_flagsOffset;

    /// <summary>The size of the <c>Flags</c> field: 8 for <see cref="ulong"/>, 4 for <see cref="uint"/>; 0 when the type has no usable one.</summary>
    public static int FlagsSize => s_flagsSize;

    /// <summary>Why <typeparamref name="TPage"/> cannot be a frame descriptor, or null when it can (for some layout).</summary>
    public static string? Problem => s_problem;

    /// <summary>
    /// Checks that <typeparamref name="TPage"/> can hold the <c>page-&gt;flags</c> of
    /// <paramref name="layout"/>: a usable <c>Flags</c> field, 64 bits wide for a 64-bit layout.
    /// </summary>
    /// <param name="layout">The layout the storage is built for.</param>
    /// <param name="paramName">The parameter to name in the exception.</param>
    /// <exception cref="ArgumentException">The type has no usable <c>Flags</c> field, or it is too narrow for the layout.</exception>
    public static void EnsureUsable(MemoryLayout layout, string paramName)
    {
        if (layout is null)
        {
            throw new ArgumentNullException(nameof(layout));
        }

        if (s_problem is not null)
        {
            throw new ArgumentException("The page type " + typeof(TPage).FullName + " cannot be a frame descriptor: " + s_problem, paramName);
        }

        if (s_flagsSize * 8 < layout.BitsPerLong)
        {
            throw new ArgumentException(
                "The page type " + typeof(TPage).FullName + " has a " + (s_flagsSize * 8) + "-bit Flags field, but the layout's page->flags is "
                + layout.BitsPerLong + " bits wide (BitsPerLong = " + layout.BitsPerLong + "): declare it as ulong.", paramName);
        }
    }

    /// <summary>Reads the page's <c>Flags</c> word (zero-extended when it is 32 bits).</summary>
    /// <param name="page">The page.</param>
    /// <returns>The flags.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadFlags(TPage* page)
    {
        byte* at = (byte*)page + s_flagsOffset;
        return s_flagsSize == sizeof(ulong) ? *(ulong*)at : *(uint*)at;
    }

    /// <summary>Stores the page's <c>Flags</c> word (its low 32 bits when the field is 32 bits).</summary>
    /// <param name="page">The page.</param>
    /// <param name="flags">The flags.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteFlags(TPage* page, ulong flags)
    {
        byte* at = (byte*)page + s_flagsOffset;
        if (s_flagsSize == sizeof(ulong))
        {
            *(ulong*)at = flags;
        }
        else
        {
            *(uint*)at = (uint)flags;
        }
    }

    /// <summary>
    /// Clears every byte of the page but its <c>Flags</c>, then stores <paramref name="flags"/> with
    /// release semantics: a reader that sees the new flags sees the cleared rest. The other bytes are
    /// cleared one at a time or a word at a time, never torn within a naturally aligned word.
    /// </summary>
    /// <param name="page">The page.</param>
    /// <param name="flags">The flags.</param>
    public static void Reinitialise(TPage* page, ulong flags)
    {
        byte* bytes = (byte*)page;
        int end = sizeof(TPage);
        int flagsEnd = s_flagsOffset + s_flagsSize;
        for (int i = 0; i < end;)
        {
            if (i == s_flagsOffset)
            {
                i = flagsEnd;
            }
            else if (((nuint)(bytes + i) & 7) == 0 && i + 8 <= end && (i + 8 <= s_flagsOffset || i >= flagsEnd))
            {
                *(ulong*)(bytes + i) = 0;
                i += 8;
            }
            else
            {
                bytes[i++] = 0;
            }
        }

        byte* at = bytes + s_flagsOffset;
        if (s_flagsSize == sizeof(ulong))
        {
            Volatile.Write(ref *(ulong*)at, flags);
        }
        else
        {
            Volatile.Write(ref *(uint*)at, (uint)flags);
        }
    }

    private static string? Inspect(out int offset, out int size)
    {
        offset = -1;
        size = 0;
        var field = typeof(TPage).GetField("Flags", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (field is null)
        {
            return "it has no instance field named Flags (page->flags: ulong, or uint for a 32-bit layout).";
        }

        object allOnes;
        if (field.FieldType == typeof(ulong))
        {
            allOnes = ulong.MaxValue;
            size = sizeof(ulong);
        }
        else if (field.FieldType == typeof(uint))
        {
            allOnes = uint.MaxValue;
            size = sizeof(uint);
        }
        else
        {
            return "its Flags field is of type " + field.FieldType.FullName + "; it must be ulong (or uint for a 32-bit layout).";
        }

        object boxed = default(TPage);
        field.SetValue(boxed, allOnes);
        TPage probe = (TPage)boxed;
        byte* bytes = (byte*)&probe;
        for (int i = 0; i < sizeof(TPage); i++)
        {
            if (bytes[i] != 0)
            {
                offset = i;
                return null;
            }
        }

        size = 0;
        return "the offset of its Flags field could not be found.";
    }
}

/// <summary>Shared by every <see cref="PageDescriptor{TPage}"/>.</summary>
internal static class PageDescriptor
{
    /// <summary>The members of a page type the runtime reads by reflection: its fields, to find <c>Flags</c>.</summary>
    public const DynamicallyAccessedMemberTypes Fields = DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields;
}
