using System.Runtime.InteropServices;

namespace PhysMem;

// The operating-system calls behind VirtualMemoryReservation. "libc" resolves to the C library on
// Linux and macOS; kernel32 is Windows'.
internal static unsafe partial class NativeMethods
{
    internal const int ProtNone = 0;
    internal const int ProtReadWrite = 0x1 | 0x2;

    internal const int MapPrivate = 0x02;
    internal const int MapFixed = 0x10;

    // Linux (generic mman flags: x86, arm, arm64, riscv, loongarch, s390).
    internal const int LinuxMapAnonymous = 0x20;
    internal const int LinuxMapNoReserve = 0x4000;

    // Linux on powerpc uses its own value for MAP_NORESERVE.
    internal const int LinuxPowerPcMapNoReserve = 0x40;

    internal const int LinuxMadvDontNeed = 4;
    internal const int LinuxMadvHugePage = 14;

    // macOS (sys/mman.h).
    internal const int MacMapAnon = 0x1000;
    internal const int MacMapNoReserve = 0x40;

    // Windows (winnt.h).
    internal const uint MemCommit = 0x1000;
    internal const uint MemReserve = 0x2000;
    internal const uint MemDecommit = 0x4000;
    internal const uint MemRelease = 0x8000;
    internal const uint PageNoAccess = 0x01;
    internal const uint PageReadWrite = 0x04;

    internal static readonly void* MapFailed = (void*)-1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(void* addr, nuint length);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    internal static partial int Mprotect(void* addr, nuint length, int prot);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Madvise(void* addr, nuint length, int advice);

    [LibraryImport("kernel32", EntryPoint = "VirtualAlloc", SetLastError = true)]
    internal static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protect);

    [LibraryImport("kernel32", EntryPoint = "VirtualFree", SetLastError = true)]
    internal static partial int VirtualFree(void* address, nuint size, uint freeType);
}
