using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>process_mrelease (Suren Baghdasaryan, 5.15): destructive remote reclaim, only of a dying process.</summary>
public sealed class ProcessMreleaseTests
{
    [Fact]
    public void Proposals_2_5_mrelease_of_a_live_process_is_einval_and_nothing_changes()
    {
        var w = new ZapWorld();
        Assert.Equal(Errno.EINVAL, new ProcessMreleaseAdapter(w.Manager).Release(w.Pidfd, 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
        Assert.Equal(104UL, w.Target.Load(w.PageAt(4)).Value);
    }

    [Fact]
    public void After_sigkill_it_reaps_the_private_memory_at_once()
    {
        var w = new ZapWorld();
        var api = new ProcessMreleaseAdapter(w.Manager);
        var used = w.Machine.Frames.UsedCount;
        Assert.True(api.Kill(w.Pidfd, Machine.SigKill, 0).IsOk);
        Assert.True(w.Target.KillPending);
        Assert.True(api.Release(w.Pidfd, 0).IsOk);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(used - ZapWorld.Pages, w.Machine.Frames.UsedCount);
    }

    [Fact]
    public void Seed001_hildenbrand_f47970f5_pages_shared_with_a_child_survive_the_reap()
    {
        var w = new ZapWorld();
        var child = w.Machine.Fork(w.Target).Value;
        var api = new ProcessMreleaseAdapter(w.Manager);
        var used = w.Machine.Frames.UsedCount;
        Assert.True(api.Kill(w.Pidfd, Machine.SigKill, 0).IsOk);
        Assert.True(api.Release(w.Pidfd, 0).IsOk);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(used, w.Machine.Frames.UsedCount);
        Assert.Equal(107UL, child.Load(w.PageAt(7)).Value);
    }

    [Fact]
    public void A_foreign_uid_cannot_kill_so_cannot_reap_and_nothing_changes()
    {
        var w = new ZapWorld(manager: Credentials.User(1000), target: Credentials.User(2000));
        var api = new ProcessMreleaseAdapter(w.Manager);
        Assert.Equal(Errno.EPERM, api.Kill(w.Pidfd, Machine.SigKill, 0).Error);
        Assert.False(w.Target.KillPending);
        Assert.Equal(Errno.EINVAL, api.Release(w.Pidfd, 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void Flags_bad_pidfds_and_reaped_targets_give_the_engines_errnos()
    {
        var w = new ZapWorld();
        var api = new ProcessMreleaseAdapter(w.Manager);
        Assert.Equal(Errno.EINVAL, api.Release(w.Pidfd, 1).Error);
        Assert.Equal(Errno.EBADF, api.Release(new Pidfd(77), 0).Error);
        Assert.Equal(Errno.EINVAL, api.Kill(w.Pidfd, 15, 0).Error);
        w.Machine.Reap(w.Target);
        Assert.Equal(Errno.ESRCH, api.Release(w.Pidfd, 0).Error);
    }

    [Fact]
    public void Each_wrapped_call_counts_as_one_syscall()
    {
        var w = new ZapWorld();
        var api = new ProcessMreleaseAdapter(w.Manager);
        var before = w.Machine.Stats.Syscalls;
        Assert.True(api.Kill(w.Pidfd, Machine.SigKill, 0).IsOk);
        Assert.True(api.Release(w.Pidfd, 0).IsOk);
        Assert.Equal(2, w.Machine.Stats.Syscalls - before);
    }
}
