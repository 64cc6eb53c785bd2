using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>
/// Raw-pid and local calls, for the generator's tests: a zap whose ptrace denial is EPERM (as process_vm_readv's),
/// and a vectored madvise on the caller itself. Its parameters exercise keywords, defaults and name clashes.
/// </summary>
[Proposal("test-madvise", "pid-like", Seed = "001_test.txt", Outcome = Outcome.Merged, MergedIn = "5.10")]
internal partial interface IPidLike
{
    /// <summary>Zaps <paramref name="length"/> bytes at <paramref name="start"/> in whichever process holds
    /// <paramref name="pid"/> now.</summary>
    [Syscall("process_zap"), Target(TargetKind.Pid), TargetVisible, InvalidatesLayout]
    [Requires(PtraceMode.AttachRealCreds, DeniedErrno = Errno.EPERM)]
    SysResult<ulong> Zap(Pid pid, [TargetRange] ulong start, ulong length, [MustBeZero] int @fixed = 0);

    /// <summary>madvise(2) over an iovec array, on the caller itself.</summary>
    [Syscall("madvise_vec"), Target(TargetKind.Self), Vectored(TlbFlush.PerEntry), Freezes]
    [Allocates(ExcludedFromDump = true, MayVanish = true)]
    SysResult<int> AdviseSelf(IoVec[] ranges, Advice advice = Advice.Cold, string? error = "a\"b\\c");
}
