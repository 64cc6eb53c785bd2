using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>
/// A raw-pid call that checks its arguments before looking its target up, as process_vm_mmap does (EINVAL for a bad
/// length or pid &lt;= 0 before ESRCH). A parameter named <c>error</c> makes the hook rename its own.
/// </summary>
[Proposal("test-vma-duplication", "early-check-like", Seed = "003_test.txt")]
internal partial interface IEarlyCheckLike
{
    /// <summary>Duplicates <paramref name="length"/> bytes of <paramref name="pid"/>'s memory.</summary>
    [Syscall("process_dup"), Target(TargetKind.Pid), Requires(PtraceMode.AttachRealCreds), ChecksArgumentsFirst]
    SysResult<ulong> Duplicate(Pid pid, ulong length, int error = 0);
}
