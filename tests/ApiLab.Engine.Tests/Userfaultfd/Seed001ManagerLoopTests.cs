using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>
/// Nadav Amit's userfaultfd memory manager (seed 001, PROPOSALS.md §2.3, design A's TOCTOU column) run end to end on
/// the engine with mainline 6.18 calls: (1) write-protect the range with UFFDIO_WRITEPROTECT, (2) read it out with
/// process_vm_readv, (3) keep it in the manager's own "swap", (4) zap it — remotely only COLD/PAGEOUT/WILLNEED/COLLAPSE
/// are allowed, so the target zaps with its own madvise (design C) — and (5) fault it back with UFFDIO_COPY.
/// </summary>
public sealed class Seed001ManagerLoopTests
{
    private const int Pages = 4;

    private sealed record World(Machine M, Process Target, Process Manager, int Ufd, ulong Heap, ulong Swap);

    private static World Start(UffdFeatures features = UffdFeatures.None)
    {
        var m = New();
        var target = m.Root("target");
        var manager = m.Root("manager");
        var heap = target.MapAnon(Pages);
        target.Fill(heap, Pages, 0x1000);
        // The target creates the userfaultfd; the manager takes it with pidfd_getfd and registers the heap.
        var fd = m.OpenUffd(target, features);
        var pidfd = m.PidfdOpen(manager, new Pid(target.Pid), 0).Value;
        var ufd = m.PidfdGetfd(manager, pidfd, fd, 0).Value;
        m.Register(manager, ufd, heap, Pages, UffdRegisterMode.Missing | UffdRegisterMode.Wp);
        var swap = manager.MapAnon(Pages);
        return new World(m, target, manager, ufd, heap, swap);
    }

    /// <summary>Steps 1-3: protect, copy out, and verify the copy.</summary>
    private static void SwapOut(World w)
    {
        w.M.WriteProtect(w.Manager, w.Ufd, w.Heap, Pages);
        var read = w.M.ProcessVmReadv(w.Manager, new Pid(w.Target.Pid), [new IoVec(w.Swap, Pages * P)], [new IoVec(w.Heap, Pages * P)], 0);
        Assert.Equal(Pages * (long)P, read.Value);
        for (var i = 0; i < Pages; i++)
        {
            Assert.Equal(0x1000UL + (ulong)i, w.Manager.Load(w.Swap + ((ulong)i * P)).Value);
        }
    }

    [Fact]
    public void Protect_read_zap_and_copy_back_brings_every_saved_value_back()
    {
        var w = Start();
        SwapOut(w);
        Assert.True(w.Target.Madvise(w.Heap, Pages * P, Advice.DontNeed).IsOk);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(0, w.M.Frames.UsedCount - w.Manager.Mm!.RssAnon);

        for (var i = 0; i < Pages; i++)
        {
            var address = w.Heap + ((ulong)i * P);
            Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(address + 16).Error);
            var fault = w.M.ReadMessage(w.Manager, w.Ufd);
            Assert.Equal(UffdEventType.Pagefault, fault.Event);
            Assert.Equal(address, fault.Address);
            Assert.Equal(UffdPagefaultFlags.None, fault.PagefaultFlags);
            w.M.Copy(w.Manager, w.Ufd, fault.Address, w.Swap + (fault.Address - w.Heap), 1);
            Assert.Equal(0x1000UL + (ulong)i, w.Target.Load(address + 16).Value);
        }

        Assert.Equal(Pages, w.Target.Mm.RssAnon);
        Assert.Equal(Pages, w.Target.Mm.MemcgCharged);
    }

    [Fact]
    public void A_store_by_the_target_while_the_range_is_protected_sleeps_instead_of_being_lost()
    {
        var w = Start();
        SwapOut(w);
        // The target writes between the manager's copy and its zap: without uffd-wp this store would be zapped.
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Store(w.Heap + P, 0xbeef).Error);
        var fault = w.M.ReadMessage(w.Manager, w.Ufd);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, fault.PagefaultFlags);
        Assert.Equal(w.Heap + P, fault.Address);
        // The manager sees the fault, so it keeps that page: it unprotects it instead of zapping it.
        w.M.WriteProtect(w.Manager, w.Ufd, w.Heap + P, 1, protect: false);
        Assert.Equal(0xbeefUL, w.Target.Store(w.Heap + P, 0xbeef).Value);
        Assert.True(w.Target.Madvise(w.Heap, P, Advice.DontNeed).IsOk);
        Assert.True(w.Target.Madvise(w.Heap + (2 * P), 2 * P, Advice.DontNeed).IsOk);

        Assert.Equal(0xbeefUL, w.Target.Load(w.Heap + P).Value);
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.Heap).Error);
        var missing = w.M.ReadMessage(w.Manager, w.Ufd);
        w.M.Copy(w.Manager, w.Ufd, missing.Address, w.Swap, 1);
        Assert.Equal(0x1000UL, w.Target.Load(w.Heap).Value);
    }

    [Fact]
    public void A_manager_that_negotiated_event_remove_must_read_the_zap_before_it_can_copy()
    {
        var w = Start(UffdFeatures.EventRemove);
        SwapOut(w);
        Assert.True(w.Target.Madvise(w.Heap, Pages * P, Advice.DontNeed).IsOk);
        // The target waits in madvise until its REMOVE is read: it does not run, and the manager cannot copy yet.
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.Heap).Error);
        Assert.Equal(Errno.EAGAIN, w.M.UffdioCopy(w.Manager, w.Ufd, w.Heap, w.Swap, P, UffdCopyMode.None, out _).Error);
        Assert.Equal(UffdMessage.Remove(w.Heap, w.Heap + (Pages * P)), w.M.ReadMessage(w.Manager, w.Ufd));
        // Now the target runs and faults on the zapped page; only then does the copy go through.
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.Heap).Error);
        Assert.Equal(UffdEventType.Pagefault, w.M.ReadMessage(w.Manager, w.Ufd).Event);
        w.M.Copy(w.Manager, w.Ufd, w.Heap, w.Swap, 1);
        Assert.Equal(0x1000UL, w.Target.Load(w.Heap).Value);
    }

    [Fact]
    public void The_remote_zap_itself_is_not_available_in_mainline()
    {
        var w = Start();
        var pidfd = w.M.PidfdOpen(w.Manager, new Pid(w.Target.Pid), 0).Value;
        Assert.Equal(Errno.EINVAL, AdviceInfo.CheckProcessMadvise(w.Manager, w.M.ResolvePidfd(w.Manager, pidfd).Value, Advice.DontNeed));
        Assert.Equal(Errno.None, AdviceInfo.CheckProcessMadvise(w.Manager, w.Target, Advice.PageOut));
    }
}
