using ApiLab.Lab.Comparison;
using ApiLab.Lab.Scenarios.RemoteZap;

namespace ApiLab.Lab.Tests.RemoteZap;

/// <summary>The remote-zap comparison (issue 7: no empty cell without a reason).</summary>
public sealed class RemoteZapComparisonTests
{
    [Fact]
    public void Every_design_has_a_value_or_a_reason_in_every_row()
    {
        var comparison = ComparisonBuilder.Build(LabCatalog.FindDebate("remote-zap")!, new ManagerLoopScenario(), 2);
        Assert.Equal(["cooperative", "hint-only", "process-madvise-dontneed", "process-mrelease", "uffd-zap"],
            comparison.Designs.Select(static d => d.Design).Order(StringComparer.Ordinal));
        foreach (var design in comparison.Designs)
        {
            foreach (var row in comparison.Rows)
            {
                Assert.False(string.IsNullOrWhiteSpace(design.Cells[row.Key]), $"{design.Design}/{row.Key} is empty");
            }
        }

        var mrelease = comparison.Designs.Single(static d => d.Design == "process-mrelease");
        Assert.StartsWith("n/a: process_mrelease reaps only", mrelease.Cells["syscalls"], StringComparison.Ordinal);
        var hint = comparison.Designs.Single(static d => d.Design == "hint-only");
        Assert.Equal("0 (0%)", hint.Cells["harm"]);
        var dontneed = comparison.Designs.Single(static d => d.Design == "process-madvise-dontneed");
        Assert.Equal("PTRACE_MODE_READ_FSCREDS + CAP_SYS_NICE + CAP_SYS_PTRACE", dontneed.Cells["privilege"]);
        Assert.Equal("2", dontneed.Cells["tlb_flushes"]);
    }
}
