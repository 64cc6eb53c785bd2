using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// Linus Torvalds' position, quoted in the v14 thread (<c>&lt;Y7SDgtXayQCy6xT6@zx2c4.com&gt;</c>; the debate's seed is
/// 002_310b7bb94a93504d.txt): "This should all be in libc" — the kernel "SHOULD NOT CARE". The baseline is plain
/// private anonymous memory that the library manages with what every kernel already offers: madvise(MADV_WIPEONFORK)
/// so a child sees zeros, madvise(MADV_DONTDUMP) so a dump leaves it out, and optionally mlock so it never reaches
/// swap. The mlock is what Donenfeld said cannot be relied on (v14 2/7: "mlock is rlimited and not inherited"): it
/// fails beyond RLIMIT_MEMLOCK without CAP_IPC_LOCK, a forked child's copy is unlocked, and until it succeeds the
/// state can be written to swap. Nothing here vanishes under pressure: the pages swap instead. A position, not a patch.
/// </summary>
[Proposal("droppable", "libc", Title = "Do it in libc: anonymous memory + WIPEONFORK/DONTDUMP (+ mlock)",
    Seed = "002_310b7bb94a93504d.txt", Author = "Linus Torvalds", Date = "2023-01-03",
    Outcome = Outcome.Position)]
public partial interface ILibcStates
{
    /// <summary>mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0): plain memory, with
    /// none of the guarantees until the calls below add them.</summary>
    [Syscall("mmap"), Target(TargetKind.Self), InvalidatesLayout]
    [Allocates(ExcludedFromDump = false, HiddenFromChild = false, NeverSwapped = false, MayVanish = false)]
    SysResult<ulong> Map(ulong length);

    /// <summary>madvise(2) on the library's own range: MADV_WIPEONFORK and MADV_DONTDUMP are the two it needs.</summary>
    [Syscall("madvise"), Target(TargetKind.Self)]
    SysResult<int> Advise(ulong address, ulong length, Advice advice);

    /// <summary>mlock(2): ENOMEM beyond RLIMIT_MEMLOCK unless the caller has CAP_IPC_LOCK.</summary>
    [Syscall("mlock"), Target(TargetKind.Self)]
    SysResult<int> Lock(ulong address, ulong length);
}
