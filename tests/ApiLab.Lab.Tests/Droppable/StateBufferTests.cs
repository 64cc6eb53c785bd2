using System.Diagnostics;
using ApiLab.Lab.Metrics;
using ApiLab.Lab.Scenarios.Droppable;

namespace ApiLab.Lab.Tests.Droppable;

/// <summary>
/// The droppable debate's race (seed 002_310b7bb94a93504d.txt; issue 7): the qualitative results the thread argues
/// about, pinned over every interleaving, and the replay of every harmful schedule.
/// </summary>
public sealed class StateBufferTests
{
    private static readonly StateBufferScenario Scenario = new();

    private static Exploration Explore(string design, int? size = null) =>
        Explorer.Explore(() => Scenario.Build(design, size ?? Scenario.DefaultSize), Scenario.StepsPerActor);

    [Fact]
    public void Map_droppable_never_leaks_to_the_child_the_dump_or_swap_in_any_interleaving()
    {
        // Issue 7: "MAP_DROPPABLE never leaks to the child or the dump".
        var exploration = Explore("map-droppable");
        Assert.Equal(420, exploration.Schedules);
        Assert.Equal(0, exploration.HazardCount);
    }

    [Fact]
    public void Retrying_loses_no_write_where_skipping_does()
    {
        // Seed: Jason's compromise ("userspace just retries the memory write ... eventually it succeeds") against v14's
        // point c) ("writes are simply lost").
        var retry = Explore("v14-retry");
        var skip = Explore("v14-skip");
        Assert.Equal(0, retry.HazardCount);
        Assert.True(skip.HazardCount > 0);
        Assert.All(skip.Hazards, h => Assert.All(h.Harms, harm => Assert.Contains("lost silently", harm)));
        var stuck = Runner.Run(() => Scenario.Build("v14-retry", Scenario.DefaultSize), skip.Hazards[0].Schedule, trace: true);
        Assert.False(stuck.IsHazard);
        Assert.True(stuck.Measurement["fault_retries"] > 0);
        Assert.Contains(stuck.Trace, t => t.Outcome.StartsWith("stuck retrying", StringComparison.Ordinal));
    }

    [Fact]
    public void The_special_mapping_keeps_the_child_out_but_every_harm_is_a_core_dump()
    {
        // Andy: unmap on fork keeps the child out; always_dump_vma puts the mapping in every dump.
        var exploration = Explore("special-mapping");
        Assert.True(exploration.HazardCount > 0);
        Assert.All(exploration.Hazards, h => Assert.All(h.Harms, harm => Assert.Contains("core dump", harm)));
    }

    [Fact]
    public void The_libc_baseline_leaks_only_to_swap_when_pressure_comes_before_its_mlock()
    {
        // v14 2/7: mlock "is rlimited and not inherited"; until it runs, nothing keeps the keys off the swap device.
        var exploration = Explore("libc");
        Assert.True(exploration.HazardCount > 0);
        Assert.All(exploration.Hazards, h => Assert.Equal(["a key was written to the swap device"], h.Harms));
        var pressureFirst = Schedule.TryParse("02200011", Scenario.StepsPerActor, out _)!;
        Assert.True(Runner.Run(() => Scenario.Build("libc", Scenario.DefaultSize), pressureFirst, trace: false).IsHazard);
        var lockFirst = Runner.Run(() => Scenario.Build("libc", Scenario.DefaultSize), Scenario.Uncontended, trace: false);
        Assert.False(lockFirst.IsHazard);
        Assert.Equal(0, lockFirst.Measurement["pages_swapped"]);
    }

    [Theory]
    [InlineData("libc")]
    [InlineData("special-mapping")]
    [InlineData("v14-skip")]
    public void Every_harmful_schedule_replays_exactly(string design)
    {
        foreach (var hazard in Explore(design).Hazards)
        {
            var replay = Runner.Run(() => Scenario.Build(design, Scenario.DefaultSize), hazard.Schedule, trace: true);
            Assert.Equal(hazard.Harms, replay.Harms);
            Assert.Equal(hazard.Measurement.Counters, replay.Measurement.Counters);
        }
    }

