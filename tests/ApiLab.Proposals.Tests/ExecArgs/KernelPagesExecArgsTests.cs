namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>Al Viro's kernel-held argument pages: no move, but pinned, unswappable memory.</summary>
public sealed class KernelPagesExecArgsTests
{
    [Fact]
    public void No_page_table_move_and_no_flush_even_for_a_compat_task()
    {
        // Seed 004 lines 47-48 (Miller prefers "the non-swapability added by Al's approach" to the move).
        var world = new ExecWorld();
        var stats = new ExecClient("kernel-pages", world.Execer).Run(ExecWorld.ArgvOfKib(1024), [], ExecWorld.Compat, out var exec).Value;

        Assert.Equal(0, stats.PtesMoved);
        Assert.Equal(0, exec!.StackMoves);
        Assert.Equal(0, exec.MoveTlbFlushes);
        Assert.Equal(0, stats.TlbFlushes);
        Assert.Equal(0, exec.RemoteGupCalls);
        world.Machine.CheckInvariants();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(128)]
    [InlineData(1024)]
    public void Under_pressure_reclaim_frees_none_of_the_pinned_argument_pages(int kib)
    {
        // Seed 004 lines 77-86 (Hugh: without swappability it is a revert of b6a2fea39318 with a list) and lines
        // 47-48 (Miller: "non-swapability"): the pages sit on no LRU list, so reclaim cannot find them.
        var world = new ExecWorld();
        var exec = new ExecClient("kernel-pages", world.Execer).Copy(ExecWorld.ArgvOfKib(kib), [], ExecWorld.Compat).Value;

        Assert.Equal(exec.ArgPages, exec.PinnedPages);
        Assert.Equal(exec.ArgPages, ExecWorld.OffLruFrames(world.Machine));
        world.Machine.Reclaim(world.Machine.Frames.Capacity);
        Assert.Equal(exec.ArgPages, ExecWorld.OffLruFrames(world.Machine));
        Assert.Equal(exec.ArgPages, world.Machine.Frames.UsedCount);
        Assert.True(exec.ArgPages >= (kib * 1024 / 4096));
    }

    [Fact]
    public void Once_installed_the_pages_are_ordinary_anonymous_pages_again()
    {
        var world = new ExecWorld();
        var client = new ExecClient("kernel-pages", world.Execer);
        var exec = client.Copy(ExecWorld.ArgvOfKib(64), [], ExecWorld.Compat).Value;
        Assert.True(client.Switch(exec).IsOk);
        Assert.Equal(exec.ArgPages, exec.PinnedPages);
        Assert.True(client.Setup(exec).IsOk);

        Assert.Equal(0, exec.PinnedPages);
        Assert.Equal(0, ExecWorld.OffLruFrames(world.Machine));
        Assert.Equal(exec.ArgPages, world.Execer.Mm!.RssAnon);
        world.Machine.CheckInvariants();
    }

    [Fact]
    public void A_refused_exec_frees_every_kernel_page_and_keeps_the_old_image()
    {
        var world = new ExecWorld();
        var old = world.Execer.Mm;
        var used = world.Machine.Frames.UsedCount;
        var result = new ExecClient("kernel-pages", world.Execer).Copy(["x", new string('a', 131072)], [], ExecWorld.Compat);

        Assert.Equal(ApiLab.Spec.Errno.E2BIG, result.Error);
        Assert.Same(old, world.Execer.Mm);
        Assert.Equal(used, world.Machine.Frames.UsedCount);
        world.Machine.CheckInvariants();
    }
}
