using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// process_vm_readv(2) / process_vm_writev(2) (mm/process_vm_access.c). The target is a raw pid, looked up at call
/// time: a recycled pid reaches whichever process holds it now. Contents move page by page (the engine keeps one
/// content word per page), so a transfer copies the word of every page it covers.
/// </summary>
public sealed partial class Machine
{
    public SysResult<long> ProcessVmReadv(Process caller, Pid pid, ReadOnlySpan<IoVec> local, ReadOnlySpan<IoVec> remote, ulong flags) =>
        ProcessVmTransfer(caller, pid, local, remote, flags, write: false);

    public SysResult<long> ProcessVmWritev(Process caller, Pid pid, ReadOnlySpan<IoVec> local, ReadOnlySpan<IoVec> remote, ulong flags) =>
        ProcessVmTransfer(caller, pid, local, remote, flags, write: true);

    /// <summary>
    /// Checks in process_vm_rw's order: flags → EINVAL; either iovec count over UIO_MAXIOV or a negative length →
    /// EINVAL; nothing to copy on either side → 0 (before the pid is looked up); no such pid → ESRCH; ptrace
    /// ATTACH_REALCREDS denied → EPERM (mm_access's EACCES is turned into EPERM); no mm → ESRCH. A page that faults ends
    /// the transfer: the bytes moved so far, or EFAULT if none. Both sides fault in kernel mode (GUP on the remote mm,
    /// copy_to/from_user on the local one): a userfaultfd-registered page makes the caller sleep (ERESTARTSYS: retry
    /// the whole call once the monitor resolved it), or, with UFFD_USER_MODE_ONLY, fail (EFAULT).
    /// </summary>
    private SysResult<long> ProcessVmTransfer(Process caller, Pid pid, ReadOnlySpan<IoVec> local, ReadOnlySpan<IoVec> remote,
        ulong flags, bool write)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, write ? "process_vm_writev" : "process_vm_readv");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (flags != 0 || local.Length > IoVec.Max || remote.Length > IoVec.Max)
        {
            return Errno.EINVAL;
        }

        ulong localTotal = 0;
        foreach (var iov in local)
        {
            if (iov.Length > long.MaxValue)
            {
                return Errno.EINVAL;
            }

            localTotal += iov.Length;
        }

        ulong remoteTotal = 0;
        foreach (var iov in remote)
        {
            if (iov.Length > long.MaxValue)
            {
                return Errno.EINVAL;
            }

            remoteTotal |= iov.Length;
        }

        // process_vm_rw returns 0 for an empty local iovec, and process_vm_rw_core for a remote one with no pages,
        // both before the pid is looked up.
        if (localTotal == 0 || remoteTotal == 0)
        {
            return 0L;
        }

        if (pid.Value <= 0 || !_byPid.TryGetValue(pid.Value, out var target))
        {
            return Errno.ESRCH;
        }

        var access = PtraceAccess.MmAccess(caller, target, PtraceMode.AttachRealCreds);
        if (!access.IsOk)
        {
            return access.Error == Errno.EACCES ? Errno.EPERM : access.Error;
        }

        return CopyProcessVm(caller, access.Value, local, remote, write);
    }

    /// <summary>
    /// process_vm_rw_core once the checks have passed: moves the bytes between <paramref name="caller"/>'s memory and
    /// <paramref name="remoteMm"/>, remote element by remote element (partial at element granularity, EFAULT if nothing
    /// moved). No syscall is entered: for adapters that already entered theirs.
    /// </summary>
    public SysResult<long> CopyProcessVm(Process caller, Mm remoteMm, ReadOnlySpan<IoVec> local, ReadOnlySpan<IoVec> remote, bool write)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(remoteMm);
        var cursor = new LocalCursor(local);
        long done = 0;
        foreach (var iov in remote)
        {
            done += TransferOne(caller, remoteMm, iov, ref cursor, write, out var stop);
            if (stop == Errno.ERESTARTSYS)
            {
                return Errno.ERESTARTSYS;
            }

            if (stop != Errno.None || cursor.Exhausted)
            {
                Stats.BytesCopied += done;
                remoteMm.Stats.BytesCopied += done;
                return done > 0 || stop == Errno.None ? done : Errno.EFAULT;
            }
        }

        Stats.BytesCopied += done;
        remoteMm.Stats.BytesCopied += done;
        return done;
    }

    /// <summary>PVM_MAX_PP_ARRAY_COUNT-sized batches: how many remote pages process_vm_rw_single_vec pins at a time.</summary>
    private const int MaxPinnedPages = (2 * (int)Page.Size) / 8;

    /// <summary>
    /// process_vm_rw_single_vec for one remote element: pins a batch of remote pages first (GUP faults them in, writable
    /// for writev, so they are populated even if the local side then faults: host-verified), then copies them page by
    /// page to or from the local iov_iter. Returns the bytes moved; <paramref name="stop"/> is why it stopped early:
    /// a page that could not be reached on either side (EFAULT or the fault's error), or ERESTARTSYS when the caller
    /// now sleeps in a userfault.
    /// </summary>
    private long TransferOne(Process caller, Mm remote, IoVec iov, ref LocalCursor cursor, bool write, out Errno stop)
    {
        stop = Errno.None;
        var origin = FaultOrigin.Kernel(caller);
        if (caller.Mm is not { } local)
        {
            stop = Errno.ESRCH;
            return 0;
        }

        long copied = 0;
        var address = iov.Base;
        var end = iov.Base + Math.Min(iov.Length, cursor.Remaining);
        while (address < end)
        {
            var batchEnd = address;
            // process_vm_rw_single_vec pins each batch under the remote mm's read lock, and copies after dropping it.
            using (remote.LockMmap(MmapLockMode.Read))
            {
                for (var pinned = 0; batchEnd < end && pinned < MaxPinnedPages; pinned++)
                {
                    var pin = remote.GupFault(batchEnd, write, origin);
                    if (pin != Errno.None)
                    {
                        stop = pin == Errno.ERESTARTSYS ? pin : Errno.EFAULT;
                        break;
                    }

                    batchEnd = Math.Min(Page.AlignDown(batchEnd) + Page.Size, end);
                }
            }

            while (address < batchEnd)
            {
                var chunk = Math.Min(Page.Size - (address & Page.Mask), batchEnd - address);
                var localAddress = cursor.Current;
                SysResult<ulong> moved;
                if (write)
                {
                    var value = local.Access(localAddress, write: false, 0, origin);
                    moved = value.IsOk ? remote.Access(address, write: true, value.Value, origin) : value.Error;
                }
                else
                {
                    var value = remote.Access(address, write: false, 0, origin);
                    moved = value.IsOk ? local.Access(localAddress, write: true, value.Value, origin) : value.Error;
                }

                if (!moved.IsOk)
                {
                    stop = moved.Error == Errno.ERESTARTSYS ? Errno.ERESTARTSYS : Errno.EFAULT;
                    return copied;
                }

                Stats.PagesCopied++;
                remote.Stats.PagesCopied++;
                cursor.Advance(chunk);
                copied += (long)chunk;
                address += chunk;
            }

            if (stop != Errno.None)
            {
                return copied;
            }
        }

        return copied;
    }

    /// <summary>Where the next byte of the local iovec array goes.</summary>
    private ref struct LocalCursor(ReadOnlySpan<IoVec> local)
    {
        private readonly ReadOnlySpan<IoVec> _local = local;
        private int _index;
        private ulong _offset;

        public readonly bool Exhausted => _index >= _local.Length;

        public ulong Current
        {
            get
            {
                Skip();
                return Exhausted ? 0 : _local[_index].Base + _offset;
            }
        }

        public ulong Remaining
        {
            get
            {
                ulong total = 0;
                for (var i = _index; i < _local.Length; i++)
                {
                    total += _local[i].Length - (i == _index ? _offset : 0);
                }

                return total;
            }
        }

        public void Advance(ulong bytes)
        {
            _offset += bytes;
            Skip();
        }

        private void Skip()
        {
            while (_index < _local.Length && _offset >= _local[_index].Length)
            {
                _offset -= _local[_index].Length;
                _index++;
            }
        }
    }
}
