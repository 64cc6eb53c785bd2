using ApiLab.Lab.Scenarios.RemoteMadvise;

namespace ApiLab.Lab.Tests;

/// <summary>The walking skeleton's claim: mainline can advise a VMA it never saw; the cookie design never does.</summary>
public sealed class ReclaimRaceTests
{
    private static readonly ReclaimRaceScenario Scenario = new();

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Mainline_hits_a_vma_the_manager_never_saw_in_some_interleaving(int size)
    {
        var exploration = Explorer.Explore(() => Scenario.Build("mainline", size), Scenario.StepsPerActor);
        Assert.Equal(10, exploration.Schedules);
        Assert.True(exploration.HazardCount > 0);
        Assert.All(exploration.Hazards, h => Assert.Contains("never saw", h.Harms[0]));
    }

    [Theory]
    [InlineData("procmap-query", 1)]
    [InlineData("procmap-query", 8)]
    public void Procmap_query_gives_binary_records_but_no_toctou_defence(string design, int size)
    {
        var exploration = Explorer.Explore(() => Scenario.Build(design, size), Scenario.StepsPerActor);
        Assert.True(exploration.HazardCount > 0);
    }

    [Theory]
    [InlineData("cookie", 1)]
    [InlineData("cookie", 8)]
    [InlineData("fd-per-vma", 1)]
    [InlineData("fd-per-vma", 8)]
    [InlineData("filters", 8)]
    public void Revalidating_and_filtering_designs_never_do(string design, int size)
    {
        var exploration = Explorer.Explore(() => Scenario.Build(design, size), Scenario.StepsPerActor);
        Assert.Equal(10, exploration.Schedules);
        Assert.Equal(0, exploration.HazardCount);
    }

    [Fact]
    public void The_hazard_is_survey_then_remap_then_advise_and_replays_exactly()
    {
        var schedule = Schedule.TryParse("00110", Scenario.StepsPerActor, out _)!;
        var first = Runner.Run(() => Scenario.Build("mainline", 4), schedule, trace: true);
        var second = Runner.Run(() => Scenario.Build("mainline", 4), schedule, trace: true);
        Assert.True(first.IsHazard);
        Assert.Equal(first.Harms, second.Harms);
        Assert.Equal(first.Trace, second.Trace, new TraceComparer());
        Assert.Equal(["process_madvise"], first.Trace[4].Syscalls);
        Assert.Equal("manager", first.Trace[4].Actor);
    }

    [Fact]
    public void With_the_same_schedule_the_cookie_fails_stale_and_reclaims_nothing()
    {
        var schedule = Schedule.TryParse("00110", Scenario.StepsPerActor, out _)!;
        var run = Runner.Run(() => Scenario.Build("cookie", 4), schedule, trace: true);
        Assert.False(run.IsHazard);
        Assert.Equal("-ESTALE", run.Trace[4].Outcome);
        Assert.Equal(0, run.Measurement["pages_reclaimed"]);
    }

    [Fact]
    public void Uncontended_costs_show_the_proc_parsing_mainline_pays()
    {
        var mainline = Runner.Run(() => Scenario.Build("mainline", 16), Scenario.Uncontended, trace: false).Measurement;
        var cookie = Runner.Run(() => Scenario.Build("cookie", 16), Scenario.Uncontended, trace: false).Measurement;
        Assert.True(mainline["proc_bytes_read"] > 16 * 40);
        Assert.Equal(0, cookie["proc_bytes_read"]);
        Assert.True(mainline["syscalls"] > cookie["syscalls"]);
        Assert.Equal(16 * ReclaimRaceScenario.PagesPerVma, mainline["pages_reclaimed"]);
        Assert.Equal(16 * ReclaimRaceScenario.PagesPerVma, cookie["pages_reclaimed"]);
    }

    private sealed class TraceComparer : IEqualityComparer<TraceEntry>
    {
        public bool Equals(TraceEntry? x, TraceEntry? y) =>
            x is not null && y is not null && x.Index == y.Index && x.Actor == y.Actor && x.Step == y.Step
            && x.Outcome == y.Outcome && x.Syscalls.SequenceEqual(y.Syscalls);

        public int GetHashCode(TraceEntry obj) => obj.Index;
    }
}
