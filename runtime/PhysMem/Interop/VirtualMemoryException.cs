using System;
using System.Globalization;

namespace PhysMem;

/// <summary>
/// The operating system refused to reserve, commit or release virtual memory. The message says how
/// much, for what, and the system's reason.
/// </summary>
public sealed class VirtualMemoryException : Exception
{
    /// <summary>Creates the exception with a message and no details.</summary>
    /// <param name="message">The message.</param>
    public VirtualMemoryException(string message)
        : base(message)
    {
        Purpose = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public VirtualMemoryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Purpose = string.Empty;
    }

    /// <summary>Creates the exception for a failed operation.</summary>
    /// <param name="operation">What was asked, e.g. "reserve" or "commit".</param>
    /// <param name="bytes">How many bytes.</param>
    /// <param name="purpose">What the memory was for.</param>
    /// <param name="errorCode">The system's error number (errno or GetLastError).</param>
    /// <param name="reason">The system's text for <paramref name="errorCode"/>.</param>
    /// <param name="detail">Anything else worth saying (may be empty).</param>
    public VirtualMemoryException(string operation, ulong bytes, string purpose, int errorCode, string reason, string detail)
        : base(Compose(operation, bytes, purpose, errorCode, reason, detail))
    {
        Bytes = bytes;
        Purpose = purpose ?? string.Empty;
        ErrorCode = errorCode;
    }

    /// <summary>The bytes that were asked for.</summary>
    public ulong Bytes { get; }

    /// <summary>What the memory was for.</summary>
    public string Purpose { get; }

    /// <summary>The system's error number (errno on Unix, GetLastError on Windows).</summary>
    public int ErrorCode { get; }

    private static string Compose(string operation, ulong bytes, string purpose, int errorCode, string reason, string detail) =>
        "Could not " + operation + " " + ByteSize.Describe(bytes) + " of virtual memory for " + purpose + ": " + reason
        + " (error " + errorCode.ToString(CultureInfo.InvariantCulture) + ")." + (string.IsNullOrEmpty(detail) ? string.Empty : " " + detail);
}
