using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Costs;

/// <summary>Costs charged to the address space they were spent on, whoever spent them.</summary>
public sealed class PerMmCostTests
{
    [Fact]
    public void Faults_are_charged_to_the_faulting_mm_and_the_machine()
    {
        var m = New();
        var a = m.User();
        var b = m.User();
        var x = a.MapAnon(3);
        a.Fill(x, 3, 1);
        Assert.Equal(3, a.Mm!.Stats.PageFaults);
        Assert.Equal(0, b.Mm!.Stats.PageFaults);
        Assert.Equal(3, m.Stats.PageFaults);
    }

    [Fact]
    public void A_remote_zap_is_charged_to_the_target_its_flush_is_a_shootdown_and_the_caller_pays_only_the_syscall()
    {
        var m = New();
        var manager = m.Spawn(Credentials.Root, "manager").Value;
        var app = m.User();
        var a = app.MapAnon(4);
        app.Fill(a, 4, 1);
        var managerBefore = manager.Mm!.Stats.Clone();
        using (m.EnterSyscall(manager, "process_madvise"))
        {
            Assert.True(VectorMadvise.Apply(app.Mm!, [new IoVec(a, 4 * P)], Advice.DontNeed).IsOk);
        }

        Assert.Equal(4, app.Mm!.Stats.PagesZapped);
        Assert.Equal(1, app.Mm.Stats.TlbShootdowns);
        Assert.Equal(app.Mm.Stats.TlbFlushes, app.Mm.TlbFlushes);
        Assert.Equal(managerBefore.Syscalls + 1, manager.Mm.Stats.Syscalls);
        Assert.Equal(managerBefore.PagesZapped, manager.Mm.Stats.PagesZapped);
        Assert.Equal(managerBefore.TlbFlushes, manager.Mm.Stats.TlbFlushes);
    }

    [Fact]
    public void Reclaim_is_charged_to_the_memcg_of_the_mm_that_owns_the_pages()
    {
        var m = New(frames: 64, swapSlots: 256);
        var a = m.User();
        var b = m.User();
        var x = a.MapAnon(16);
        a.Fill(x, 16, 1);
        Assert.True(m.Reclaim(8) > 0);
        Assert.True(a.Mm!.Stats.PagesReclaimed > 0);
        Assert.Equal(a.Mm.Stats.PagesReclaimed, a.Mm.Stats.PagesSwappedOut);
        Assert.True(a.Mm.Stats.PagesScanned >= a.Mm.Stats.PagesReclaimed);
        Assert.Equal(0, b.Mm!.Stats.PagesReclaimed);
        Assert.Equal(m.Stats.PagesReclaimed, a.Mm.Stats.PagesReclaimed);
    }

    [Fact]
    public void The_counters_of_an_mm_never_exceed_the_machines()
    {
        var m = New(frames: 64, swapSlots: 256);
        var a = m.User();
        var x = a.MapAnon(32);
        a.Fill(x, 32, 1);
        Assert.True(a.Madvise(x, 32 * P, Advice.PageOut).IsOk);
        Assert.True(a.Munmap(x, 32 * P).IsOk);
        var machine = m.Stats.ToPairs().ToDictionary(static p => p.Key, static p => p.Value);
        foreach (var (name, value) in a.Mm!.Stats.ToPairs())
        {
            Assert.True(value <= machine[name], $"{name}: mm {value} > machine {machine[name]}");
        }

        Assert.True(a.Mm.Stats.PagesReclaimed > 0);
    }
}
