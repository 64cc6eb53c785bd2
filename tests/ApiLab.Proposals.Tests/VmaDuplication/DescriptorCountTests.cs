using ApiLab.Spec.Descriptors;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>Issue 5's list for seed 003: five designs, each with a generated adapter.</summary>
public sealed class DescriptorCountTests
{
    [Fact]
    public void Vma_duplication_has_the_five_designs_of_issue_5()
    {
        var designs = ProposalCatalog.FromAssembly(typeof(ApiLab.Proposals.VmaDuplication.IProcessVmMmap).Assembly)
            .Where(static d => d.Debate == "vma-duplication").ToArray();
        Assert.Equal(["memfd", "move", "proc-mem-splice", "process-vm-mmap", "vm-writev"],
            designs.Select(static d => d.Design).Order(StringComparer.Ordinal));
        Assert.All(designs, static d => Assert.Equal("003_e3f5c1e57564c3cc.txt", d.Seed));
        Assert.All(designs, static d => Assert.NotNull(d.AdapterType));
    }
}
