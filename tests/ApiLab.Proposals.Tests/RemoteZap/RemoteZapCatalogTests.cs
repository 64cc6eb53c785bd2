using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>Issue 5's list for debate 2 (remote-zap): five designs, each with a generated adapter and descriptor.</summary>
public sealed class RemoteZapCatalogTests
{
    [Fact]
    public void Every_remote_zap_design_of_issue_5_has_a_descriptor()
    {
        var designs = ProposalCatalog.FromAssembly(typeof(ProcessMadviseDontneedAdapter).Assembly)
            .Where(static p => p.Debate == "remote-zap").Select(static p => p.Design).Order(StringComparer.Ordinal);
        Assert.Equal(["cooperative", "hint-only", "process-madvise-dontneed", "process-mrelease", "uffd-zap"], designs);
    }

    [Fact]
    public void The_zaps_are_declared_target_visible_and_the_hint_a_hint()
    {
        Assert.Equal(Effect.TargetVisible, ProcessMadviseDontneedAdapter.Descriptor.Calls[0].Effect);
        Assert.Equal(TlbFlush.OncePerCall, ProcessMadviseDontneedAdapter.Descriptor.Calls[0].Flush);
        Assert.Equal([Capability.SysNice, Capability.SysPtrace], ProcessMadviseDontneedAdapter.Descriptor.Calls[0].Capabilities);
        Assert.Equal(Effect.TargetVisible, UffdZapAdapter.Descriptor.Calls[0].Effect);
        Assert.Equal(Effect.Hint, HintOnlyReclaimAdapter.Descriptor.Calls[0].Effect);
        Assert.Equal(Outcome.Merged, ProcessMreleaseAdapter.Descriptor.Outcome);
        Assert.Equal(Outcome.Position, CooperativeZapAdapter.Descriptor.Outcome);
    }
}
