using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>Hugh Dickins's below-sp design: only current's mm, swappable, but a new failure and the move always.</summary>
public sealed class BelowSpExecArgsTests
{
    [Fact]
    public void Too_little_room_below_the_user_stack_fails_an_exec_that_succeeds_today()
    {
        // Seed 004 lines 28-32 (Hugh): "colliding with the vma below if the space allowed to that userstack is too
        // small ... 'sorry, you left too little space for your userstack', but it's still a regression"; lines 24-25
        // (Miller): "new failure cases that don't exist now".
        var argv = ExecWorld.ArgvOfKib(512);
        var world = new ExecWorld();
        world.LeaveRoomBelowStack(64 * 1024);
        var old = world.Execer.Mm!;
        var maps = old.FormatMaps();

        var result = new ExecClient("below-sp", world.Execer).Copy(argv, [], ExecWorld.Compat);
        Assert.Equal(Errno.ENOMEM, result.Error);
        Assert.Same(old, world.Execer.Mm);
        Assert.False(old.IsDead);

        var today = new ExecWorld();
        today.LeaveRoomBelowStack(64 * 1024);
        Assert.True(new ExecClient("relocate", today.Execer).Run(argv, [], ExecWorld.Compat, out _).IsOk);
        Assert.Equal(maps.Split('\n').Length, old.FormatMaps().Split('\n').Length);
        world.Machine.CheckInvariants();
    }

    [Fact]
    public void With_room_enough_it_succeeds()
    {
        var world = new ExecWorld();
        world.LeaveRoomBelowStack(1024 * 1024);
        Assert.True(new ExecClient("below-sp", world.Execer).Run(ExecWorld.ArgvOfKib(512), [], ExecWorld.Compat, out _).IsOk);
        world.Machine.CheckInvariants();
    }

    [Fact]
    public void It_pays_the_page_table_move_and_flush_in_all_cases_even_when_the_tops_agree()
    {
        // Seed 004 lines 51-53 (Hugh): "it would involve that overhead in all cases".
        var world = new ExecWorld();
        var stats = new ExecClient("below-sp", world.Execer).Run(ExecWorld.ArgvOfKib(64), [], ExecWorld.NativeSameTop, out var exec).Value;
        var today = new ExecWorld();
        var todayStats = new ExecClient("relocate", today.Execer).Run(ExecWorld.ArgvOfKib(64), [], ExecWorld.NativeSameTop, out _).Value;

        Assert.Equal(1, exec!.StackMoves);
        Assert.Equal(exec.ArgPages, stats.PtesMoved);
        Assert.True(exec.MoveTlbFlushes >= 1);
        Assert.Equal(0, todayStats.PtesMoved);
    }

    [Fact]
    public void It_touches_only_the_callers_own_mm_and_its_pages_stay_swappable()
    {
        // Seed 004 lines 7-12 (Hugh's aim: no get_user_pages on bprm->mm) and lines 74-75 ("considerably less scary").
        var world = new ExecWorld();
        var client = new ExecClient("below-sp", world.Execer);
        var rss = world.Execer.Mm!.RssAnon;
        var exec = client.Copy(ExecWorld.ArgvOfKib(256), [], ExecWorld.Compat).Value;

        Assert.Equal(0, exec.RemoteGupCalls);
        Assert.Equal(rss + exec.ArgPages, world.Execer.Mm!.RssAnon);
        Assert.Equal(0, exec.PinnedPages);
        world.Machine.Reclaim(world.Machine.Frames.Capacity);
        Assert.True(world.Execer.Mm.SwapEntries >= exec.ArgPages);
        Assert.True(client.Switch(exec).IsOk);
        Assert.True(client.Setup(exec).IsOk);
        Assert.Equal(exec.ArgPages, world.Execer.Mm.SwapEntries);
        world.Machine.CheckInvariants();
    }

    [Fact]
    public void Dead_stack_below_sp_does_not_travel_into_the_new_image()
    {
        // UNCONFIRMED in the design (the thread does not say): each page taken below sp is cleared first.
        var argv = ExecWorld.ArgvOfKib(16);
        var world = new ExecWorld();
        var sp = (world.Execer.Mm!.StartStack & ~15UL) - Machine.DefaultStackInUse;
        for (var a = Page.AlignDown(sp) - Page.Size; a >= Page.AlignDown(sp) - (8 * Page.Size); a -= Page.Size)
        {
            Assert.True(world.Execer.Store(a, 0xdead0000 + a).IsOk);
        }

        var stats = new ExecClient("below-sp", world.Execer).Run(argv, [], ExecWorld.Compat, out _).Value;
        var today = new ExecWorld();
        var expected = new ExecClient("relocate", today.Execer).Run(argv, [], ExecWorld.Compat, out _).Value;
        Assert.Equal(ExecWorld.StackImage(today.Execer, expected), ExecWorld.StackImage(world.Execer, stats));
    }
}
