using ApiLab.Lab.Scenarios.RemoteMadvise;

namespace ApiLab.Lab.Tests;

/// <summary>
/// At Android scale (thousands of VMAs; Colascione counts ~4204 in system_server) every design still reclaims the
/// whole heap when nothing races it: the vectored designs in batches of UIO_MAXIOV (1024) entries, FD-per-VMA with
/// one fd per VMA under system_server's RLIMIT_NOFILE — and the costs grow the way the thread said they would.
/// </summary>
public sealed class ReclaimRaceScaleTests
{
    private const int Vmas = 2500;

    [Theory]
    [InlineData("cookie")]
    [InlineData("fd-per-vma")]
    [InlineData("filters")]
    [InlineData("mainline")]
    [InlineData("procmap-query")]
    public void Every_design_reclaims_the_whole_heap_of_thousands_of_vmas(string design)
    {
        var scenario = new ReclaimRaceScenario();
        var run = Runner.Run(() => scenario.Build(design, Vmas), scenario.Uncontended, trace: false);
        Assert.Empty(run.Harms);
        Assert.Equal(Vmas * ReclaimRaceScenario.PagesPerVma, run.Measurement["pages_reclaimed"]);
    }

    [Fact]
    public void Fd_per_vma_pays_three_syscalls_per_vma_and_the_cookie_one_per_batch()
    {
        var scenario = new ReclaimRaceScenario();
        long Syscalls(string design) => Runner.Run(() => scenario.Build(design, Vmas), scenario.Uncontended, trace: false).Measurement["syscalls"];
        Assert.True(Syscalls("fd-per-vma") >= 3 * Vmas);
        // pidfd_open + one query + ceil(2500 / 1024) = 3 advise calls.
        Assert.Equal(5, Syscalls("cookie"));
    }
}
