using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>brk(2) as sys_brk answers it (probed on the 6.18 host with a static binary and raw syscalls).</summary>
public sealed class BrkTests
{
    private static (Process P, ulong Start) Execd(Machine m)
    {
        var p = m.User();
        Assert.True(p.Execve(["prog"], []).IsOk);
        return (p, p.Brk(0).Value);
    }

    [Fact]
    public void After_exec_the_break_is_start_brk_and_there_is_no_heap_yet()
    {
        var m = New();
        var (p, s) = Execd(m);
        Assert.Equal(ExecOptions.DefaultNativeStartBrk, s);
        Assert.Single(p.MapsShape());
    }

    [Fact]
    public void The_break_is_byte_exact_and_the_heap_vma_ends_on_the_next_page_boundary()
    {
        var m = New();
        var (p, s) = Execd(m);
        Assert.Equal(s + 1, p.Brk(s + 1).Value);
        Assert.Equal(Range(s, s + P, "rw-p"), p.MapsShape()[0]);
        Assert.Equal(s + P + 1, p.Brk(s + P + 1).Value);
        Assert.Equal(s + (3 * P), p.Brk(s + (3 * P)).Value);
        Assert.Equal([Range(s, s + (3 * P), "rw-p")], p.MapsShape()[..1]);
        Assert.Equal($"{s:x8}-{s + (3 * P):x8} rw-p 00000000 00:00 0                          [heap]",
            p.Mm!.FormatMaps().Split('\n')[0]);
        p.Fill(s, 3, 1);

        Assert.Equal(s + P, p.Brk(s + P).Value);
        Assert.Equal(Range(s, s + P, "rw-p"), p.MapsShape()[0]);
        Assert.Equal(1UL, p.Load(s).Value);
        Assert.Equal(Errno.EFAULT, p.Load(s + P).Error);
        Assert.Equal(s, p.Brk(s).Value);
        Assert.Single(p.MapsShape());
    }

    [Fact]
    public void A_refused_brk_returns_the_current_break()
    {
        var m = New();
        var (p, s) = Execd(m);
        Assert.Equal(s, p.Brk(s - P).Value);
        Assert.Equal(s, p.Brk(ulong.MaxValue - P).Value);

        // A spawned process never exec'd: start_brk is 0, below mmap_min_addr, so nothing can grow.
        var spawned = m.User();
        Assert.Equal(0UL, spawned.Brk(0x10000).Value);
        Assert.Empty(spawned.MapsShape());
    }

    [Fact]
    public void The_heap_must_stay_a_page_below_the_next_mapping_and_a_guard_gap_below_a_grows_down_one()
    {
        var m = New();
        var (p, s) = Execd(m);
        p.MapAnon(1, prot: Prot.Read, at: s + (10 * P));
        Assert.Equal(s + (9 * P), p.Brk(s + (9 * P)).Value);
        Assert.Equal(s + (9 * P), p.Brk(s + (9 * P) + 1).Value);
        Assert.Equal(s + (9 * P), p.Brk(s + (10 * P)).Value);
        p.Munmap(s + (10 * P), P);
        p.Brk(s);

        p.Mmap(s + (300 * P), P, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed | MapFlags.GrowsDown);
        Assert.Equal(s, p.Brk(s + (44 * P)).Value);
        Assert.Equal(s + (43 * P), p.Brk(s + (43 * P)).Value);
    }

    [Fact]
    public void RLIMIT_DATA_bounds_the_distance_from_start_brk_even_for_a_shrink()
    {
        var m = New();
        var (p, s) = Execd(m);
        p.Limits.Data = 8 * P;
        Assert.Equal(s + (8 * P), p.Brk(s + (8 * P)).Value);
        Assert.Equal(s + (8 * P), p.Brk(s + (8 * P) + 1).Value);
        p.Limits.Data = 4 * P;
        // check_data_rlimit runs before the shrink path.
        Assert.Equal(s + (8 * P), p.Brk(s + (6 * P)).Value);
        Assert.Equal(s + (4 * P), p.Brk(s + (4 * P)).Value);
    }

    [Fact]
    public void Every_vma_overlapping_start_brk_to_brk_is_named_heap_but_one_starting_at_the_break_is_not()
    {
        var m = New();
        var (p, s) = Execd(m);
        p.Brk(s + (3 * P));
        p.Mprotect(s + P, P, Prot.Read);
        var lines = p.Mm!.FormatMaps().Split('\n');
        Assert.All(lines[..3], static l => Assert.EndsWith(" [heap]", l, StringComparison.Ordinal));

        p.Brk(s + (2 * P));
        p.MapAnon(1, at: s + (2 * P));
        Assert.Equal($"{s + (2 * P):x8}-{s + (3 * P):x8} rw-p 00000000 00:00 0 ", p.Mm.FormatMaps().Split('\n')[2]);
        Assert.Equal("[heap]", p.Mm.Describe()[0].Name);
    }

    [Fact]
    public void Growth_extends_the_heap_vma_and_under_mlockall_future_the_new_pages_are_locked_and_present()
    {
        var m = New();
        var (p, s) = Execd(m);
        p.Brk(s + P);
        var id = p.Mm!.Vmas.Find(s)!.Id;
        p.Brk(s + (2 * P));
        Assert.Equal(id, p.Mm.Vmas.Find(s + P)!.Id);

        Assert.True(p.Mlockall(MlockallFlags.Future).IsOk);
        p.Brk(s + (4 * P));
        var grown = p.Mm.Vmas.Find(s + (3 * P))!;
        Assert.Equal(VmFlags.Locked, grown.Flags & VmFlags.LockedMask);
        Assert.True(Pte.IsPresent(p.Mm.PageTable.Get(Page.ToVpn(s + (3 * P)))));
        Assert.NotEqual(id, grown.Id);
    }

    [Fact]
    public void A_forked_child_inherits_the_break()
    {
        var m = New();
        var (p, s) = Execd(m);
        p.Brk(s + (2 * P));
        var child = m.Fork(p).Value;
        Assert.Equal(s + (2 * P), child.Brk(0).Value);
        Assert.Equal(s + P, child.Brk(s + P).Value);
        Assert.Equal(s + (2 * P), p.Brk(0).Value);
    }
}
