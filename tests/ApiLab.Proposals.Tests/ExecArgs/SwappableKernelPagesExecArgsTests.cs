namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>Al Viro's bprm inode: swappable argument pages, stolen into anon at the end (Hugh's "Dr Frankenstein").</summary>
public sealed class SwappableKernelPagesExecArgsTests
{
    [Fact]
    public void Reclaim_can_swap_out_every_argument_page_while_the_exec_holds_them()
    {
        // Seed 004 lines 56-58 (Al): "We should be able to make them swappable - embed an inode into bprm".
        var world = new ExecWorld();
        var exec = new ExecClient("kernel-pages-swappable", world.Execer).Copy(ExecWorld.ArgvOfKib(512), [], ExecWorld.Compat).Value;
        var swapped = world.Machine.Swap.UsedSlots;

        Assert.Equal(0, exec.PinnedPages);
        Assert.Equal(0, ExecWorld.OffLruFrames(world.Machine));
        world.Machine.Reclaim(world.Machine.Frames.Capacity);
        Assert.True(world.Machine.Swap.UsedSlots - swapped >= exec.ArgPages);
        Assert.Equal(0, world.Machine.Frames.UsedCount - world.Execer.Mm!.RssAnon);
    }

    [Fact]
    public void After_the_switch_what_went_out_is_swapped_in_and_the_rest_is_stolen_from_the_inode()
    {
        // Seed 004 lines 57-59 (Al): "swap what's needed in, steal it from that inode and shove resulting anon pages
        // into freshly created stack vma"; no page-table move.
        var world = new ExecWorld();
        var client = new ExecClient("kernel-pages-swappable", world.Execer);
        var exec = client.Copy(ExecWorld.ArgvOfKib(512), [], ExecWorld.Compat).Value;
        Assert.True(client.Switch(exec).IsOk);
        world.Machine.Reclaim((int)exec.ArgPages / 2);
        var stats = client.Setup(exec).Value;

        Assert.True(exec.PagesSwappedIn > 0);
        Assert.True(exec.PagesStolen > 0);
        Assert.Equal(exec.ArgPages, exec.PagesSwappedIn + exec.PagesStolen);
        Assert.Equal(0, stats.PtesMoved);
        Assert.Equal(0, exec.MoveTlbFlushes);
        world.Machine.CheckInvariants();
    }

    [Fact]
    public void Hugh_every_stolen_page_crosses_from_shmem_rules_to_anonymous_rules()
    {
        // Seed 004 lines 71-74 (Hugh): "shmem file pages (shared) live by different rules from anonymous pages
        // (COWed) ... switching a group of pages from one to the other is going to be weird new territory".
        var world = new ExecWorld();
        var client = new ExecClient("kernel-pages-swappable", world.Execer);
        var exec = client.Copy(ExecWorld.ArgvOfKib(64), [], ExecWorld.Compat).Value;
        var inodePages = new List<int>();
        // A fresh world freed no frame yet, so frames 1..UsedCount are exactly the ones in use.
        for (var f = 1; f <= world.Machine.Frames.UsedCount; f++)
        {
            if (world.Machine.Frames.CacheOwner(f) is { Name: "bprm-args" })
            {
                inodePages.Add(f);
            }
        }

        Assert.Equal(exec.ArgPages, inodePages.Count);
        Assert.All(inodePages, f => Assert.False(world.Machine.Frames.IsAnon(f)));
        Assert.True(client.Switch(exec).IsOk);
        Assert.True(client.Setup(exec).IsOk);

        Assert.Equal(exec.ArgPages, exec.PagesStolen);
        Assert.All(inodePages, f => Assert.True(world.Machine.Frames.IsAnon(f) && world.Machine.Frames.CacheOwner(f) is null));
        Assert.All(inodePages, f => Assert.Equal(world.Execer.Mm, world.Machine.Frames.Mappings(f).Single().Mm));
    }
}
