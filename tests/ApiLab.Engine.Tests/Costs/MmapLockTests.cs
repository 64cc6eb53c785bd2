using ApiLab.Engine.Tests.Support;
using ApiLab.Engine.Tests.Userfaultfd;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Costs;

/// <summary>Which lock each call takes on 6.18 (mm/madvise.c get_lock_mode and try_vma_read_lock, mmap_lock.h), and
/// how long the mmap_lock is held, in page-table entries walked.</summary>
public sealed class MmapLockTests
{
    [Fact]
    public void Mmap_and_munmap_take_the_mmap_lock_for_writing()
    {
        var m = New();
        var p = m.User();
        var writes = p.Mm!.Stats.MmapWriteLocks;
        var a = p.MapAnon(4);
        Assert.True(p.Munmap(a, 4 * P).IsOk);
        Assert.Equal(writes + 2, p.Mm.Stats.MmapWriteLocks);
        Assert.Equal(p.Mm.Stats.MmapWriteLocks, p.Mm.Stats.MmapLockAcquisitions);
    }

    [Fact]
    public void Dontneed_inside_one_vma_of_the_callers_own_mm_takes_only_that_vmas_lock()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(4);
        p.Fill(a, 4, 1);
        var before = p.Mm!.Stats.Clone();
        Assert.True(p.Madvise(a, 4 * P, Advice.DontNeed).IsOk);
        Assert.Equal(before.VmaLocks + 1, p.Mm.Stats.VmaLocks);
        Assert.Equal(before.MmapLockAcquisitions, p.Mm.Stats.MmapLockAcquisitions);
        Assert.Equal(before.MmapLockHeld, p.Mm.Stats.MmapLockHeld);
        Assert.Equal(before.PagesZapped + 4, p.Mm.Stats.PagesZapped);
    }

    [Fact]
    public void Dontneed_across_two_vmas_falls_back_to_the_mmap_read_lock_and_holds_it_for_the_walk()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(2, at: 0x10000000);
        p.MapAnon(2, prot: Prot.Read, at: 0x10000000 + (2 * P));
        p.Fill(a, 2, 1);
        var before = p.Mm!.Stats.Clone();
        Assert.True(p.Madvise(a, 4 * P, Advice.DontNeed).IsOk);
        Assert.Equal(before.VmaLocks, p.Mm.Stats.VmaLocks);
        Assert.Equal(before.MmapLockAcquisitions + 1, p.Mm.Stats.MmapLockAcquisitions);
        Assert.Equal(before.MmapWriteLocks, p.Mm.Stats.MmapWriteLocks);
        Assert.True(p.Mm.Stats.MmapLockHeld - before.MmapLockHeld >= 4, "the walk read the four entries under the lock");
    }

    [Fact]
    public void Dontneed_on_a_vma_with_a_userfaultfd_armed_takes_the_mmap_read_lock()
    {
        var m = New();
        var p = m.Root();
        var a = p.MapAnon(4);
        var fd = m.OpenUffd(p);
        m.Register(p, fd, a, 4, UffdRegisterMode.Missing);
        var before = p.Mm!.Stats.Clone();
        Assert.True(p.Madvise(a, 4 * P, Advice.DontNeed).IsOk);
        Assert.Equal(before.VmaLocks, p.Mm.Stats.VmaLocks);
        Assert.Equal(before.MmapLockAcquisitions + 1, p.Mm.Stats.MmapLockAcquisitions);
    }

    [Theory]
    [InlineData(Advice.DontFork)]
    [InlineData(Advice.DontDump)]
    [InlineData(Advice.WipeOnFork)]
    public void Advice_that_changes_vma_flags_takes_the_write_lock(Advice advice)
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(4);
        var writes = p.Mm!.Stats.MmapWriteLocks;
        Assert.True(p.Madvise(a, 4 * P, advice).IsOk);
        Assert.Equal(writes + 1, p.Mm.Stats.MmapWriteLocks);
    }

    [Fact]
    public void An_invalid_madvise_fails_before_taking_any_lock()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(4);
        var before = p.Mm!.Stats.Clone();
        Assert.Equal(Errno.EINVAL, p.Madvise(a + 1, P, Advice.DontNeed).Error);
        Assert.Equal(Errno.EINVAL, p.Madvise(a, P, (Advice)9999).Error);
        Assert.Equal(0, p.Madvise(a, 0, Advice.DontFork).Value);
        Assert.Equal(before.MmapLockAcquisitions, p.Mm.Stats.MmapLockAcquisitions);
        Assert.Equal(before.VmaLocks, p.Mm.Stats.VmaLocks);
    }

    [Fact]
    public void A_remote_vectored_dontneed_takes_the_targets_mmap_read_lock_once_for_every_entry()
    {
        var m = New();
        var manager = m.Spawn(Credentials.Root, "manager").Value;
        var app = m.User();
        var a = app.MapAnon(8);
        app.Fill(a, 8, 1);
        var before = app.Mm!.Stats.Clone();
        using (m.EnterSyscall(manager, "process_madvise"))
        {
            Assert.Equal(8 * (long)P, VectorMadvise.Apply(app.Mm, [new IoVec(a, 4 * P), new IoVec(a + (4 * P), 4 * P)], Advice.DontNeed).Value);
        }

        Assert.Equal(before.MmapLockAcquisitions + 1, app.Mm.Stats.MmapLockAcquisitions);
        Assert.Equal(before.VmaLocks, app.Mm.Stats.VmaLocks);
        Assert.True(app.Mm.Stats.MmapLockHeld - before.MmapLockHeld >= 8);
        Assert.Equal(before.PagesZapped + 8, app.Mm.Stats.PagesZapped);
        Assert.Equal(0, manager.Mm?.Stats.PagesZapped ?? 0);
    }

    [Fact]
    public void A_local_vectored_dontneed_locks_each_entrys_vma()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(2, at: 0x10000000);
        var b = p.MapAnon(2, prot: Prot.Read, at: 0x10000000 + (2 * P));
        p.Fill(a, 2, 1);
        var before = p.Mm!.Stats.Clone();
        using (m.EnterSyscall(p, "process_madvise"))
        {
            Assert.Equal(4 * (long)P, VectorMadvise.Apply(p.Mm, [new IoVec(a, 2 * P), new IoVec(b, 2 * P)], Advice.DontNeed).Value);
        }

        Assert.Equal(before.VmaLocks + 2, p.Mm.Stats.VmaLocks);
        Assert.Equal(before.MmapLockAcquisitions, p.Mm.Stats.MmapLockAcquisitions);
    }

    [Fact]
    public void Reading_proc_maps_and_procmap_query_use_per_vma_locks_not_the_mmap_lock()
    {
        var m = New();
        var reader = m.Spawn(Credentials.Root, "reader").Value;
        var app = m.User();
        app.MapAnon(2, at: 0x10000000);
        app.MapAnon(2, prot: Prot.Read, at: 0x10000000 + (2 * P));
        var before = app.Mm!.Stats.Clone();
        Assert.Contains("r--p", ProcFs.ReadMaps(reader, app), StringComparison.Ordinal);
        Assert.Equal(before.VmaLocks + 2, app.Mm.Stats.VmaLocks);
        Assert.Equal(before.MmapLockAcquisitions, app.Mm.Stats.MmapLockAcquisitions);
        Assert.True(app.Mm.Stats.ProcBytesRead > before.ProcBytesRead);
    }

    [Fact]
    public void Process_vm_readv_pins_under_the_remote_read_lock()
    {
        var m = New();
        var reader = m.Spawn(Credentials.Root, "reader").Value;
        var app = m.User();
        var a = app.MapAnon(2);
        app.Fill(a, 2, 7);
        var buffer = reader.MapAnon(2);
        var before = app.Mm!.Stats.Clone();
        Assert.Equal(2 * (long)P, m.ProcessVmReadv(reader, new Pid(app.Pid), [new IoVec(buffer, 2 * P)], [new IoVec(a, 2 * P)], 0).Value);
        Assert.Equal(before.MmapLockAcquisitions + 1, app.Mm.Stats.MmapLockAcquisitions);
        Assert.Equal(before.MmapWriteLocks, app.Mm.Stats.MmapWriteLocks);
        Assert.Equal(before.BytesCopied + (2 * (long)P), app.Mm.Stats.BytesCopied);
    }

    [Fact]
    public void Hold_time_grows_with_the_pages_walked()
    {
        var small = HoldOfRemotePageout(4);
        var large = HoldOfRemotePageout(64);
        Assert.True(large >= 16 * small / 2, $"64 pages held the lock for {large} entries, 4 pages for {small}");
        Assert.True(large >= 64);
    }

    private static long HoldOfRemotePageout(int pages)
    {
        var m = New();
        var manager = m.Spawn(Credentials.Root, "manager").Value;
        var app = m.User();
        var a = app.MapAnon(pages);
        app.Fill(a, pages, 1);
        var before = app.Mm!.Stats.MmapLockHeld;
        using (m.EnterSyscall(manager, "process_madvise"))
        {
            Assert.True(VectorMadvise.Apply(app.Mm, [new IoVec(a, (ulong)pages * P)], Advice.PageOut).IsOk);
        }

        return app.Mm.Stats.MmapLockHeld - before;
    }
}
