using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Tests;

public sealed class ComparisonTests
{
    [Fact]
    public void Every_design_of_the_debate_has_a_column_and_no_cell_is_empty()
    {
        var debate = LabCatalog.FindDebate("remote-madvise")!;
        var comparison = ComparisonBuilder.Build(debate, LabCatalog.PrimaryScenario("remote-madvise")!, 4);
        Assert.Equal(["cookie", "fd-per-vma", "filters", "mainline", "procmap-query"], comparison.Designs.Select(static d => d.Design));
        foreach (var design in comparison.Designs)
        {
            foreach (var row in comparison.Rows)
            {
                Assert.False(string.IsNullOrWhiteSpace(design.Cells.GetValueOrDefault(row.Key)), $"{design.Design}/{row.Key}");
            }
        }

        var mainline = comparison.Designs.Single(static d => d.Design == "mainline");
        var cookie = comparison.Designs.Single(static d => d.Design == "cookie");
        Assert.Equal("merged in 5.10", mainline.Cells["outcome"]);
        Assert.Equal("PTRACE_MODE_READ_FSCREDS + CAP_SYS_NICE", mainline.Cells["privilege"]);
        Assert.StartsWith("none", mainline.Cells["toctou"], StringComparison.Ordinal);
        Assert.Equal("revalidated by LayoutCookie", cookie.Cells["toctou"]);
        Assert.NotNull(mainline.Example);
        Assert.Null(cookie.Example);
        Assert.Equal("PTRACE_MODE_READ_FSCREDS + CAP_CHECKPOINT_RESTORE",
            comparison.Designs.Single(static d => d.Design == "fd-per-vma").Cells["privilege"]);
    }

    [Fact]
    public void The_catalog_finds_every_generated_descriptor()
    {
        Assert.Equal(
            ["remote-madvise/cookie", "remote-madvise/fd-per-vma", "remote-madvise/filters", "remote-madvise/mainline", "remote-madvise/procmap-query"],
            LabCatalog.DesignsOf("remote-madvise").Select(static p => p.Id));
    }
}
