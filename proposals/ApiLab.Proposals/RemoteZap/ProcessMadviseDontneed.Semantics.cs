using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>The hand-written part of remote DONTNEED: the widened advice check, then mainline's vector_madvise.</summary>
public sealed partial class ProcessMadviseDontneedAdapter
{
    partial void ValidateZap(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, ref Errno error) =>
        error = advice is Advice.DontNeed or Advice.DontNeedLocked ? Errno.None : Errno.EINVAL;

    // vector_madvise zaps each entry (madvise_dontneed_free: VM_LOCKED / VM_PFNMAP → EINVAL, UFFD_EVENT_REMOVE) into one
    // mmu_gather and flushes it once.
    private partial SysResult<long> ZapCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) =>
        VectorMadvise.Apply(target.Mm!, ranges, advice);

    private partial SysResult<int> WriteProtectCore(Process target, int uffd, IoVec range) =>
        Caller.Machine.UffdioWriteprotect(Caller, uffd, range.Base, range.Length, UffdWriteprotectMode.Wp);
}
