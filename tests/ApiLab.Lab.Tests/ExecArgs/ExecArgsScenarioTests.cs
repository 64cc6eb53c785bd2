using ApiLab.Lab.Scenarios;
using ApiLab.Lab.Scenarios.ExecArgs;

namespace ApiLab.Lab.Tests.ExecArgs;

/// <summary>The qualitative results seed 004 argues about, pinned on the exec-args scenarios (issue 7).</summary>
public sealed class ExecArgsScenarioTests
{
    private static readonly CompatSmallStackScenario Compat = new();
    private static readonly NativeSameTopScenario Native = new();

    public static TheoryData<string> Scenarios => [Compat.Id, Native.Id];

    private static IScenario Find(string id) => LabCatalog.FindScenario(id)!;

    private static Metrics.Measurement Cost(IScenario scenario, string design, int size) =>
        Runner.Run(() => scenario.Build(design, size), scenario.Uncontended, trace: false).Measurement;

    [Fact]
    public void Both_scenarios_are_found_and_the_compat_one_is_the_debates_primary()
    {
        Assert.Equal(Compat.Id, LabCatalog.PrimaryScenario("exec-args")!.Id);
        Assert.NotNull(LabCatalog.FindScenario(Native.Id));
        Assert.Equal(["relocate", "kernel-pages", "kernel-pages-swappable", "below-sp"], Compat.Designs);
        Assert.NotNull(LabCatalog.FindDebate("exec-args"));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Linux_6_18_never_fails_never_corrupts_and_never_pins(string id)
    {
        // The baseline every "where Linux 6.18 succeeds" harm is measured against.
        var scenario = Find(id);
        foreach (var size in new[] { 1, scenario.DefaultSize, 1024 })
        {
            Assert.Equal(0, Explorer.Explore(() => scenario.Build("relocate", size), scenario.StepsPerActor).HazardCount);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_swappable_inode_is_never_harmful_either(string id)
    {
        // Seed 004 lines 56-59 (Al): the inode's pages can be reclaimed, so pressure finds memory to free.
        var scenario = Find(id);
        Assert.Equal(0, Explorer.Explore(() => scenario.Build("kernel-pages-swappable", scenario.DefaultSize), scenario.StepsPerActor).HazardCount);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Kernel_pages_starve_the_pressure_exactly_when_it_runs_while_they_are_pinned(string id)
    {
        // Miller (lines 47-48) accepts "the non-swapability added by Al's approach"; under pressure it is an OOM risk.
        var scenario = Find(id);
        var exploration = Explorer.Explore(() => scenario.Build("kernel-pages", scenario.DefaultSize), scenario.StepsPerActor);

        Assert.Equal(6, exploration.HazardCount);
        Assert.Contains(exploration.Hazards, h => h.Harms.Any(m => m.StartsWith("OOM:", StringComparison.Ordinal)));
        Assert.Contains(exploration.Hazards, h => h.Harms.Any(m => m.StartsWith("reclaim for chunk", StringComparison.Ordinal)));
        // Pressure first: the kernel pages cannot be had, so exec fails with E2BIG where 6.18 (same schedule) succeeds.
        var first = exploration.Hazards.Single(h => h.Schedule.ToString() == "11000");
        Assert.Equal(["exec failed (-E2BIG) where Linux 6.18 succeeds"], first.Harms);
        Assert.False(Runner.Run(() => scenario.Build("relocate", scenario.DefaultSize), first.Schedule, trace: false).IsHazard);
        // When the exec finishes before the second chunk, its pages are ordinary anon pages again: no harm.
        Assert.DoesNotContain(exploration.Hazards, h => h.Schedule.ToString() is "00011" or "10001" or "00101" or "01001");
    }

    [Fact]
    public void Below_sp_fails_from_a_small_user_stack_in_every_interleaving_where_6_18_succeeds()
    {
        // Seed 004 lines 28-32 (Hugh): "sorry, you left too little space for your userstack", a regression.
        var exploration = Explorer.Explore(() => Compat.Build("below-sp", Compat.DefaultSize), Compat.StepsPerActor);
        Assert.Equal(10, exploration.HazardCount);
        Assert.All(exploration.Hazards, h => Assert.Equal(["exec failed (-ENOMEM) where Linux 6.18 succeeds"], h.Harms));
        // Small enough to fit in what the stack has left: it works, and under pressure too.
        Assert.Equal(0, Explorer.Explore(() => Compat.Build("below-sp", 64), Compat.StepsPerActor).HazardCount);
        // From a roomy stack it never fails.
        Assert.Equal(0, Explorer.Explore(() => Native.Build("below-sp", Native.DefaultSize), Native.StepsPerActor).HazardCount);
    }

    [Fact]
    public void Miller_the_compat_exec_pays_a_move_that_the_other_designs_do_not()
    {
        // Seed 004 lines 37-39 (Miller) and 47-48: the move and flush versus non-swappability.
        var relocate = Cost(Compat, "relocate", 64);
        var kernel = Cost(Compat, "kernel-pages", 64);
        var inode = Cost(Compat, "kernel-pages-swappable", 64);
        var below = Cost(Compat, "below-sp", 64);

        Assert.Equal(1, relocate["page_table_moves"]);
        Assert.Equal(relocate["pages_copied"], relocate["ptes_moved"]);
        Assert.True(relocate["tlb_flushes"] > kernel["tlb_flushes"]);
        Assert.Equal(relocate["pages_copied"], relocate["remote_gup"] - 2);
        Assert.Equal((0, 0, 0), (kernel["page_table_moves"], inode["page_table_moves"], kernel["remote_gup"]));
        Assert.Equal(1, below["page_table_moves"]);
        Assert.Equal(kernel["pages_copied"], kernel["pinned_pages"]);
        Assert.Equal((0, 0, 0), (relocate["pinned_pages"], inode["pinned_pages"], below["pinned_pages"]));
    }

    [Fact]
    public void Hugh_with_equal_stack_tops_today_moves_nothing_but_below_sp_moves_in_all_cases()
    {
        // Seed 004 lines 41-44 (the cost is only where the tops differ) and 51-53 ("that overhead in all cases").
        var relocate = Cost(Native, "relocate", Native.DefaultSize);
        var below = Cost(Native, "below-sp", Native.DefaultSize);

        Assert.Equal((0, 0), (relocate["page_table_moves"], relocate["ptes_moved"]));
        Assert.Equal(1, below["page_table_moves"]);
        Assert.Equal(below["pages_copied"], below["ptes_moved"]);
        Assert.True(below["tlb_flushes"] > relocate["tlb_flushes"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(2047)]
    public void Every_design_makes_one_syscall_and_copies_the_same_bytes_at_every_size(int size)
    {
        var costs = ExecDriver.Designs.Select(d => Cost(Native, d, size)).ToList();
        Assert.All(costs, c => Assert.Equal(1, c["syscalls"]));
        Assert.All(costs, c => Assert.Equal(costs[0]["bytes_copied"], c["bytes_copied"]));
        Assert.All(costs, c => Assert.Equal(costs[0]["pages_copied"], c["pages_copied"]));
        Assert.True(costs[0]["bytes_copied"] >= (size * 1024) - 64);
        foreach (var design in ExecDriver.Designs)
        {
            Assert.False(Runner.Run(() => Native.Build(design, size), Native.Uncontended, trace: false).IsHazard);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_reported_schedule_replays_exactly(string id)
    {
        var scenario = Find(id);
        foreach (var design in scenario.Designs)
        {
            foreach (var hazard in Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor).Hazards)
            {
                var schedule = Schedule.TryParse(hazard.Schedule.ToString(), scenario.StepsPerActor, out _)!;
                var first = Runner.Run(() => scenario.Build(design, scenario.DefaultSize), schedule, trace: true);
                var second = Runner.Run(() => scenario.Build(design, scenario.DefaultSize), schedule, trace: true);
                Assert.Equal(hazard.Harms, first.Harms);
                Assert.Equal(first.Harms, second.Harms);
                Assert.Equal(first.Trace.Select(static t => (t.Actor, t.Step, t.Outcome)), second.Trace.Select(static t => (t.Actor, t.Step, t.Outcome)));
                Assert.Equal(["execve", "execve:copy_strings"], first.Trace.First(t => t.Actor == "execer").Syscalls);
            }
        }
    }

    [Fact]
    public void The_comparison_table_has_a_value_in_every_cell()
    {
        var comparison = Comparison.ComparisonBuilder.Build(LabCatalog.FindDebate("exec-args")!, Compat, Compat.DefaultSize);
        Assert.Equal(4, comparison.Designs.Count);
        Assert.All(comparison.Designs, d => Assert.All(comparison.Rows, r => Assert.False(string.IsNullOrEmpty(d.Cells[r.Key]))));
        Assert.All(comparison.Designs, d => Assert.Equal("n/a: acts only on the caller's own mm", d.Cells["toctou"]));
    }

    [Fact]
    public void Corruption_is_judged_from_what_the_new_image_reads()
    {
        // No design corrupts the arguments, so show the detector fires: tamper with one page after a clean run.
        var world = (ExecPressureWorld)Native.Build("relocate", 8);
        foreach (var actor in world.Actors)
        {
            foreach (var step in actor.Steps)
            {
                step.Run();
            }
        }

        Assert.Empty(world.Harms());
        var page = ApiLab.Engine.Page.AlignDown(world.Execer.Mm!.StartStack);
        Assert.True(world.Execer.Store(page, 0x5eed).IsOk);
        Assert.StartsWith("argument data corrupted: page 0x", Assert.Single(world.Harms()), StringComparison.Ordinal);
    }
}
