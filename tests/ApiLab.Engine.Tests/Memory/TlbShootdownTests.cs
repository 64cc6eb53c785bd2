using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>
/// A TLB flush of the caller's own mm is local; a flush of another process's mm (process_mrelease, a remote zap)
/// needs IPIs to the CPUs running it, which is the cost seed 001 argues about. Both are counted, separately.
/// </summary>
public sealed class TlbShootdownTests
{
    [Fact]
    public void A_local_madvise_flushes_without_a_shootdown()
    {
        var m = New();
        var p = m.User();
        var heap = p.MapAnon(4);
        p.Fill(heap, 4, 1);
        var (flushes, shootdowns) = (m.Stats.TlbFlushes, m.Stats.TlbShootdowns);
        Assert.True(p.Madvise(heap, 4 * Page.Size, Advice.DontNeed).IsOk);
        Assert.Equal(flushes + 1, m.Stats.TlbFlushes);
        Assert.Equal(shootdowns, m.Stats.TlbShootdowns);
    }

    [Fact]
    public void Reaping_another_process_is_a_shootdown()
    {
        var m = New();
        var manager = m.User();
        var victim = m.User();
        var heap = victim.MapAnon(4);
        victim.Fill(heap, 4, 1);
        var fd = m.PidfdOpen(manager, new Pid(victim.Pid), 0).Value;
        Assert.True(m.PidfdSendSignal(manager, fd, Machine.SigKill, 0).IsOk);
        var shootdowns = m.Stats.TlbShootdowns;
        Assert.True(m.ProcessMrelease(manager, fd, 0).IsOk);
        Assert.Equal(shootdowns + 1, m.Stats.TlbShootdowns);
        Assert.Contains(m.Stats.ToPairs(), static c => c.Key == "tlb_shootdowns");
    }
}
