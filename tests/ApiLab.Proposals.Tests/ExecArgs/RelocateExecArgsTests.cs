using ApiLab.Engine;

namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>Today's exec (b6a2fea39318, 2.6.23, still 6.18): the claims seed 004 makes about its cost.</summary>
public sealed class RelocateExecArgsTests
{
    [Fact]
    public void Miller_every_compat_exec_pays_a_page_table_move_and_a_tlb_flush()
    {
        // Seed 004 lines 37-39 (Miller): "The forced page table move, and TLB+cache flush ... for every single compat task".
        foreach (var kib in new[] { 1, 64, 1024 })
        {
            var world = new ExecWorld();
            var stats = new ExecClient("relocate", world.Execer).Run(ExecWorld.ArgvOfKib(kib), [], ExecWorld.Compat, out var exec).Value;

            Assert.Equal(1, exec!.StackMoves);
            Assert.Equal(exec.ArgPages, stats.PtesMoved);
            Assert.True(exec.MoveTlbFlushes >= 1);
            Assert.True(stats.TlbFlushes >= exec.MoveTlbFlushes);
            Assert.Equal(Mm.StackTopMax - 0xffffe000UL + ExecOptions.DefaultCompatStackRandomization, stats.StackShift);
            world.Machine.CheckInvariants();
        }
    }

    [Fact]
    public void When_the_stack_tops_agree_nothing_moves_and_nothing_is_flushed()
    {
        // Seed 004 lines 41-44 (Hugh): the cost is only where the final top differs from STACK_TOP_MAX.
        var world = new ExecWorld();
        var stats = new ExecClient("relocate", world.Execer).Run(ExecWorld.ArgvOfKib(64), [], ExecWorld.NativeSameTop, out var exec).Value;

        Assert.Equal(0UL, stats.StackShift);
        Assert.Equal(0, stats.PtesMoved);
        Assert.Equal(0, exec!.StackMoves);
        Assert.Equal(0, exec.MoveTlbFlushes);
        Assert.Equal(0, stats.TlbFlushes);
    }

    [Fact]
    public void A_randomised_native_stack_moves_too()
    {
        // PROPOSALS.md 5.4 (inference): with stack randomisation the shift is almost never zero.
        var world = new ExecWorld();
        var stats = new ExecClient("relocate", world.Execer).Run(["x"], [], ExecWorld.Native, out var exec).Value;
        Assert.Equal(ExecOptions.DefaultNativeStackRandomization, stats.StackShift);
        Assert.Equal(1, exec!.StackMoves);
    }

    [Fact]
    public void The_copy_goes_through_get_user_pages_remote_on_bprm_mm_a_foreign_mm()
    {
        // Seed 004 lines 7-12 (Hugh): "how to eliminate get_user_pages() on bprm->mm in exec()".
        var world = new ExecWorld();
        var copied = new ExecClient("relocate", world.Execer).Copy(ExecWorld.ArgvOfKib(16), [], ExecWorld.Compat).Value;
        Assert.True(copied.RemoteGupCalls >= copied.ArgPages);
        // The pages are the new mm's, charged to the execer meanwhile (acct_arg_size) while it still runs the old one.
        Assert.True(copied.ChargedToCaller);
        Assert.Equal(copied.ArgPages, world.Execer.Mm!.ExecArgPages);
    }

    [Fact]
    public void Its_argument_pages_are_ordinary_anonymous_pages_that_reclaim_can_swap_during_the_exec()
    {
        // Miller (lines 47-48) weighs the move against "the non-swapability added by Al's approach": today's are swappable.
        var world = new ExecWorld();
        var client = new ExecClient("relocate", world.Execer);
        var exec = client.Copy(ExecWorld.ArgvOfKib(256), [], ExecWorld.Compat).Value;
        var swapped = world.Machine.Swap.UsedSlots;
        world.Machine.Reclaim(world.Machine.Frames.Capacity);

        Assert.True(world.Machine.Swap.UsedSlots - swapped >= exec.ArgPages);
        Assert.Equal(0, exec.PinnedPages);
        Assert.True(client.Switch(exec).IsOk);
        Assert.True(client.Setup(exec).IsOk);
        world.Machine.CheckInvariants();
    }
}
