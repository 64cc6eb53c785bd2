using ApiLab.Lab.Scenarios.RemoteZap;

namespace ApiLab.Lab.Tests.RemoteZap;

/// <summary>process_mrelease's own use case (PROPOSALS.md §2.5): free a killed victim's memory before it runs its exit.</summary>
public sealed class KillReapTests
{
    private static readonly KillReapScenario Scenario = new();

    [Fact]
    public void Mrelease_frees_every_private_page_right_after_the_kill_in_two_syscalls()
    {
        var run = Runner.Run(() => Scenario.Build("process-mrelease", 8), Scenario.Uncontended, trace: true);
        Assert.Empty(run.Harms);
        Assert.Equal(8, run.Measurement["pages_freed"]);
        Assert.Equal(2, run.Measurement["syscalls"]);
        Assert.Equal(["process_mrelease"], run.Trace[1].Syscalls);
        Assert.Equal("SIGKILL: exit", run.Trace[2].Outcome);
    }

    [Fact]
    public void Seed001_hocko_a_hint_frees_nothing_at_once_and_writes_the_dying_victims_pages_to_swap()
    {
        var run = Runner.Run(() => Scenario.Build("hint-only", 8), Scenario.Uncontended, trace: false);
        Assert.Empty(run.Harms);
        Assert.Equal(0, run.Measurement["pages_freed"]);
        Assert.Equal(8, run.Measurement["pages_swapped_out"]);
    }

    [Theory]
    [InlineData("process-mrelease")]
    [InlineData("process-madvise-dontneed")]
    [InlineData("uffd-zap")]
    public void Seed001_hildenbrand_f47970f5_after_a_fork_the_reaped_pages_stay_resident(string design)
    {
        var schedule = Schedule.TryParse("1100", Scenario.StepsPerActor, out _)!;
        var run = Runner.Run(() => Scenario.Build(design, 4), schedule, trace: false);
        Assert.Equal(4, run.Harms.Count);
        Assert.All(run.Harms, h => Assert.Contains("still resident", h));
        Assert.Equal(0, run.Measurement["pages_freed"]);

        var exploration = Explorer.Explore(() => Scenario.Build(design, 4), Scenario.StepsPerActor);
        Assert.Equal(6, exploration.Schedules);
        Assert.Equal(["1100"], exploration.Hazards.Select(static h => h.Schedule.ToString()));
    }

    [Fact]
    public void A_victim_that_exits_first_leaves_nothing_to_reap_esrch()
    {
        var schedule = Schedule.TryParse("0101", Scenario.StepsPerActor, out _)!;
        var run = Runner.Run(() => Scenario.Build("process-mrelease", 4), schedule, trace: true);
        Assert.Equal("SIGKILL: exit", run.Trace[1].Outcome);
        Assert.Equal("-ESRCH", run.Trace[2].Outcome);
        Assert.Empty(run.Harms);
    }

    [Fact]
    public void Cooperation_cannot_reap_and_says_why()
    {
        Assert.DoesNotContain("cooperative", Scenario.Designs);
        Assert.Contains("killed process runs no more", Scenario.WhyNot("cooperative"), StringComparison.Ordinal);
    }
}
