using ApiLab.Lab.Comparison;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Docs;

/// <summary>What each annotation on a call means, in words, for the design pages.</summary>
internal static class AnnotationText
{
    public static IReadOnlyList<string> Explain(CallDescriptor call)
    {
        var lines = new List<string>
        {
            call.Target switch
            {
                TargetKind.Pid => "[Target(Pid)]: names its target by a raw pid, which may be reused by another process before the call.",
                TargetKind.Pidfd => "[Target(Pidfd)]: names its target by a pidfd, which keeps naming the same process (ESRCH once it is reaped).",
                TargetKind.VmaFd => "[Target(VmaFd)]: acts on the one VMA an fd was opened on.",
                TargetKind.Uffd => "[Target(Uffd)]: scoped to the ranges registered with a userfaultfd.",
                TargetKind.ProcFd => "[Target(ProcFd)]: acts through an fd opened on a /proc/<pid> file.",
                _ => "[Target(Self)]: acts on the caller's own address space.",
            },
        };
        if (call.Mode != PtraceMode.None)
        {
            lines.Add($"[Requires({call.Mode})]: the caller must pass ptrace_may_access with {PrivilegeText.Mode(call.Mode)} (denied: {call.DeniedErrno}).");
        }

        if (call.Capabilities.Count > 0)
        {
            lines.Add($"Capabilities on a foreign mm: {string.Join(", ", call.Capabilities.Select(PrivilegeText.Capability))} (EPERM without).");
        }

        lines.Add(call.Effect switch
        {
            Effect.Hint => "[Hint]: may change performance, never what the target reads.",
            Effect.TargetVisible => "[TargetVisible]: changes what the target reads afterwards (a zap).",
            _ => "No effect declared: the call describes or sets up, it does not advise.",
        });
        if (call.Vectored)
        {
            lines.Add($"[Vectored({call.Flush})]: takes an iovec array (at most 1024 entries) under one lock; TLB flushes {Flush(call.Flush)}.");
        }

        if (call.Snapshot)
        {
            lines.Add(call.RevalidatedBy is null
                ? "[Snapshot]: the result describes the layout at one instant and nothing can revalidate it."
                : $"[Snapshot(RevalidatedBy = {call.RevalidatedBy})]: the result may go stale; a call presenting the {call.RevalidatedBy} is refused if it has.");
        }

        Add(call.TakesRevalidatingHandle, "[Revalidates]: the kernel checks the handle first and changes nothing if the layout moved on.");
        Add(call.PartialResult, "[PartialResult]: can half-succeed; the result says how much was done before the first failure.");
        Add(call.InvalidatesLayout, "[InvalidatesLayout]: changes the layout, so earlier snapshots are stale afterwards.");
        Add(call.Freezes, "[Freezes]: afterwards the ranges cannot change under the caller (write-protected), so a zap loses no write.");
        Add(call.ReleasesHandle, "[Releases]: closes the handle it takes; using it afterwards is an error.");
        Add(call.Allocates, $"[Allocates]: creates memory in the caller; guarantees: {call.Guarantees}.");
        return lines;

        void Add(bool when, string text)
        {
            if (when)
            {
                lines.Add(text);
            }
        }
    }

    private static string Flush(TlbFlush flush) => flush switch
    {
        TlbFlush.PerEntry => "once per iovec entry",
        TlbFlush.PerVma => "once per VMA touched",
        _ => "once for the whole call",
    };
}
