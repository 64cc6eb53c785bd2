using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>Nadav's fallback, the zap as a userfaultfd ioctl scoped to registered ranges (seed 001, PROPOSALS.md §2.2 A′).</summary>
public sealed class UffdZapTests
{
    private const ulong P = Page.Size;

    [Fact]
    public void A_monitor_holding_the_targets_userfaultfd_zaps_a_registered_range_and_faults_it_back()
    {
        var w = new ZapWorld(uffd: true);
        var api = new UffdZapAdapter(w.Manager);
        w.ReadOut();
        Assert.Equal(ZapWorld.Pages * (long)P, api.Zap(w.ManagerUffd, w.WholeHeap, 0).Value);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.PageAt(5)).Error);
        w.ServeOneFault();
        Assert.Equal(105UL, w.Target.Load(w.PageAt(5)).Value);
    }

    [Fact]
    public void Proposals_2_3_registration_scopes_the_zap_a_range_reaching_past_it_is_enoent_and_zaps_nothing()
    {
        var w = new ZapWorld(uffd: true);
        var outside = w.Target.Mm!.MmapAnonymous(w.WholeHeap.End, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        w.Target.Store(outside, 9);
        var api = new UffdZapAdapter(w.Manager);
        Assert.Equal(Errno.ENOENT, api.Zap(w.ManagerUffd, new IoVec(w.Heap, (ZapWorld.Pages + 1) * P), 0).Error);
        Assert.Equal(Errno.ENOENT, api.Zap(w.ManagerUffd, new IoVec(outside, P), 0).Error);
        Assert.Equal(ZapWorld.Pages + 1, w.Target.Mm.RssAnon);
        Assert.Equal(9UL, w.Target.Load(outside).Value);
    }

    [Fact]
    public void Bad_fds_modes_and_ranges_change_nothing()
    {
        var w = new ZapWorld(uffd: true);
        var api = new UffdZapAdapter(w.Manager);
        Assert.Equal(Errno.EBADF, api.Zap(77, w.WholeHeap, 0).Error);
        Assert.Equal(Errno.ENOTTY, api.Zap(w.Pidfd.Fd, w.WholeHeap, 0).Error);
        Assert.Equal(Errno.EINVAL, api.Zap(w.ManagerUffd, w.WholeHeap, 1).Error);
        Assert.Equal(Errno.EINVAL, api.Zap(w.ManagerUffd, new IoVec(w.Heap + 1, P), 0).Error);
        Assert.Equal(Errno.EINVAL, api.Zap(w.ManagerUffd, new IoVec(w.Heap, 0), 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void A_locked_registered_range_is_einval_as_for_madvise()
    {
        var w = new ZapWorld(uffd: true);
        Assert.True(w.Target.Mlock(w.PageAt(1), P).IsOk);
        Assert.Equal(Errno.EINVAL, new UffdZapAdapter(w.Manager).Zap(w.ManagerUffd, w.WholeHeap, 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void The_monitor_zapping_gets_no_remove_event_of_its_own_zap()
    {
        var w = new ZapWorld(uffd: true, features: UffdFeatures.EventRemove);
        Assert.True(new UffdZapAdapter(w.Manager).Zap(w.ManagerUffd, w.WholeHeap, 0).IsOk);
        Assert.Equal(Errno.EAGAIN, w.Machine.UffdRead(w.Manager, w.ManagerUffd).Error);
    }

    [Fact]
    public void One_range_per_ioctl_means_one_tlb_flush_per_range()
    {
        var w = new ZapWorld(uffd: true);
        var api = new UffdZapAdapter(w.Manager);
        var flushes = w.Machine.Stats.TlbFlushes;
        foreach (var page in w.EachPage)
        {
            Assert.True(api.Zap(w.ManagerUffd, page, 0).IsOk);
        }

        Assert.Equal(ZapWorld.Pages, w.Machine.Stats.TlbFlushes - flushes);
    }

    [Fact]
    public void Seed001_hildenbrand_f47970f5_pages_shared_with_a_child_stay_resident()
    {
        var w = new ZapWorld(uffd: true);
        var child = w.Machine.Fork(w.Target).Value;
        var used = w.Machine.Frames.UsedCount;
        Assert.True(new UffdZapAdapter(w.Manager).Zap(w.ManagerUffd, w.WholeHeap, 0).IsOk);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(used, w.Machine.Frames.UsedCount);
        Assert.Equal(101UL, child.Load(w.PageAt(1)).Value);
    }

    [Fact]
    public void The_monitor_takes_the_userfaultfd_with_pidfd_getfd_which_a_foreign_uid_cannot()
    {
        var w = new ZapWorld(uffd: true);
        var stranger = w.Machine.Spawn(Credentials.User(3000), "stranger").Value;
        var pidfd = w.Machine.PidfdOpen(stranger, new Pid(w.Target.Pid), 0).Value;
        var api = new UffdZapAdapter(stranger);
        Assert.Equal(Errno.EPERM, api.TakeUffd(pidfd, w.TargetUffd, 0).Error);
        Assert.Equal(Errno.EBADF, api.Zap(pidfd.Fd + 1, w.WholeHeap, 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);

        var taken = new UffdZapAdapter(w.Manager).TakeUffd(w.Pidfd, w.TargetUffd, 0);
        Assert.True(taken.IsOk);
        Assert.True(new UffdZapAdapter(w.Manager).Zap(taken.Value, new IoVec(w.Heap, P), 0).IsOk);
        Assert.Equal(ZapWorld.Pages - 1, w.Target.Mm.RssAnon);
    }

    [Fact]
    public void Taking_the_userfaultfd_is_one_syscall_though_it_wraps_the_engines_pidfd_getfd()
    {
        var w = new ZapWorld(uffd: true);
        var before = w.Machine.Stats.Syscalls;
        Assert.True(new UffdZapAdapter(w.Manager).TakeUffd(w.Pidfd, w.TargetUffd, 0).IsOk);
        Assert.Equal(1, w.Machine.Stats.Syscalls - before);
    }
}
