using ApiLab.Generators.Tests.TestData;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Generators.Tests;

/// <summary>The generated descriptors (built into this project from TestData/) say what the specs declare.</summary>
public sealed class DescriptorTests
{
    [Fact]
    public void The_catalog_finds_one_descriptor_per_spec_through_the_assembly_attributes()
    {
        var catalog = ProposalCatalog.FromAssembly(typeof(DescriptorTests).Assembly);

        Assert.Equal(["test-madvise/cookie-like", "test-madvise/pid-like"], catalog.Select(d => d.Id));
        Assert.Same(CookieLikeAdapter.Descriptor, catalog[0]);
        Assert.Equal(typeof(PidLikeAdapter), catalog[1].AdapterType);
    }

    [Fact]
    public void Proposal_fields_come_from_the_attribute_and_the_docs()
    {
        var d = CookieLikeAdapter.Descriptor;

        Assert.Equal("Cookie \"like\" design", d.Title);
        Assert.Equal(("000_test.txt", "A. Tester", "2019-05-28"), (d.Seed, d.Author, d.Date));
        Assert.Equal(Outcome.NeverMerged, d.Outcome);
        Assert.Null(d.MergedIn);
        Assert.Equal("ICookieLike", d.InterfaceName);
        Assert.Equal(
            "A cookie-checked process_madvise, for the generator's tests: a query returns the layout's LayoutCookie, "
            + "and every later call presents it (\"test only\", not a real design).",
            d.Summary);
    }

    [Fact]
    public void Missing_proposal_fields_get_their_defaults()
    {
        var d = PidLikeAdapter.Descriptor;

        Assert.Equal("pid-like", d.Title);
        Assert.Equal(("", ""), (d.Author, d.Date));
        Assert.Equal((Outcome.Merged, "5.10"), (d.Outcome, d.MergedIn));
    }

    [Fact]
    public void Call_fields_come_from_the_method_attributes()
    {
        var advise = CookieLikeAdapter.Descriptor.Calls[1];

        Assert.Equal(
            "SysResult<long> Advise(Pidfd target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, LayoutCookie cookie)",
            advise.Signature);
        Assert.Equal(("Advise", "process_madvise", TargetKind.Pidfd, PtraceMode.ReadFsCreds), (advise.Method, advise.Syscall, advise.Target, advise.Mode));
        Assert.Equal([Capability.SysNice], advise.Capabilities);
        Assert.Equal((Errno.EACCES, Effect.Hint, true, TlbFlush.OncePerCall), (advise.DeniedErrno, advise.Effect, advise.Vectored, advise.Flush));
        Assert.True(advise.TakesRevalidatingHandle && advise.PartialResult && !advise.Snapshot && !advise.InvalidatesLayout);
        Assert.Equal("Applies advice to ranges, unless cookie is stale.", advise.Summary);

        var query = CookieLikeAdapter.Descriptor.Calls[0];
        Assert.True(query.Snapshot);
        Assert.Equal("LayoutCookie", query.RevalidatedBy);
        Assert.Empty(query.Capabilities);
        Assert.Equal(Effect.Unspecified, query.Effect);
    }

    [Fact]
    public void Defaults_apply_when_a_call_omits_attributes()
    {
        var zap = PidLikeAdapter.Descriptor.Calls[0];
        var self = PidLikeAdapter.Descriptor.Calls[1];

        Assert.Equal((TargetKind.Pid, PtraceMode.AttachRealCreds, Errno.EPERM), (zap.Target, zap.Mode, zap.DeniedErrno));
        Assert.Equal((Effect.TargetVisible, true, false), (zap.Effect, zap.InvalidatesLayout, zap.Vectored));
        Assert.Equal((TargetKind.Self, PtraceMode.None, Errno.EACCES), (self.Target, self.Mode, self.DeniedErrno));
        Assert.Equal((true, TlbFlush.PerEntry), (self.Vectored, self.Flush));
        Assert.Null(self.RevalidatedBy);
        Assert.Equal((false, false, MemoryGuarantees.None), (zap.Freezes, zap.Allocates, zap.Guarantees));
    }

    [Fact]
    public void Freezes_and_allocation_guarantees_reach_the_descriptor()
    {
        var self = PidLikeAdapter.Descriptor.Calls[1];

        Assert.True(self.Freezes);
        Assert.True(self.Allocates);
        Assert.Equal(MemoryGuarantees.ExcludedFromDump | MemoryGuarantees.MayVanish, self.Guarantees);
        Assert.False(self.ReleasesHandle);
    }
}
