using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>
/// Torvalds' "do it in libc" baseline (quoted in the seed 002_310b7bb94a93504d.txt thread, 2023-01-03) and
/// Donenfeld's answer from v14 2/7 that mlock "is rlimited and not inherited".
/// </summary>
public sealed class LibcStatesTests
{
    private static (StateWorld World, LibcStatesAdapter Api, ulong States) Mapped(int pages, bool harden)
    {
        var w = new StateWorld();
        var api = new LibcStatesAdapter(w.Owner);
        var states = api.Map((ulong)pages * Page.Size).Value;
        if (harden)
        {
            Assert.True(api.Advise(states, (ulong)pages * Page.Size, Advice.WipeOnFork).IsOk);
            Assert.True(api.Advise(states, (ulong)pages * Page.Size, Advice.DontDump).IsOk);
        }

        w.Fill(states, pages);
        return (w, api, states);
    }

    [Fact]
    public void Plain_anonymous_memory_is_inherited_and_dumped()
    {
        // Torvalds: "This should all be in libc" — before libc adds anything, the memory is ordinary.
        var (w, _, states) = Mapped(2, harden: false);
        Assert.Equal(StateWorld.Secret, w.Machine.Fork(w.Owner).Value.Load(states).Value);
        Assert.True(w.DumpHoldsSecret());
    }

    [Fact]
    public void Wipeonfork_and_dontdump_keep_it_from_the_child_and_the_dump()
    {
        // Ingo, quoted in the seed: both guarantees are "Easy" with VM_WIPEONFORK and VM_DONTDUMP, which madvise offers libc.
        var (w, _, states) = Mapped(2, harden: true);
        Assert.Equal(0UL, w.Machine.Fork(w.Owner).Value.Load(states).Value);
        Assert.False(w.DumpHoldsSecret());
    }

    [Fact]
    public void Without_mlock_pressure_writes_the_secret_to_swap_and_nothing_vanishes()
    {
        // v14 2/7's requirement the baseline misses: the state must never reach swap (forward secrecy).
        var (w, _, states) = Mapped(2, harden: true);
        w.ReclaimAll();
        Assert.True(w.SwapHoldsSecret());
        Assert.Equal(2, w.Owner.Mm!.SwapEntries);
        Assert.Equal(StateWorld.Secret, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Mlock_keeps_it_out_of_swap_within_rlimit_memlock()
    {
        // v14 2/7: libc's only way to keep the state off swap is mlock, which works inside RLIMIT_MEMLOCK.
        var (w, api, states) = Mapped(2, harden: true);
        Assert.True(api.Lock(states, 2 * Page.Size).IsOk);
        w.ReclaimAll();
        Assert.False(w.SwapHoldsSecret());
        Assert.Equal(StateWorld.Secret + 1, w.Owner.Load(states + Page.Size).Value);
    }

    [Fact]
    public void Mlock_beyond_rlimit_memlock_is_ENOMEM_locks_nothing_and_the_secret_can_still_be_swapped()
    {
        // "mlock is rlimited": an unprivileged caller is refused; CAP_IPC_LOCK lifts the limit.
        var (w, api, states) = Mapped(2, harden: true);
        w.Owner.Limits.Memlock = Page.Size;
        Assert.Equal(Errno.ENOMEM, api.Lock(states, 2 * Page.Size).Error);
        Assert.Equal(0, w.Owner.Mm!.LockedVm);
        w.ReclaimAll();
        Assert.True(w.SwapHoldsSecret());
        w.Owner.Credentials = w.Owner.Credentials.With(Capability.IpcLock);
        Assert.True(api.Lock(states, 2 * Page.Size).IsOk);
        Assert.Equal(2, w.Owner.Mm.LockedVm);
    }

    [Fact]
    public void The_lock_is_not_inherited_by_a_child()
    {
        // "and not inherited": a forked child's copy is unlocked.
        var w = new StateWorld();
        var api = new LibcStatesAdapter(w.Owner);
        var states = api.Map(Page.Size).Value;
        Assert.True(api.Lock(states, Page.Size).IsOk);
        var child = w.Machine.Fork(w.Owner).Value;
        Assert.Equal(VmFlags.Locked, w.VmaAt(states).Flags & VmFlags.Locked);
        Assert.Equal(VmFlags.None, child.Mm!.Vmas.Find(states)!.Flags & VmFlags.Locked);
    }
}
