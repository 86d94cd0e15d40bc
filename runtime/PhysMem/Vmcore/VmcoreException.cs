using System;

namespace PhysMem;

/// <summary>
/// A dump that cannot be read as what it claims to be: not an ELF64 little-endian x86-64 core,
/// truncated, without a <c>VMCOREINFO</c> note, a note that disagrees with the dump's memory, or a read
/// of physical memory the dump does not hold. The message names the file, the value and what was expected.
/// </summary>
public sealed class VmcoreException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, with the values.</param>
    public VmcoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong, with the values.</param>
    /// <param name="innerException">The cause.</param>
    public VmcoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (for serializers and the like).</summary>
    public VmcoreException()
    {
    }
}