    [Fact]
    public void Uncontended_costs_show_what_each_design_pays()
    {
        Measurement Cost(string design) =>
            Runner.Run(() => Scenario.Build(design, Scenario.DefaultSize), Scenario.Uncontended, trace: false).Measurement;
        var libc = Cost("libc");
        var merged = Cost("map-droppable");
        var v14 = Cost("v14-skip");
        // libc: mmap + two madvise + mlock; the others: one allocating call + the mlock attempt.
        Assert.Equal(4, libc["syscalls"]);
        Assert.Equal(2, merged["syscalls"]);
        Assert.Equal(2, v14["syscalls"]);
        // Locked libc memory is neither dropped nor swapped; droppable states are dropped, not swapped.
        Assert.Equal(0, libc["pages_dropped"]);
        Assert.Equal(2, merged["pages_dropped"]);
        Assert.Equal(0, merged["pages_swapped"]);
        Assert.All(new[] { libc, merged, v14 }, m => Assert.Equal(2, m["memory_charged"]));
    }

    [Fact]
    public void Under_pressure_the_merged_design_ooms_the_hog_where_v14_skips_or_waits()
    {
        var squeezeFirst = Schedule.TryParse("20000112", Scenario.StepsPerActor, out _)!;
        var merged = Runner.Run(() => Scenario.Build("map-droppable", Scenario.DefaultSize), squeezeFirst, trace: true);
        Assert.False(merged.IsHazard);
        Assert.True(merged.Measurement["oom_kills"] > 0);
        Assert.Equal("hog was OOM-killed", merged.Trace[^1].Outcome);
        var skip = Runner.Run(() => Scenario.Build("v14-skip", Scenario.DefaultSize), squeezeFirst, trace: false);
        Assert.Equal(0, skip.Measurement["oom_kills"]);
        Assert.True(skip.IsHazard);
    }

    [Fact]
    public void The_workload_scales_with_the_number_of_states()
    {
        var size = 8 * Scenario.DefaultSize;
        var run = Runner.Run(() => Scenario.Build("map-droppable", size), Scenario.Uncontended, trace: false);
        Assert.Equal(16, run.Measurement["memory_charged"]);
        Assert.Equal(16, run.Measurement["pages_dropped"]);
    }

    [Fact]
    public void At_scale_rlimit_memlock_refuses_the_libc_mlock_and_even_the_uncontended_run_leaks_to_swap()
    {
        // v14 2/7: "mlock is rlimited". 2100 pages of states exceed the default 8 MiB RLIMIT_MEMLOCK (2048 pages).
        var size = 2100 * (int)ApiLab.Proposals.Droppable.VgetrandomAlloc.StatesPerPage;
        var libc = Runner.Run(() => Scenario.Build("libc", size), Scenario.Uncontended, trace: true);
        Assert.Equal("mlock: -ENOMEM", libc.Trace[1].Outcome);
        Assert.Equal(["a key was written to the swap device"], libc.Harms);
        Assert.True(libc.Measurement["pages_swapped"] >= 2048);
        var merged = Runner.Run(() => Scenario.Build("map-droppable", size), Scenario.Uncontended, trace: false);
        Assert.False(merged.IsHazard);
        Assert.True(merged.Measurement["pages_dropped"] >= 2048);
        Assert.Equal(0, merged.Measurement["pages_swapped"]);
    }

    [Theory]
    [InlineData("libc")]
    [InlineData("map-droppable")]
    [InlineData("special-mapping")]
    [InlineData("v14-retry")]
    [InlineData("v14-skip")]
    public void Every_interleaving_keeps_the_engine_invariants(string design)
    {
        // The invariant checker runs after every syscall: refcounts, rmap, LRU lists, swap counts, shmem map counts.
        var exploration = Explorer.Explore(() => new StateBufferWorld(design, Scenario.DefaultSize, checkInvariants: true),
            Scenario.StepsPerActor);
        Assert.Equal(420, exploration.Schedules);
    }
}

/// <summary>The CI budget, measured alone (not beside other test classes on the two cores).</summary>
[Collection(nameof(StateBufferTimingTests))]
[CollectionDefinition(nameof(StateBufferTimingTests), DisableParallelization = true)]
public sealed class StateBufferTimingTests
{
    [Fact]
    public void Exhaustive_exploration_of_every_design_at_the_default_size_fits_the_ci_budget()
    {
        var scenario = new StateBufferScenario();
        var clock = Stopwatch.StartNew();
        foreach (var design in scenario.Designs)
        {
            Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
