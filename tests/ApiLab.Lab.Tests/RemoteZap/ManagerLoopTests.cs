using System.Diagnostics;
using ApiLab.Lab.Scenarios.RemoteZap;

namespace ApiLab.Lab.Tests.RemoteZap;

/// <summary>Seed 001's manager loop run for every design: the thread's qualitative claims, pinned.</summary>
public sealed class ManagerLoopTests
{
    private static readonly ManagerLoopScenario Loop = new();
    private static readonly UnprotectedZapScenario Unprotected = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Seed001_hildenbrand_hint_only_never_changes_what_the_app_reads_in_any_interleaving(int size)
    {
        var exploration = Explorer.Explore(() => Loop.Build("hint-only", size), Loop.StepsPerActor);
        Assert.Equal(35, exploration.Schedules);
        Assert.Equal(0, exploration.HazardCount);
    }

    [Theory]
    [InlineData("process-madvise-dontneed")]
    [InlineData("uffd-zap")]
    [InlineData("cooperative")]
    public void Seed001_nadav_with_uffd_wp_first_or_in_program_order_no_interleaving_loses_a_write(string design)
    {
        var exploration = Explorer.Explore(() => Loop.Build(design, 2), Loop.StepsPerActor);
        Assert.All(exploration.Hazards, h => Assert.DoesNotContain(h.Harms, m => m.StartsWith("lost write", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("process-madvise-dontneed")]
    [InlineData("uffd-zap")]
    [InlineData("cooperative")]
    public void Seed001_hildenbrand_f47970f5_every_zap_design_leaves_pages_it_freed_resident_after_a_fork(string design)
    {
        var exploration = Explorer.Explore(() => Loop.Build(design, 2), Loop.StepsPerActor);
        Assert.True(exploration.HazardCount > 0);
        Assert.All(exploration.Hazards, h => Assert.All(h.Harms, m => Assert.Contains("still resident", m)));
    }

    [Fact]
    public void The_app_writing_and_forking_before_the_loop_leaves_both_zapped_pages_resident_and_replays_exactly()
    {
        var schedule = Schedule.TryParse("1100001", Loop.StepsPerActor, out _)!;
        var first = Runner.Run(() => Loop.Build("process-madvise-dontneed", 2), schedule, trace: true);
        var second = Runner.Run(() => Loop.Build("process-madvise-dontneed", 2), schedule, trace: true);
        Assert.Equal(2, first.Harms.Count);
        Assert.Equal(first.Harms, second.Harms);
        Assert.Equal(2, first.Measurement["resident_after_zap"]);
        Assert.Equal(0, first.Measurement["pages_freed"]);
        Assert.Equal(["process_madvise"], first.Trace[4].Syscalls);
    }

    [Theory]
    [InlineData("process-madvise-dontneed")]
    [InlineData("uffd-zap")]
    public void Seed001_hildenbrand_without_write_protect_a_write_between_read_and_zap_is_lost(string design)
    {
        // readv, the app stores to page 0, zap, serve, then fork and the second store: page 0 comes back stale.
        var schedule = Schedule.TryParse("010011", Unprotected.StepsPerActor, out _)!;
        var run = Runner.Run(() => Unprotected.Build(design, 2), schedule, trace: true);
        Assert.Equal(["lost write: page 0 reads 0x1000, the app last wrote 0xa11ce"], run.Harms);
        Assert.Equal(1, run.Measurement["lost_writes"]);
        Assert.Equal("store page 0: 0xa11ce", run.Trace[1].Outcome);

        var exploration = Explorer.Explore(() => Unprotected.Build(design, 2), Unprotected.StepsPerActor);
        Assert.Contains(exploration.Hazards, h => h.Harms.Any(m => m.StartsWith("lost write", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_same_write_after_the_read_with_write_protect_first_sleeps_and_lands()
    {
        // WP, readv, store (sleeps), zap, serve (copies page 0 back and wakes the app), fork, store.
        var schedule = Schedule.TryParse("0010011", Loop.StepsPerActor, out _)!;
        var run = Runner.Run(() => Loop.Build("process-madvise-dontneed", 2), schedule, trace: true);
        Assert.Empty(run.Harms);
        Assert.Equal("store page 0: asleep in a userfault", run.Trace[2].Outcome);
        Assert.Equal("retry store page 0: 0xa11ce", run.Trace[5].Outcome);
    }

    [Fact]
    public void Seed001_nadav_b_one_tlb_flush_per_vectored_zap_against_one_per_range_for_the_others()
    {
        const int size = 8;
        var dontneed = Runner.Run(() => Loop.Build("process-madvise-dontneed", size), Loop.Uncontended, trace: false).Measurement;
        var uffd = Runner.Run(() => Loop.Build("uffd-zap", size), Loop.Uncontended, trace: false).Measurement;
        var cooperative = Runner.Run(() => Loop.Build("cooperative", size), Loop.Uncontended, trace: false).Measurement;
        var hint = Runner.Run(() => Loop.Build("hint-only", size), Loop.Uncontended, trace: false).Measurement;
        // Write-protect (one flush) plus one flush for the whole vector.
        Assert.Equal(2, dontneed["tlb_flushes"]);
        Assert.Equal(1 + size, uffd["tlb_flushes"]);
        Assert.Equal(size, cooperative["tlb_flushes"]);
        Assert.True(dontneed["syscalls"] < uffd["syscalls"]);
        Assert.True(dontneed["syscalls"] < cooperative["syscalls"]);
        foreach (var zap in new[] { dontneed, uffd, cooperative })
        {
            Assert.Equal(size, zap["pages_zapped"]);
            Assert.Equal(size, zap["pages_freed"]);
            Assert.Equal(0, zap["resident_after_zap"]);
        }

        Assert.Equal(0, hint["pages_zapped"]);
        Assert.Equal(size, hint["pages_reclaimed"]);
        Assert.Equal(0, hint["userfault_sleeps"]);
    }

    [Fact]
    public void Process_mrelease_cannot_run_the_loop_and_says_why()
    {
        Assert.DoesNotContain("process-mrelease", Loop.Designs);
        Assert.Contains("SIGKILL", Loop.WhyNot("process-mrelease"), StringComparison.Ordinal);
        Assert.Equal(["process-madvise-dontneed", "uffd-zap"], Unprotected.Designs);
        Assert.NotNull(LabCatalog.FindDebate("remote-zap"));
        Assert.Same(typeof(ManagerLoopScenario), LabCatalog.PrimaryScenario("remote-zap")!.GetType());
    }

    [Fact]
    public void Every_reported_harmful_schedule_replays_with_the_same_harms()
    {
        foreach (var scenario in new Scenarios.IScenario[] { Loop, Unprotected })
        {
            foreach (var design in scenario.Designs)
            {
                var exploration = Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor);
                foreach (var hazard in exploration.Hazards)
                {
                    var replay = Runner.Run(() => scenario.Build(design, scenario.DefaultSize), hazard.Schedule, trace: true);
                    Assert.Equal(hazard.Harms, replay.Harms);
                }
            }
        }
    }

    [Fact]
    public void Exhaustive_exploration_of_both_scenarios_all_designs_stays_well_inside_the_ci_budget()
    {
        var clock = Stopwatch.StartNew();
        var schedules = 0;
        foreach (var scenario in new Scenarios.IScenario[] { Loop, Unprotected })
        {
            foreach (var design in scenario.Designs)
            {
                schedules += Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor).Schedules;
            }
        }

        Assert.Equal((4 * 35) + (2 * 20), schedules);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Large_sizes_run_and_keep_every_value()
    {
        var run = Runner.Run(() => Loop.Build("process-madvise-dontneed", 512), Loop.Uncontended, trace: false);
        Assert.Empty(run.Harms);
        Assert.Equal(512, run.Measurement["pages_freed"]);
        Assert.Equal(2, run.Measurement["tlb_flushes"]);
    }
}
