using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Files;

/// <summary>
/// mmap of a regular file, shared and private, over a page cache with a backing store: what a program on 6.18
/// observes (checked against the host by the file-*.trace conformance traces where the host can show it).
/// </summary>
public sealed class RegularFileTests
{
    private static (Machine M, Process P, int Fd, ShmemObject File) WithFile(params ulong[] pages)
    {
        var m = New();
        var p = m.User();
        var file = m.CreateFile("/data", pages).Value;
        var fd = m.Open(p, "/data").Value;
        return (m, p, fd, file);
    }

    [Fact]
    public void A_shared_mapping_reads_the_file_with_one_major_fault_per_page()
    {
        var (m, p, fd, _) = WithFile(0x10, 0x11, 0, 0x13);
        var s = p.Mmap(0, 4 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        Assert.Equal(new ulong[] { 0x10, 0x11, 0, 0x13 }, Enumerable.Range(0, 4).Select(i => p.Load(s + ((ulong)i * P)).Value));
        Assert.Equal(4, m.Stats.MajorFaults);
        var second = p.Mmap(0, 2 * P, Prot.Read, MapFlags.Shared, fd, 2 * P).Value;
        Assert.Equal(0x13UL, p.Load(second + P).Value);
        Assert.Equal(4, m.Stats.MajorFaults);
        Assert.Contains(" /data", p.Mm!.FormatMaps(), StringComparison.Ordinal);
        Assert.DoesNotContain("/data (deleted)", p.Mm!.FormatMaps(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_writes_reach_the_disk_only_at_writeback_and_msync_sync_writes_them()
    {
        var (m, p, fd, file) = WithFile(1, 2);
        var s = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s, 0xaa);
        Assert.Equal(1UL, file.StoredContent(0));
        Assert.Equal(0, p.Msync(s, 2 * P, Mm.MsAsync).Value);
        Assert.Equal(1UL, file.StoredContent(0));
        Assert.Equal(0, p.Msync(s, 2 * P, Mm.MsSync).Value);
        Assert.Equal(0xaaUL, file.StoredContent(0));
        Assert.Equal(2UL, file.StoredContent(1));
        Assert.Equal(1, m.Stats.PagesWrittenBack);

        // Writeback write-protected the page: the next store faults (write-notify) and dirties it again.
        var faults = m.Stats.PageFaults;
        p.Store(s, 0xbb);
        Assert.Equal(faults + 1, m.Stats.PageFaults);
        Assert.Equal(0, p.Msync(s, P, Mm.MsSync | Mm.MsInvalidate).Value);
        Assert.Equal(0xbbUL, file.StoredContent(0));
        Assert.Equal(0, p.Msync(s, 2 * P, Mm.MsSync).Value);
        Assert.Equal(2, m.Stats.PagesWrittenBack);
    }

    [Fact]
    public void Fsync_writes_back_dirty_pages_of_the_whole_file_and_a_memfd_has_nothing_to_write()
    {
        var (m, p, fd, file) = WithFile(0, 0, 0);
        var s = p.Mmap(0, 3 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s + (2 * P), 7);
        Assert.Equal(0, m.Fsync(p, fd).Value);
        Assert.Equal(7UL, file.StoredContent(2));
        var memfd = m.MemfdCreate(p, "m", 0).Value;
        Assert.Equal(0, m.Fsync(p, memfd).Value);
        Assert.Equal(Errno.EBADF, m.Fsync(p, 99).Error);
    }

    [Fact]
    public void A_private_mapping_never_writes_the_file_and_dontneed_reads_the_file_again()
    {
        var (m, p, fd, file) = WithFile(0x50, 0x51);
        var v = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Private, fd, 0).Value;
        Assert.Equal(0x50UL, p.Load(v).Value);
        p.Store(v, 0xc0);
        Assert.Equal(0xc0UL, p.Load(v).Value);
        Assert.Equal(0, p.Msync(v, 2 * P, Mm.MsSync).Value);
        Assert.Equal(0x50UL, file.StoredContent(0));
        Assert.Equal(1, p.Mm!.RssAnon);

        // MADV_DONTNEED drops the private copy: the page reads the file again (not zero, as anonymous memory would).
        Assert.Equal(0, p.Madvise(v, 2 * P, Advice.DontNeed).Value);
        Assert.Equal(0, p.Mm!.RssAnon);
        Assert.Equal(0x50UL, p.Load(v).Value);
        Assert.Equal(0x51UL, p.Load(v + P).Value);
    }

    [Fact]
    public void Reclaim_drops_clean_file_pages_and_writes_back_dirty_ones_without_using_swap()
    {
        var (m, p, fd, file) = WithFile(1, 2, 3, 4);
        var s = p.Mmap(0, 4 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        for (var i = 0UL; i < 4; i++)
        {
            p.Load(s + (i * P));
        }

        p.Store(s + P, 0x22);
        p.Store(s + (3 * P), 0x44);
        Assert.Equal(4, file.PageCount);
        var freed = 0;
        for (var round = 0; round < 4 && file.PageCount > 0; round++)
        {
            freed += m.Reclaim(8);
        }

        Assert.Equal(4, freed);
        Assert.Equal(0, file.PageCount);
        Assert.Equal(0, m.Swap.UsedSlots);
        Assert.Equal(2, m.Stats.PagesWrittenBack);
        Assert.Equal(new ulong[] { 1, 0x22, 3, 0x44 }, Enumerable.Range(0, 4).Select(i => file.StoredContent(i)));

        // Reading again is a major fault per page that finds what was written.
        var major = m.Stats.MajorFaults;
        Assert.Equal(0x22UL, p.Load(s + P).Value);
        Assert.Equal(0x44UL, p.Load(s + (3 * P)).Value);
        Assert.Equal(major + 2, m.Stats.MajorFaults);
    }

    [Fact]
    public void Pageout_writes_a_dirty_shared_file_page_back()
    {
        var (m, p, fd, file) = WithFile(5);
        var s = p.Mmap(0, P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s, 6);
        Assert.Equal(0, p.Madvise(s, P, Advice.PageOut).Value);
        Assert.Equal(6UL, file.StoredContent(0));
        Assert.Equal(0, file.PageCount);
        Assert.Equal(6UL, p.Load(s).Value);
    }

    [Fact]
    public void Msync_checks_flags_and_alignment_before_the_range()
    {
        var (_, p, fd, _) = WithFile(1, 2);
        var s = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        Assert.Equal(Errno.EINVAL, p.Msync(s, P, 8).Error);
        Assert.Equal(Errno.EINVAL, p.Msync(s + 1, P, Mm.MsSync).Error);
        Assert.Equal(Errno.EINVAL, p.Msync(s, P, Mm.MsSync | Mm.MsAsync).Error);
        Assert.Equal(Errno.EINVAL, p.Msync(1, 0, Mm.MsSync).Error);
        Assert.Equal(0, p.Msync(s, 0, Mm.MsSync).Value);
        Assert.Equal(0, p.Msync(s, P, 0).Value);
        Assert.Equal(Errno.ENOMEM, p.Msync(0xffff_ffff_ffff_f000, 2 * P, Mm.MsSync).Error);
    }

    [Fact]
    public void Msync_over_a_hole_syncs_the_mapped_parts_and_then_fails_with_enomem()
    {
        var (_, p, fd, file) = WithFile(0, 0, 0);
        var s = p.Mmap(0, 3 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s, 1);
        p.Store(s + (2 * P), 3);
        Assert.Equal(0, p.Munmap(s + P, P).Value);
        Assert.Equal(Errno.ENOMEM, p.Msync(s, 3 * P, Mm.MsSync).Error);
        Assert.Equal(1UL, file.StoredContent(0));
        Assert.Equal(3UL, file.StoredContent(2));
        Assert.Equal(Errno.ENOMEM, p.Msync(s + P, P, Mm.MsAsync).Error);
        Assert.Equal(Errno.ENOMEM, p.Msync(s + P, 2 * P, Mm.MsAsync).Error);
        Assert.Equal(Errno.ENOMEM, p.Msync(s + (3 * P), P, Mm.MsSync).Error);
    }

    [Fact]
    public void Msync_invalidate_on_a_locked_mapping_is_ebusy()
    {
        var (_, p, fd, file) = WithFile(0, 0);
        var s = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s, 9);
        Assert.Equal(0, p.Mlock(s + P, P).Value);
        Assert.Equal(0, p.Msync(s + P, P, Mm.MsSync).Value);
        Assert.Equal(0UL, file.StoredContent(0));
        Assert.Equal(0, p.Msync(s, 2 * P, Mm.MsSync).Value);
        Assert.Equal(9UL, file.StoredContent(0));
        Assert.Equal(Errno.EBUSY, p.Msync(s + P, P, Mm.MsInvalidate).Error);
        Assert.Equal(Errno.EBUSY, p.Msync(s, 2 * P, Mm.MsInvalidate | Mm.MsSync).Error);
        Assert.Equal(0, p.Msync(s, P, Mm.MsInvalidate).Value);
    }

    [Fact]
    public void Madvise_remove_punches_a_hole_in_the_file_and_a_private_mapping_gets_eacces()
    {
        var (_, p, fd, file) = WithFile(1, 2);
        var s = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        var v = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Private, fd, 0).Value;
        Assert.Equal(2UL, p.Load(v + P).Value);
        Assert.Equal(Errno.EACCES, p.Madvise(v, P, Advice.Remove).Error);
        Assert.Equal(0, p.Madvise(s + P, P, Advice.Remove).Value);
        Assert.Equal(0UL, file.StoredContent(1));
        Assert.Equal(0UL, p.Load(s + P).Value);
        Assert.Equal(0UL, p.Load(v + P).Value);
        Assert.Equal(1, file.StoredBlocks);
    }

    [Fact]
    public void Ftruncate_frees_the_blocks_past_the_end_and_growing_again_reads_zero()
    {
        var (m, p, fd, file) = WithFile(1, 2, 3);
        var s = p.Mmap(0, 3 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        Assert.Equal(3UL, p.Load(s + (2 * P)).Value);
        Assert.Equal(0, m.Ftruncate(p, fd, (long)P).Value);
        Assert.Equal(Errno.EIO, p.Load(s + (2 * P)).Error);
        Assert.Equal(1, file.StoredBlocks);
        Assert.Equal(0, m.Ftruncate(p, fd, 3 * (long)P).Value);
        Assert.Equal(0UL, p.Load(s + (2 * P)).Value);
        Assert.Equal(1UL, p.Load(s).Value);
    }

    [Fact]
    public void The_page_cache_outlives_the_process_until_the_file_is_unlinked_and_unused()
    {
        var m = New();
        var p = m.User();
        m.CreateFile("/f", [7, 8]);
        var fd = m.Open(p, "/f").Value;
        var s = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        p.Store(s, 0x70);
        Assert.Equal(0, m.Unlink(p, "/f").Value);
        Assert.Contains("/f (deleted)", p.Mm!.FormatMaps(), StringComparison.Ordinal);
        Assert.Equal(Errno.ENOENT, m.Open(p, "/f").Error);
        var q = m.User();
        var kept = m.CreateFile("/g", [1]).Value;
        var gfd = m.Open(q, "/g").Value;
        Assert.Equal(1UL, q.Load(q.Mmap(0, P, Prot.Read, MapFlags.Shared, gfd, 0).Value).Value);
        m.Exit(p);
        m.Exit(q);
        m.CheckInvariants();

        // /f went with its last mapping; /g is still linked, so its clean page stays cached until reclaim.
        Assert.Equal(1, m.Frames.UsedCount);
        Assert.Equal(1, kept.PageCount);
        m.Reclaim(4);
        Assert.Equal(0, m.Frames.UsedCount);
    }

    [Fact]
    public void Create_and_open_check_their_arguments()
    {
        var m = New();
        var p = m.User();
        Assert.True(m.CreateFile("/a", []).IsOk);
        Assert.Equal(Errno.EEXIST, m.CreateFile("/a", [1]).Error);
        Assert.Equal(Errno.EINVAL, m.CreateFile("", []).Error);
        Assert.Equal(Errno.ENOENT, m.Open(p, "/b").Error);
        Assert.Equal(Errno.EINVAL, m.Open(p, "/a", 0x40).Error);
        Assert.Equal(Errno.ENOENT, m.Unlink(p, "/b").Error);
    }

    [Fact]
    public void A_regular_file_cannot_be_registered_with_userfaultfd()
    {
        var (m, p, fd, _) = WithFile(1);
        var s = p.Mmap(0, P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        var uffd = m.Userfaultfd(p, UffdFlags.UserModeOnly).Value;
        Assert.True(m.UffdioApi(p, uffd, 0xAA, 0).IsOk);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(p, uffd, s, P, UffdRegisterMode.Missing).Error);
    }

    [Fact]
    public void The_open_mode_decides_what_mmap_may_map()
    {
        var m = New();
        var p = m.User();
        var file = m.CreateFile("/ro", [3]).Value;
        var ro = m.Open(p, "/ro", Machine.ORdonly).Value;
        var wo = m.Open(p, "/ro", Machine.OWronly).Value;
        Assert.Equal(Errno.EACCES, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Shared, ro, 0).Error);
        Assert.Equal(Errno.EACCES, p.Mmap(0, P, Prot.Read, MapFlags.Private, wo, 0).Error);

        // A read-only shared mapping shows as shared but can never become writable; a private one copies on write.
        var s = p.Mmap(0, P, Prot.Read, MapFlags.Shared, ro, 0).Value;
        Assert.Equal(3UL, p.Load(s).Value);
        Assert.Contains("r--s", p.Mm!.FormatMaps(), StringComparison.Ordinal);
        Assert.Equal(Errno.EACCES, p.Mprotect(s, P, Prot.ReadWrite).Error);
        var v = p.Mmap(0, P, Prot.ReadWrite, MapFlags.Private, ro, 0).Value;
        p.Store(v, 4);
        Assert.Equal(3UL, p.Load(s).Value);
        Assert.Equal(3UL, file.StoredContent(0));
    }
}
