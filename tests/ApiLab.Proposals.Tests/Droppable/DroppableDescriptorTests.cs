using System.Reflection;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>The five designs of issue 5's droppable debate, declared as the thread and mainline have them.</summary>
public sealed class DroppableDescriptorTests
{
    [Fact]
    public void The_debate_has_its_five_designs_with_their_outcomes()
    {
        var designs = ProposalCatalog.FromAssembly(typeof(MapDroppableAdapter).Assembly)
            .Where(static d => d.Debate == "droppable").ToDictionary(static d => d.Design);
        Assert.Equal(["libc", "map-droppable", "special-mapping", "v14-retry", "v14-skip"], designs.Keys.Order());
        Assert.Equal(Outcome.Merged, designs["map-droppable"].Outcome);
        Assert.Equal("6.11", designs["map-droppable"].MergedIn);
        Assert.Equal(Outcome.Position, designs["libc"].Outcome);
        Assert.Equal(Outcome.NeverMerged, designs["special-mapping"].Outcome);
        Assert.Equal(Outcome.MergedDifferently, designs["v14-skip"].Outcome);
        Assert.Equal(Outcome.MergedDifferently, designs["v14-retry"].Outcome);
        Assert.All(designs.Values, d => Assert.Equal("002_310b7bb94a93504d.txt", d.Seed));
    }

    [Theory]
    [InlineData(typeof(IVgetrandomAllocSkip), "Alloc", true, true, true, true)]
    [InlineData(typeof(IVgetrandomAllocRetry), "Alloc", true, true, true, true)]
    [InlineData(typeof(ISpecialMappingStates), "Alloc", false, true, true, true)]
    [InlineData(typeof(IMapDroppable), "Map", true, true, true, true)]
    [InlineData(typeof(ILibcStates), "Map", false, false, false, false)]
    public void Each_allocating_call_declares_its_guarantees(Type spec, string method, bool dump, bool child, bool swap, bool vanish)
    {
        var allocates = spec.GetMethod(method)!.GetCustomAttribute<AllocatesAttribute>()!;
        Assert.Equal((dump, child, swap, vanish),
            (allocates.ExcludedFromDump, allocates.HiddenFromChild, allocates.NeverSwapped, allocates.MayVanish));
    }
}
