namespace ApiLab.Lab.Tests;

/// <summary>
/// The generated descriptor list is complete: every design issue 5 names, per debate, has a spec (and so a
/// generated adapter and descriptor), and every debate has a scenario that runs all of them or says why not.
/// </summary>
public sealed class DesignListTests
{
    public static TheoryData<string, string[]> Debates() => new()
    {
        { "remote-madvise", ["cookie", "fd-per-vma", "filters", "mainline", "procmap-query"] },
        { "remote-zap", ["cooperative", "hint-only", "process-madvise-dontneed", "process-mrelease", "uffd-zap"] },
        { "droppable", ["libc", "map-droppable", "special-mapping", "v14-retry", "v14-skip"] },
        { "vma-duplication", ["memfd", "move", "proc-mem-splice", "process-vm-mmap", "vm-writev"] },
        { "exec-args", ["below-sp", "kernel-pages", "kernel-pages-swappable", "relocate"] },
    };

    [Theory]
    [MemberData(nameof(Debates))]
    public void Every_design_of_the_issue_has_a_generated_descriptor(string debate, string[] designs)
    {
        Assert.NotNull(LabCatalog.FindDebate(debate));
        Assert.Equal(designs, LabCatalog.DesignsOf(debate).Select(static d => d.Design).Order(StringComparer.Ordinal));
        foreach (var descriptor in LabCatalog.DesignsOf(debate))
        {
            Assert.NotEmpty(descriptor.Calls);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Summary), descriptor.Id);
            Assert.StartsWith(LabCatalog.FindDebate(debate)!.Seed[..3], descriptor.Seed, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Debates))]
    public void Every_debate_has_a_scenario_and_each_design_runs_in_it_or_says_why_not(string debate, string[] designs)
    {
        var scenario = LabCatalog.PrimaryScenario(debate);
        Assert.NotNull(scenario);
        foreach (var design in designs.Where(d => !scenario.Designs.Contains(d)))
        {
            Assert.False(string.IsNullOrWhiteSpace(scenario.WhyNot(design)), $"{debate}/{design}");
            Assert.NotEqual("this design cannot express the workload", scenario.WhyNot(design));
        }
    }

    [Fact]
    public void There_are_exactly_the_five_seed_debates()
    {
        Assert.Equal(["remote-madvise", "remote-zap", "droppable", "vma-duplication", "exec-args"], LabCatalog.Debates.Select(static d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Debates))]
    public void Every_argument_of_the_thread_points_at_a_measured_row_of_a_real_scenario(string debate, string[] designs)
    {
        Assert.NotEmpty(designs);
        var arguments = LabCatalog.ArgumentsOf(debate);
        Assert.True(arguments.Count >= 3, $"{debate} maps only {arguments.Count} arguments to evidence");
        foreach (var argument in arguments)
        {
            var scenario = argument.Scenario is null ? LabCatalog.PrimaryScenario(debate) : LabCatalog.FindScenario(argument.Scenario);
            Assert.NotNull(scenario);
            Assert.Equal(debate, scenario.Debate);
            Assert.Contains(argument.Evidence, Comparison.ComparisonBuilder.RowsFor(scenario).Select(static r => r.Key));
        }
    }
}
