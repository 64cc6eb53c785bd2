using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>The hand-written part of the libc baseline: three ordinary syscalls on the engine.</summary>
public sealed partial class LibcStatesAdapter
{
    /// <summary>Ordinary memory: VM_FAULT_OOM and the OOM killer.</summary>
    public const WriteFaultPolicy FaultPolicy = WriteFaultPolicy.OomKill;

    /// <summary>A store by the caller into its own memory.</summary>
    public StoreResult Store(ulong address, ulong value) => UserStore.Write(Caller, address, value, FaultPolicy);

    private partial SysResult<ulong> MapCore(Process target, ulong length) =>
        target.Mm is { } mm ? mm.MmapAnonymous(0, length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous) : Errno.ESRCH;

    private partial SysResult<int> AdviseCore(Process target, ulong address, ulong length, Advice advice) =>
        target.Mm is { } mm ? mm.Madvise(address, length, advice) : Errno.ESRCH;

    private partial SysResult<int> LockCore(Process target, ulong address, ulong length) =>
        target.Mm is { } mm ? mm.Mlock(address, length) : Errno.ESRCH;
}
