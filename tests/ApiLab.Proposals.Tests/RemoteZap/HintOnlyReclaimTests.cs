using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>Hint-only reclaim, mainline's answer (Hildenbrand and Hocko in seed 001).</summary>
public sealed class HintOnlyReclaimTests
{
    private const ulong P = Page.Size;

    [Fact]
    public void Seed001_hildenbrand_remote_dontneed_is_einval_even_for_root_and_nothing_changes()
    {
        var w = new ZapWorld(manager: Credentials.Root);
        Assert.Equal(Errno.EINVAL, new HintOnlyReclaimAdapter(w.Manager).Reclaim(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 0).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void Seed001_hocko_pageout_reclaims_and_never_changes_what_the_target_reads()
    {
        // Hocko: "Why cannot you use MADV_PAGEOUT/MADV_COLD for this usecase?" The pages go to the kernel's swap and
        // every value comes back, including one written after the manager decided to reclaim.
        var w = new ZapWorld();
        w.Target.Store(w.PageAt(0), 0xbeef);
        var result = new HintOnlyReclaimAdapter(w.Manager).Reclaim(w.Pidfd, w.EachPage, Advice.PageOut, 0);
        Assert.Equal(ZapWorld.Pages * (long)P, result.Value);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm.SwapEntries);
        Assert.Equal(0xbeefUL, w.Target.Load(w.PageAt(0)).Value);
        for (var i = 1; i < ZapWorld.Pages; i++)
        {
            Assert.Equal(100 + (ulong)i, w.Target.Load(w.PageAt(i)).Value);
        }
    }

    [Fact]
    public void Cold_only_deactivates_and_the_contents_stay_resident()
    {
        var w = new ZapWorld();
        Assert.True(new HintOnlyReclaimAdapter(w.Manager).Reclaim(w.Pidfd, [w.WholeHeap], Advice.Cold, 0).IsOk);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
        Assert.Equal(103UL, w.Target.Load(w.PageAt(3)).Value);
    }

    [Fact]
    public void Proposals_2_3_pageout_leaves_pages_shared_after_fork_alone()
    {
        var w = new ZapWorld();
        var child = w.Machine.Fork(w.Target).Value;
        Assert.True(new HintOnlyReclaimAdapter(w.Manager).Reclaim(w.Pidfd, [w.WholeHeap], Advice.PageOut, 0).IsOk);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
        Assert.Equal(0, w.Target.Mm.SwapEntries);
        Assert.Equal(102UL, child.Load(w.PageAt(2)).Value);
    }

    [Fact]
    public void A_foreign_uid_is_eacces_and_no_cap_sys_nice_is_eperm_and_nothing_changes()
    {
        var foreign = new ZapWorld(manager: Credentials.User(1000).With(Capability.SysNice), target: Credentials.User(2000));
        Assert.Equal(Errno.EACCES,
            new HintOnlyReclaimAdapter(foreign.Manager).Reclaim(foreign.Pidfd, [foreign.WholeHeap], Advice.PageOut, 0).Error);
        Assert.Equal(ZapWorld.Pages, foreign.Target.Mm!.RssAnon);

        var plain = new ZapWorld(manager: Credentials.User(1000));
        Assert.Equal(Errno.EPERM, new HintOnlyReclaimAdapter(plain.Manager).Reclaim(plain.Pidfd, [plain.WholeHeap], Advice.PageOut, 0).Error);
        Assert.Equal(0, plain.Target.Mm!.SwapEntries);
    }
}
