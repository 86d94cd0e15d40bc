using System;
using System.Linq;
using Xunit;

namespace PhysMem.Tests;

public unsafe class VirtualMemoryReservationTests
{
    private static readonly ulong OsPage = (ulong)Environment.SystemPageSize;

    [Fact]
    public void ReserveOneTebibyte_CommitWriteReadDecommit()
    {
        using var r = VirtualMemoryReservation.Reserve(1UL << 40, "test terabyte");

        Assert.Equal(1UL << 40, r.Size);
        Assert.Equal(0UL, r.CommittedBytes);

        // A slice in the middle, not page aligned: it is rounded out to whole pages.
        ulong offset = (512UL << 30) + 100;
        r.Commit(offset, 3 * OsPage);
        Assert.Equal(4 * OsPage, r.CommittedBytes);

        byte* p = r.Base + offset;
        for (int i = 0; i < (int)(3 * OsPage); i++)
        {
            Assert.Equal(0, p[i]);
            p[i] = (byte)i;
        }

        for (int i = 0; i < (int)(3 * OsPage); i++)
        {
            Assert.Equal((byte)i, p[i]);
        }

        // Committing again, and overlapping, counts each page once.
        r.Commit(offset, OsPage);
        r.Commit(offset + 2 * OsPage, 4 * OsPage);
        Assert.Equal(7 * OsPage, r.CommittedBytes);
        Assert.True(r.IsCommitted(offset, 6 * OsPage));

        // Decommit the middle: two separate committed runs remain.
        ulong pageStart = offset - 100;
        r.Decommit(pageStart + OsPage, 2 * OsPage);
        Assert.Equal(5 * OsPage, r.CommittedBytes);
        Assert.False(r.IsCommitted(pageStart + OsPage, OsPage));
        Assert.True(r.IsCommitted(pageStart, OsPage));
        Assert.Equal(0, p[-100]);

        // Recommitted memory reads as zeros.
        r.Commit(pageStart + OsPage, OsPage);
        Assert.Equal(0, r.Base[pageStart + OsPage]);
        Assert.Equal(6 * OsPage, r.CommittedBytes);

        r.Decommit(0, r.Size);
        Assert.Equal(0UL, r.CommittedBytes);
    }

    [Fact]
    public void AbsurdSize_ThrowsVirtualMemoryException_WithSizeAndPurpose()
    {
        var e = Assert.Throws<VirtualMemoryException>(() => VirtualMemoryReservation.Reserve(1UL << 62, "an absurd vmemmap"));

        Assert.Contains((1UL << 62).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Contains("(4 EiB)", e.Message);
        Assert.Contains("an absurd vmemmap", e.Message);
        Assert.Equal(1UL << 62, e.Bytes);
        Assert.Equal("an absurd vmemmap", e.Purpose);
        Assert.NotEqual(0, e.ErrorCode);
    }

    [Fact]
    public void OutOfBounds_Throws()
    {
        using var r = VirtualMemoryReservation.Reserve(16 * OsPage, "bounds");

        Assert.Throws<ArgumentOutOfRangeException>(() => r.Commit(15 * OsPage, 2 * OsPage));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Commit(17 * OsPage, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Decommit(1, ulong.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => VirtualMemoryReservation.Reserve(0, "nothing"));
        r.Commit(16 * OsPage, 0);
        Assert.Equal(0UL, r.CommittedBytes);
    }

    [Fact]
    public void Size_is_rounded_up_to_a_page()
    {
        using var r = VirtualMemoryReservation.Reserve(1, "one byte");
        Assert.Equal(OsPage, r.Size);
    }

    [Fact]
    public void Dispose_IsIdempotent_AndBlocksUse()
    {
        var r = VirtualMemoryReservation.Reserve(4 * OsPage, "disposable");
        r.Commit(0, OsPage);
        r.Dispose();
        r.Dispose();

        Assert.Throws<ObjectDisposedException>(() => r.Commit(0, OsPage));
        Assert.Throws<ObjectDisposedException>(() => r.CommittedBytes);
        Assert.Throws<ObjectDisposedException>(() => (ulong)r.Base);
    }

    [Fact]
    public void RandomCommitsAndDecommits_MatchAPageByPageModel()
    {
        const int pages = 64;
        using var r = VirtualMemoryReservation.Reserve(pages * OsPage, "model check");
        var committed = new bool[pages];
        var rng = new Random(1234);
        for (int step = 0; step < 400; step++)
        {
            int first = rng.Next(pages);
            int count = rng.Next(1, pages - first + 1);
            bool commit = rng.Next(2) == 0;
            if (commit)
            {
                r.Commit((ulong)first * OsPage, (ulong)count * OsPage);
            }
            else
            {
                r.Decommit((ulong)first * OsPage, (ulong)count * OsPage);
            }

            for (int i = first; i < first + count; i++)
            {
                committed[i] = commit;
            }

            Assert.Equal((ulong)committed.Count(c => c) * OsPage, r.CommittedBytes);
            int probe = rng.Next(pages);
            Assert.Equal(committed[probe], r.IsCommitted((ulong)probe * OsPage, 1));
            if (committed[probe])
            {
                // Committed memory is writable.
                r.Base[(ulong)probe * OsPage] = 1;
            }
        }
    }
}
