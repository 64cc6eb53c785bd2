using ApiLab.Lab.Scenarios.RemoteMadvise;

namespace ApiLab.Lab.Tests;

public sealed class ExplorationModeTests
{
    private static readonly ReclaimRaceScenario Scenario = new();

    private static Exploration Explore(string design, ExplorationMode mode) =>
        Explorer.Explore(() => Scenario.Build(design, 2), Scenario.StepsPerActor, mode);

    [Fact]
    public void Partial_order_reduction_runs_fewer_schedules_and_still_finds_the_hazard()
    {
        var full = Explore("mainline", ExplorationMode.Exhaustive);
        var reduced = Explore("mainline", ExplorationMode.Reduced);
        Assert.True(reduced.Schedules < full.Schedules, $"{reduced.Schedules} vs {full.Schedules}");
        Assert.True(reduced.HazardCount > 0);
        Assert.Equal(0, Explore("cookie", ExplorationMode.Reduced).HazardCount);
    }

    [Fact]
    public void Reduction_keeps_one_schedule_per_equivalence_class()
    {
        // pidfd_open touches nothing the app's steps touch, so it commutes with both: the 10 interleavings of 3+2
        // steps collapse to the C(4,2) = 6 orders of the conflicting steps (survey, advise against munmap, mmap),
        // each represented by its lexicographically least schedule (pidfd_open as early as possible).
        var reduced = ScheduleSpace.Generate(Scenario.Build("mainline", 1).Actors, ExplorationMode.Reduced)
            .Select(static s => s.ToString()).ToList();
        Assert.Equal(["00011", "00101", "00110", "01001", "01010", "01100"], reduced);
    }

    [Fact]
    public void Steps_without_footprints_are_never_reordered_away()
    {
        var actors = new List<Actor>
        {
            new("a", [new Step("x", static () => { }), new Step("y", static () => { })]),
            new("b", [new Step("z", static () => { })]),
        };
        Assert.Equal(3, ScheduleSpace.Generate(actors, ExplorationMode.Reduced).Count());
    }

    [Fact]
    public void Zero_preemptions_allows_only_the_serial_schedules()
    {
        var serial = ScheduleSpace.Generate(Scenario.Build("mainline", 1).Actors, ExplorationMode.Preemptions(0))
            .Select(static s => s.ToString()).ToList();
        Assert.Equal(["00011", "11000"], serial);
        Assert.Equal(0, Explore("mainline", ExplorationMode.Preemptions(0)).HazardCount);
        Assert.True(Explore("mainline", ExplorationMode.Preemptions(2)).HazardCount > 0);
    }

    [Fact]
    public void Random_and_pct_are_deterministic_for_a_seed()
    {
        var actors = Scenario.Build("mainline", 1).Actors;
        var a = ScheduleSpace.Generate(actors, ExplorationMode.RandomSamples(50, 7)).Select(static s => s.ToString()).ToList();
        var b = ScheduleSpace.Generate(actors, ExplorationMode.RandomSamples(50, 7)).Select(static s => s.ToString()).ToList();
        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 3);
        var p = ScheduleSpace.Generate(actors, ExplorationMode.PctSamples(50, 3, 1)).Select(static s => s.ToString()).ToList();
        Assert.Equal(p, ScheduleSpace.Generate(actors, ExplorationMode.PctSamples(50, 3, 1)).Select(static s => s.ToString()));
        Assert.All(p, s => Assert.NotNull(Schedule.TryParse(s, Scenario.StepsPerActor, out _)));
        Assert.True(Explore("mainline", ExplorationMode.RandomSamples(200, 3)).HazardCount > 0);
    }

    [Fact]
    public void The_reported_counterexample_has_the_fewest_preemptions()
    {
        var exploration = Explore("mainline", ExplorationMode.Exhaustive);
        var first = exploration.Hazards[0];
        Assert.All(exploration.Hazards, h => Assert.True(
            ScheduleSpace.Preemptions(first.Schedule, Scenario.StepsPerActor) <= ScheduleSpace.Preemptions(h.Schedule, Scenario.StepsPerActor)));
    }
}
