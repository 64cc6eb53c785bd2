using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Docs.Rules;

/// <summary>
/// Which usage rules can fire on code calling a design, decided from what its calls declare — the same annotations
/// the rules read, so a design page lists exactly the diagnostics its callers can meet.
/// </summary>
public static class RuleApplicability
{
    public static IReadOnlyList<(string Id, string Why)> For(ProposalDescriptor design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var calls = design.Calls;
        var found = new List<(string, string)>();
        var snapshot = calls.FirstOrDefault(static c => c.Snapshot);
        if (snapshot is not null)
        {
            found.Add(("APILAB1001", snapshot.RevalidatedBy is null
                ? $"{snapshot.Method} returns a snapshot nothing can revalidate"
                : $"{snapshot.Method} returns a snapshot; ranges from it need a {snapshot.RevalidatedBy}"));
        }

        Add("APILAB1002", static c => c.Target == TargetKind.Pid, static c => $"{c.Method} names its target by raw pid");
        Add("APILAB1003", static c => c.PartialResult, static c => $"{c.Method} can half-succeed");
        Add("APILAB1004", static c => c.Effect == Effect.TargetVisible && c.Target is not TargetKind.Self,
            static c => $"{c.Method} changes what another process reads");
        Add("APILAB1005", static c => c.ReleasesHandle, static c => $"{c.Method} closes a handle");
        Add("APILAB1006", static c => c.Mode != PtraceMode.None || c.Capabilities.Count > 0,
            static c => $"{c.Method} needs privilege on a foreign mm");
        // APILAB1007 fires only on memory a dump or a child can see: not on memory that is neither.
        const MemoryGuarantees hidden = MemoryGuarantees.ExcludedFromDump | MemoryGuarantees.HiddenFromChild;
        Add("APILAB1007", static c => c.Allocates && (c.Guarantees & hidden) != hidden,
            static c => $"{c.Method} creates memory a core dump or a child can see ({c.Guarantees})");
        return found;

        void Add(string id, Func<CallDescriptor, bool> applies, Func<CallDescriptor, string> why)
        {
            if (calls.FirstOrDefault(applies) is { } call)
            {
                found.Add((id, why(call)));
            }
        }
    }
}
