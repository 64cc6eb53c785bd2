using ApiLab.Lab.Comparison;
using ApiLab.Lab.Scenarios.VmaDuplication;

namespace ApiLab.Lab.Tests.VmaDuplication;

/// <summary>The vma-duplication scenario's qualitative results (seed 003), pinned, and every reported schedule replayed.</summary>
public sealed class HeapMigrationTests
{
    private static readonly HeapMigrationScenario Scenario = new();

    private static Exploration Explore(string design, int size = 8) =>
        Explorer.Explore(() => Scenario.Build(design, size), Scenario.StepsPerActor);

    private static RunResult Run(string design, string schedule, int size = 8) =>
        Runner.Run(() => Scenario.Build(design, size), Schedule.TryParse(schedule, Scenario.StepsPerActor, out _)!, trace: true);

    [Fact]
    public void Process_vm_mmap_maps_the_same_anonymous_page_twice_in_the_restorer_whenever_the_fork_precedes_the_second_pull()
    {
        // Shutemov (seed 003 line 16, 2019-05-22): "allows to map the same page multiple times within one process".
        var exploration = Explore("process-vm-mmap");
        Assert.Equal(6, exploration.Schedules);
        Assert.Equal(5, exploration.HazardCount);
        Assert.All(exploration.Hazards, static h => Assert.Contains("two addresses of one mm", h.Harms[0]));
        Assert.False(Run("process-vm-mmap", "1100").IsHazard); // the child did not exist yet: ESRCH, nothing doubled
        Assert.Equal("-ESRCH", Run("process-vm-mmap", "1100").Trace[1].Outcome);
    }

    [Fact]
    public void Moving_the_ptes_cannot_stop_it_once_the_app_has_forked()
    {
        // <20190524115239.ugxv766doolc6nsc@box>: "I don't think that unmapping alone will do."
        var exploration = Explore("move");
        Assert.Equal(3, exploration.HazardCount);
        Assert.All(exploration.Hazards, static h => Assert.Equal('0', h.Schedule.ToString()[0])); // fork came first
        var forkFirst = Run("move", "0011");
        Assert.True(forkFirst.IsHazard);
        Assert.Contains("restorer maps", forkFirst.Harms[0]);
        // Moved before the fork, the child inherits an empty heap: that order is safe, unlike process_vm_mmap's.
        Assert.False(Run("move", "1001").IsHazard);
        Assert.True(Run("process-vm-mmap", "1001").IsHazard);
    }

    [Fact]
    public void Copying_designs_never_double_map_share_or_leak_a_write()
    {
        Assert.Equal(0, Explore("vm-writev").HazardCount);
        Assert.Equal(0, Explore("proc-mem-splice").HazardCount);
    }

    [Fact]
    public void Memfd_makes_private_memory_shared_and_the_apps_later_write_shows_on_the_other_side()
    {
        // Tkhai on Hocko's shared memory: the VMA type changes, private anonymous memory becomes shared.
        var exploration = Explore("memfd");
        Assert.Equal(6, exploration.HazardCount);
        Assert.All(exploration.Hazards, static h => Assert.Contains(h.Harms, static m => m.Contains("private memory turned shared", StringComparison.Ordinal)));
        var restoredFirst = Run("memfd", "1100");
        Assert.Contains(restoredFirst.Harms, static m => m.StartsWith("restorer's restored app heap[0] reads 0xa11ce", StringComparison.Ordinal));
    }

    [Fact]
    public void Swapped_out_pages_cost_process_vm_mmap_no_swap_in_no_fault_and_no_copy_while_readv_swaps_them_all_in()
    {
        // RFC (2019-05-15): "the syscall just copies pagetable entries like we do on fork(), so real access to pages
        // does not occurs, and no IO is needed".
        const int size = 64;
        var pvm = Runner.Run(() => Scenario.Build("process-vm-mmap", size), Scenario.Uncontended, trace: false).Measurement;
        var move = Runner.Run(() => Scenario.Build("move", size), Scenario.Uncontended, trace: false).Measurement;
        var copy = Runner.Run(() => Scenario.Build("vm-writev", size), Scenario.Uncontended, trace: false).Measurement;
        var splice = Runner.Run(() => Scenario.Build("proc-mem-splice", size), Scenario.Uncontended, trace: false).Measurement;
        foreach (var m in new[] { pvm, move })
        {
            Assert.Equal((0L, 0L, 0L), (m["pages_swapped_in"], m["page_faults"], m["bytes_copied"]));
            Assert.Equal(2, m["syscalls"]);
        }

        // Each heap is half swapped out; the child's swap entries are its own references to the same slots.
        foreach (var m in new[] { copy, splice })
        {
            Assert.Equal(size, m["pages_swapped_in"]);
            Assert.Equal(2L * size * 4096, m["bytes_copied"]);
            Assert.True(m["page_faults"] >= 2 * size);
        }
    }

