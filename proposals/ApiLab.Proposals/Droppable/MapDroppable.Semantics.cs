using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>The hand-written part of MAP_DROPPABLE: the engine's mmap, plus the MAP_HUGETLB refusal it cannot express.</summary>
public sealed partial class MapDroppableAdapter
{
    /// <summary>MAP_HUGETLB (x86-64), which the engine's MapFlags does not model.</summary>
    public const MapFlags MapHugeTlb = (MapFlags)0x40000;

    /// <summary>No fault-path change in the merged code: VM_FAULT_OOM as for any memory.</summary>
    public const WriteFaultPolicy FaultPolicy = WriteFaultPolicy.OomKill;

    /// <summary>The vDSO's vgetrandom_opaque_params.mmap_flags on x86-64 and arm64: MAP_ANONYMOUS | MAP_DROPPABLE.</summary>
    public const MapFlags StateFlags = MapFlags.Anonymous | MapFlags.Droppable;

    /// <summary>A store by the caller into its own memory, as this design's kernel handles its faults.</summary>
    public StoreResult Store(ulong address, ulong value) => UserStore.Write(Caller, address, value, FaultPolicy);

    /// <summary>do_mmap's MAP_DROPPABLE case refuses MAP_HUGETLB (host: EINVAL, even with no huge pages reserved).</summary>
    partial void ValidateMap(Process target, ulong address, ulong length, Prot prot, MapFlags flags, int fd, ulong offset, ref Errno error)
    {
        if ((flags & MapFlags.TypeMask) == MapFlags.Droppable && (flags & MapHugeTlb) != 0)
        {
            error = Errno.EINVAL;
        }
    }

    private partial SysResult<ulong> MapCore(Process target, ulong address, ulong length, Prot prot, MapFlags flags, int fd, ulong offset)
    {
        if (target.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        ShmemObject? file = null;
        if ((flags & MapFlags.Anonymous) == 0 && Page.IsAligned(offset))
        {
            if (target.Fds.Get(fd) is not { } open)
            {
                return Errno.EBADF;
            }

            file = (open as MemfdFile)?.Shmem;
            if (file is null)
            {
                return Errno.ENODEV;
            }
        }

        return mm.Mmap(address, length, prot, flags, target.Credentials.Has(Capability.SysRawio), file, offset);
    }
}
