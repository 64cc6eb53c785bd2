using ApiLab.Engine.Tests.Support;

namespace ApiLab.Engine.Tests.Exec;

/// <summary>
/// execve split into its stages with the argument pages held where an <see cref="ExecArgStaging"/> says (seed 004's
/// alternatives). The 6.18 staging must reproduce <see cref="Machine.Exec"/> exactly; every staging must leave the
/// same stack image.
/// </summary>
public sealed class StagedExecTests
{
    private static readonly string[] Argv = ["prog", new string('a', 5000), "last"];
    private static readonly string[] Envp = ["HOME=/home/u", new string('E', 9000)];

    /// <summary>No per-syscall invariant checks: they cannot see a half-done exec (see <see cref="StagedExec"/>).</summary>
    private static Machine NewMachine(int frames = 1024) => new(new MachineConfig { Frames = frames, SwapSlots = 1024 });

    private static (Process Process, ExecStats Stats, StagedExec Exec) RunStaged(Machine m, ExecArgStaging staging, ExecOptions options)
    {
        var p = m.User();
        // A first exec gives the caller a real stack, which the caller-stack staging builds below.
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var exec = m.ExecCopyArguments(p, Argv, Envp, options, staging).Value;
        Assert.True(m.ExecBeginNewExec(exec).IsOk);
        var stats = m.ExecSetupArgPages(exec).Value;
        return (p, stats, exec);
    }

    private static ulong[] StackImage(Process p, ExecStats stats)
    {
        var pages = new List<ulong>();
        for (var a = Page.AlignDown(stats.StartStack); a < Page.AlignUp(stats.StartStack + (ulong)stats.ArgBytesCopied + 8); a += Page.Size)
        {
            pages.Add(p.Load(a).Value);
        }

        return [.. pages];
    }

    [Theory]
    [InlineData(ExecAbi.Native)]
    [InlineData(ExecAbi.Compat32)]
    public void The_temporary_stack_staging_is_exec_itself(ExecAbi abi)
    {
        var options = ExecOptions.Default with { Abi = abi };
        var m1 = NewMachine();
        var (staged, stagedStats, _) = RunStaged(m1, ExecArgStaging.TemporaryStack, options);
        var m2 = NewMachine();
        var p = m2.User();
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var whole = p.Execve(Argv, Envp, options).Value;

        Assert.Equal(whole with { OldMmFramesFreed = 0 }, stagedStats with { OldMmFramesFreed = 0 });
        Assert.Equal(p.Mm!.FormatMaps(), staged.Mm!.FormatMaps());
        Assert.Equal(StackImage(p, whole), StackImage(staged, stagedStats));
        m1.CheckInvariants();
    }

    [Theory]
    [InlineData(ExecArgStaging.KernelPageList)]
    [InlineData(ExecArgStaging.ArgInode)]
    [InlineData(ExecArgStaging.CallerStack)]
    public void Every_staging_leaves_the_same_stack_as_6_18(ExecArgStaging staging)
    {
        var options = ExecOptions.Default with { Abi = ExecAbi.Compat32 };
        var (reference, referenceStats, _) = RunStaged(NewMachine(), ExecArgStaging.TemporaryStack, options);
        var m = NewMachine();
        var (p, stats, exec) = RunStaged(m, staging, options);

        Assert.Equal(referenceStats.StartStack, stats.StartStack);
        Assert.Equal(reference.Mm!.FormatMaps(), p.Mm!.FormatMaps());
        Assert.Equal(StackImage(reference, referenceStats), StackImage(p, stats));
        Assert.Equal(ExecStage.Finished, exec.Stage);
        Assert.Equal(0, exec.PinnedPages);
        m.CheckInvariants();
    }

    [Fact]
    public void Kernel_pages_sit_on_no_lru_so_reclaim_frees_none_of_them()
    {
        var m = NewMachine();
        var p = m.User();
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var exec = m.ExecCopyArguments(p, Argv, Envp, ExecOptions.Default, ExecArgStaging.KernelPageList).Value;
        var used = m.Frames.UsedCount;

        Assert.Equal(exec.ArgPages, exec.PinnedPages);
        m.Reclaim(m.Frames.Capacity);
        Assert.True(m.Frames.UsedCount >= exec.PinnedPages);
        Assert.True(used - m.Frames.UsedCount < used);
        Assert.True(m.ExecBeginNewExec(exec).IsOk);
        var stats = m.ExecSetupArgPages(exec).Value;
        Assert.Equal(0, stats.PtesMoved);
        Assert.Equal(0, exec.StackMoves);
        m.CheckInvariants();
    }

    [Fact]
    public void The_arg_inode_is_swapped_out_by_reclaim_and_swapped_back_in_at_install()
    {
        var m = NewMachine();
        var p = m.User();
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var exec = m.ExecCopyArguments(p, Argv, Envp, ExecOptions.Default, ExecArgStaging.ArgInode).Value;
        var swapped = m.Swap.UsedSlots;
        m.Reclaim(m.Frames.Capacity);

        Assert.True(m.Swap.UsedSlots - swapped >= exec.ArgPages);
        Assert.True(m.ExecBeginNewExec(exec).IsOk);
        Assert.True(m.ExecSetupArgPages(exec).IsOk);
        Assert.Equal(exec.ArgPages, exec.PagesSwappedIn);
        m.CheckInvariants();
    }

    [Fact]
    public void The_caller_stack_staging_cannot_grow_past_the_guard_gap_and_leaves_the_old_image()
    {
        var m = NewMachine();
        var p = m.User();
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var stack = p.Mm!.Vmas.Find(p.Mm.StartStack)!;
        // A mapping just under the guard gap below the stack: it cannot grow at all.
        Assert.True(p.Mmap(stack.Start - Mm.StackGuardGap - Page.Size, Page.Size, ApiLab.Spec.Prot.ReadWrite,
            ApiLab.Spec.MapFlags.Private | ApiLab.Spec.MapFlags.Anonymous | ApiLab.Spec.MapFlags.FixedNoReplace).IsOk);
        var old = p.Mm;
        var big = new string('x', 100_000);

        var result = m.ExecCopyArguments(p, [big, big], [], ExecOptions.Default, ExecArgStaging.CallerStack);
        Assert.Equal(ApiLab.Spec.Errno.ENOMEM, result.Error);
        Assert.Same(old, p.Mm);
        Assert.True(m.ExecCopyArguments(p, [big, big], [], ExecOptions.Default, ExecArgStaging.TemporaryStack).IsOk);
    }

    [Fact]
    public void A_stage_out_of_order_is_EINVAL_and_changes_nothing()
    {
        var m = NewMachine();
        var p = m.User();
        Assert.True(p.Execve(["init"], [], ExecOptions.Default).IsOk);
        var exec = m.ExecCopyArguments(p, ["a"], [], ExecOptions.Default, ExecArgStaging.KernelPageList).Value;
        var old = p.Mm;
        Assert.Equal(ApiLab.Spec.Errno.EINVAL, m.ExecSetupArgPages(exec).Error);
        Assert.Same(old, p.Mm);
        Assert.Equal(ExecStage.ArgumentsCopied, exec.Stage);
    }
}