    [Fact]
    public void The_memcg_charge_stays_with_the_source_for_both_page_table_designs_and_moves_with_a_copy()
    {
        // Tkhai, seed 003 line 67 (2019-06-04): "Once assigned memcg remains the same after VMA duplication".
        const int size = 16;
        var pvm = Runner.Run(() => Scenario.Build("process-vm-mmap", size), Scenario.Uncontended, trace: false).Measurement;
        var move = Runner.Run(() => Scenario.Build("move", size), Scenario.Uncontended, trace: false).Measurement;
        var copy = Runner.Run(() => Scenario.Build("vm-writev", size), Scenario.Uncontended, trace: false).Measurement;
        // The app's resident half, plus the copy its own write after fork made.
        Assert.Equal((size / 2) + 1, pvm["memcg_source"]);
        Assert.Equal((size / 2) + 1, move["memcg_source"]);
        Assert.Equal((0L, 0L), (pvm["memcg_dest"], move["memcg_dest"]));
        Assert.Equal(2 * size, copy["memcg_dest"]);
    }

    [Fact]
    public void The_engines_invariants_hold_in_a_world_with_the_double_mapping()
    {
        // The checker must accept what the design really creates; the harm is the scenario's to report.
        HeapMigrationWorld? world = null;
        var run = Runner.Run(() => world = (HeapMigrationWorld)Scenario.Build("process-vm-mmap", 8), Scenario.Uncontended, trace: false);
        Assert.True(run.IsHazard);
        Assert.Equal(7, run.Measurement["double_mapped_pages"]); // 3 resident pages, 4 swap slots: page 0 was COWed
        world!.Machine.CheckInvariants();
    }

    [Theory]
    [InlineData("memfd")]
    [InlineData("move")]
    [InlineData("process-vm-mmap")]
    public void Every_reported_schedule_replays_exactly(string design)
    {
        foreach (var hazard in Explore(design).Hazards)
        {
            var again = Runner.Run(() => Scenario.Build(design, 8), hazard.Schedule, trace: true);
            Assert.Equal(hazard.Harms, again.Harms);
            Assert.Equal(hazard.Measurement.Counters, again.Measurement.Counters);
            Assert.Equal(4, again.Trace.Count);
        }
    }

    [Fact]
    public void The_transfer_steps_each_make_the_designs_syscall()
    {
        var run = Run("process-vm-mmap", "0011");
        Assert.Equal(["fork"], run.Trace[0].Syscalls);
        Assert.Empty(run.Trace[1].Syscalls);
        Assert.Equal(["process_vm_mmap"], run.Trace[2].Syscalls);
        Assert.Equal(["process_vm_mmap"], run.Trace[3].Syscalls);
        Assert.Equal(["process_vm_readv"], Run("vm-writev", "0011").Trace[2].Syscalls);
        Assert.Equal(["mmap"], Run("memfd", "0011").Trace[2].Syscalls);
        Assert.Equal(["splice:/proc/pid/mem"], Run("proc-mem-splice", "0011").Trace[2].Syscalls);
    }

    [Fact]
    public void The_comparison_has_a_column_per_design_and_no_empty_cell()
    {
        var comparison = ComparisonBuilder.Build(LabCatalog.FindDebate("vma-duplication")!, LabCatalog.FindScenario(Scenario.Id)!, 8);
        Assert.Equal(["memfd", "move", "proc-mem-splice", "process-vm-mmap", "vm-writev"],
            comparison.Designs.Select(static d => d.Design).Order(StringComparer.Ordinal));
        foreach (var design in comparison.Designs)
        {
            foreach (var row in comparison.Rows)
            {
                Assert.False(string.IsNullOrWhiteSpace(design.Cells.GetValueOrDefault(row.Key)), $"{design.Design}/{row.Key}");
            }
        }
    }
}
