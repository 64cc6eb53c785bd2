using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>process_vm_mmap v2: the restorer pulls the mapping, PVMMAP_FIXED_NOREPLACE at the address it wants.</summary>
public sealed class ProcessVmMmapDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IProcessVmMmap _api = new ProcessVmMmapAdapter(restorer);

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        var mapped = _api.Map(pid, src, length, dst, 0x02);
        return mapped.IsOk ? (long)length : mapped.Error;
    }
}

/// <summary>The move variant: the same call; the source's PTEs go with it.</summary>
public sealed class MoveDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IMoveVmMmap _api = new MoveVmMmapAdapter(restorer);

    public override bool MovesPages => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        var moved = _api.Move(pid, src, length, dst, 0x02);
        return moved.IsOk ? (long)length : moved.Error;
    }
}

/// <summary>The status quo: the restorer pulls a copy with process_vm_readv into its already mapped heap.</summary>
public sealed class VmCopyDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IVmCopy _api = new VmCopyAdapter(restorer);

    public override bool NeedsMappedDestination => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst) =>
        _api.Read(pid, [new IoVec(dst, length)], [new IoVec(src, length)], 0);
}

/// <summary>
/// Horn's splice: the process holding the data (the page server: here the source itself) splices it into the
/// restorer's /proc/pid/mem, one pipe-full per call. Without a source process there is nobody to push (ESRCH).
/// </summary>
public sealed class ProcMemSpliceDriver(Process restorer) : TransferDriver(restorer)
{
    public override bool NeedsMappedDestination => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        if (source is null)
        {
            return Errno.ESRCH;
        }

        IProcMemSplice api = new ProcMemSpliceAdapter(source);
        long done = 0;
        while ((ulong)done < length)
        {
            var spliced = api.Splice(new Pid(Restorer.Pid), src + (ulong)done, dst + (ulong)done, length - (ulong)done);
            if (!spliced.IsOk)
            {
                return done > 0 ? done : spliced.Error;
            }

            done += spliced.Value;
        }

        return done;
    }
}

/// <summary>
/// Hocko's shared memory: the source's heap is a memfd, whose fd the restorer already holds (taken with pidfd_getfd
/// at setup); a transfer maps it MAP_SHARED. A fork child's heap is that same memfd.
/// </summary>
public sealed class MemfdDriver(Process restorer, int fd) : TransferDriver(restorer)
{
    private readonly IMemfdShare _api = new MemfdShareAdapter(restorer);

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        if (source is null)
        {
            return Errno.ESRCH;
        }

        var mapped = _api.MapShared(fd, length, dst);
        return mapped.IsOk ? (long)length : mapped.Error;
    }
}
