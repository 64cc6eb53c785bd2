using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>Facts about each madvise advice that several call sites need (mm/madvise.c's switch statements).</summary>
public static class AdviceInfo
{
    /// <summary>
    /// madvise_behavior_valid() for the engine's configuration: THP and KSM are modelled as flags only,
    /// MADV_COLLAPSE is accepted, CONFIG_MEMORY_FAILURE is off (HWPOISON / SOFT_OFFLINE → EINVAL).
    /// </summary>
    public static bool IsValid(Advice advice) => advice switch
    {
        Advice.Normal or Advice.Random or Advice.Sequential or Advice.WillNeed or Advice.DontNeed or Advice.Free
            or Advice.Remove or Advice.DontFork or Advice.DoFork or Advice.Mergeable or Advice.Unmergeable
            or Advice.HugePage or Advice.NoHugePage or Advice.DontDump or Advice.DoDump or Advice.WipeOnFork
            or Advice.KeepOnFork or Advice.Cold or Advice.PageOut or Advice.PopulateRead or Advice.PopulateWrite
            or Advice.DontNeedLocked or Advice.Collapse or Advice.GuardInstall or Advice.GuardRemove => true,
        _ => false,
    };

    /// <summary>process_madvise_remote_valid(): what a process may advise on another process's mm (6.1 onward).</summary>
    public static bool IsRemoteValid(Advice advice) =>
        advice is Advice.Cold or Advice.PageOut or Advice.WillNeed or Advice.Collapse;

    /// <summary>get_lock_mode(): the advices that change VMA flags take the mmap_lock for writing, the rest for reading,
    /// and DONTNEED, DONTNEED_LOCKED and FREE try a per-VMA lock first (<see cref="TriesVmaLock"/>).</summary>
    public static MmapLockMode LockMode(Advice advice) => advice switch
    {
        Advice.Remove or Advice.WillNeed or Advice.Cold or Advice.PageOut or Advice.PopulateRead or Advice.PopulateWrite
            or Advice.Collapse or Advice.GuardInstall or Advice.GuardRemove or Advice.DontNeed or Advice.DontNeedLocked
            or Advice.Free => MmapLockMode.Read,
        _ => MmapLockMode.Write,
    };

    /// <summary>MADVISE_VMA_READ_LOCK (6.16 for DONTNEED, 6.17 for FREE): try_vma_read_lock, falling back to the mmap
    /// read lock.</summary>
    public static bool TriesVmaLock(Advice advice) => advice is Advice.DontNeed or Advice.DontNeedLocked or Advice.Free;

    /// <summary>Advices that zap pages, for which vector_madvise batches one TLB flush over the whole call (6.16+).</summary>
    public static bool BatchesTlbPerCall(Advice advice) =>
        advice is Advice.DontNeed or Advice.DontNeedLocked or Advice.Free;

    /// <summary>
    /// The advice checks of process_madvise (6.18), steps 5 and 6 of PROPOSALS.md §6.1: an advice madvise() does not
    /// know → EINVAL; on another process's mm, anything outside COLD/PAGEOUT/WILLNEED/COLLAPSE → EINVAL (since 6.13
    /// the caller's own mm accepts every advice).
    /// </summary>
    public static Errno CheckProcessMadvise(Process caller, Process target, Advice advice)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        if (!IsValid(advice))
        {
            return Errno.EINVAL;
        }

        return !ReferenceEquals(caller.Mm, target.Mm) && !IsRemoteValid(advice) ? Errno.EINVAL : Errno.None;
    }
}
