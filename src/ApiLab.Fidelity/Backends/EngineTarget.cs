using ApiLab.Engine;
using ApiLab.Fidelity.Running;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Fidelity.Backends;

/// <summary>The simulated engine as a trace backend. The first process runs as root, like the host runner.</summary>
public sealed class EngineTarget : ITraceTarget
{
    private readonly List<Process?> _slots = [];
    private int _tmpfiles;

    public EngineTarget(MachineConfig? config = null)
    {
        Machine = new Machine(config ?? new MachineConfig { CheckInvariants = true });
        _slots.Add(Machine.Spawn(Credentials.Root, "tracerun").Value);
    }

    public string Name => "engine";

    public Machine Machine { get; }

    public Raw Mmap(int slot, ulong address, ulong length, int prot, int flags, int fd, ulong offset) =>
        With(slot, p => p.Mmap(address, length, (Prot)prot, (MapFlags)flags, fd, offset));

    public Raw MemfdCreate(int slot, string name) => With(slot, p => Machine.MemfdCreate(p, name, Machine.MfdCloexec));

    public Raw Ftruncate(int slot, int fd, ulong length) => With(slot, p => Machine.Ftruncate(p, fd, unchecked((long)length)));

    /// <summary>A regular file in the engine's namespace, unlinked at once as O_TMPFILE's is (so "(deleted)" in maps).</summary>
    public Raw OpenTmpfile(int slot, string name) => With(slot, p =>
    {
        var path = $"/tmp/#{name}.{_tmpfiles++}";
        Machine.CreateFile(path, []);
        var fd = Machine.Open(p, path, Machine.ORdwr | Machine.OCloexec);
        Machine.Unlink(p, path);
        return fd;
    });

    public Raw Msync(int slot, ulong address, ulong length, int flags) => With(slot, p => p.Msync(address, length, flags));

    public Raw Fsync(int slot, int fd) => With(slot, p => Machine.Fsync(p, fd));

    public Raw Kill(int slot, int pid, int signal) => With(slot, p => Machine.Kill(p, pid, signal));

    public Raw Setpgid(int slot, int pid, int pgid) => With(slot, p => Machine.Setpgid(p, pid, pgid));

    public Raw Setsid(int slot) => With(slot, Machine.Setsid);

    public Raw Getpgid(int slot, int pid, bool session) =>
        With(slot, p => session ? Machine.Getsid(p, pid) : Machine.Getpgid(p, pid));

    public Raw Munmap(int slot, ulong address, ulong length) => With(slot, p => p.Munmap(address, length));

    public Raw Mprotect(int slot, ulong address, ulong length, int prot) => With(slot, p => p.Mprotect(address, length, (Prot)prot));

    public Raw Madvise(int slot, ulong address, ulong length, int advice) => With(slot, p => p.Madvise(address, length, (Advice)advice));

    public Raw Mremap(int slot, ulong address, ulong oldLength, ulong newLength, int flags, ulong newAddress) =>
        With(slot, p => p.Mremap(address, oldLength, newLength, (MremapFlags)flags, newAddress));

    public Raw Load(int slot, ulong address) => Access(P(slot)?.Load(address));

    public Raw Store(int slot, ulong address, ulong value) => Access(P(slot)?.Store(address, value), store: true);

    public Raw Fork(int slot, int childSlot)
    {
        if (P(slot) is not { } parent)
        {
            return Raw.Errno((int)Errno.ESRCH);
        }

        var child = Machine.Fork(parent);
        if (!child.IsOk)
        {
            return Raw.Errno((int)child.Error);
        }

        while (_slots.Count <= childSlot)
        {
            _slots.Add(null);
        }

        _slots[childSlot] = child.Value;
        return Raw.Ok((ulong)child.Value.Pid);
    }

    public Raw Exit(int slot)
    {
        if (P(slot) is not { } process)
        {
            return Raw.Errno((int)Errno.ESRCH);
        }

        Machine.Exit(process);
        return Raw.Ok(0);
    }

    public Raw SetUid(int slot, int uid) => With(slot, p => p.SetResUid(uid, uid, uid));

    public Raw SetDumpable(int slot, int value) => With(slot, p => p.PrctlSetDumpable(value));

    public int PidOf(int slot) => slot < _slots.Count && _slots[slot] is { } p ? p.Pid : -1;

    public IReadOnlyList<MapsLine>? Maps(int slot) => P(slot)?.Mm is { } mm ? MapsText.Parse(mm.FormatMaps()) : null;

    public Raw PidfdOpen(int slot, int pid, uint flags) =>
        With(slot, p => Machine.PidfdOpen(p, new Pid(pid), flags));

    public Raw Close(int slot, int fd) => With(slot, p => Machine.Close(p, fd));

    public Raw ProcessMadvise(int slot, int pidfd, IReadOnlyList<(ulong Base, ulong Length)> ranges, int advice, uint flags)
    {
        if (P(slot) is not { } p)
        {
            return Raw.Errno((int)Errno.ESRCH);
        }

        var iov = ranges.Select(static r => new IoVec(r.Base, r.Length)).ToArray();
        return Result(new MainlineMadviseAdapter(p).Advise(new Pidfd(pidfd), iov, (Advice)advice, flags));
    }

    public Raw Mseal(int slot, ulong address, ulong length, ulong flags) => With(slot, p => p.Mseal(address, length, flags));

    public Raw Mlock(int slot, ulong address, ulong length, bool unlock) =>
        With(slot, p => unlock ? p.Munlock(address, length) : p.Mlock(address, length));

    /// <summary>The host runner re-executes itself as "tracerun --worker SLOT FD args...": the same argv here.</summary>
    public Raw Exec(int slot, IReadOnlyList<string> args) =>
        With(slot, p => p.Execve(["tracerun", "--worker", "0", "0", .. args], []) is { IsOk: false } failed ? failed.Error : SysResult<int>.Ok(0));

    public Raw Userfaultfd(int slot, uint flags, ulong features) => With(slot, p =>
    {
        var fd = Machine.Userfaultfd(p, (UffdFlags)(flags | (uint)UffdFlags.CloExec));
        if (!fd.IsOk)
        {
            return fd;
        }

        var api = Machine.UffdioApi(p, fd.Value, Machine.UffdApiVersion, (UffdFeatures)features);
        if (!api.IsOk)
        {
            Machine.Close(p, fd.Value);
            return api.Error;
        }

        return fd;
    });

    public Raw UffdIoctl(int slot, string call, int fd, ulong address, ulong length, ulong source, ulong mode) => With(slot, p =>
    {
        long filled;
        return call switch
        {
            // (each arm a SysResult<long>: bytes filled for COPY/ZEROPAGE, 0 otherwise)
            "uffd_register" => Machine.UffdioRegister(p, fd, address, length, (UffdRegisterMode)mode) is { IsOk: false } r
                ? SysResult<long>.Fail(r.Error)
                : SysResult<long>.Ok(0),
            "uffd_unregister" => Machine.UffdioUnregister(p, fd, address, length) is { IsOk: false } u
                ? SysResult<long>.Fail(u.Error)
                : SysResult<long>.Ok(0),
            "uffd_copy" => Machine.UffdioCopy(p, fd, address, source, length, (UffdCopyMode)mode, out filled) is { IsOk: false } c
                ? SysResult<long>.Fail(c.Error)
                : SysResult<long>.Ok(filled),
            "uffd_zeropage" => Machine.UffdioZeropage(p, fd, address, length, (UffdZeropageMode)mode, out filled) is { IsOk: false } z
                ? SysResult<long>.Fail(z.Error)
                : SysResult<long>.Ok(filled),
            _ => Machine.UffdioWriteprotect(p, fd, address, length, (UffdWriteprotectMode)mode) is { IsOk: false } w
                ? SysResult<long>.Fail(w.Error)
                : SysResult<long>.Ok(0),
        };
    });

    public Raw UffdRead(int slot, int fd) => With(slot, p =>
    {
        var message = Machine.UffdRead(p, fd);
        if (!message.IsOk)
        {
            return SysResult<ulong>.Fail(message.Error);
        }

        var m = message.Value;
        var address = m.Event switch
        {
            UffdEventType.Pagefault => m.Address,
            UffdEventType.Remap => m.RemapFrom,
            UffdEventType.Fork => 0UL,
            _ => m.Start,
        };
        var flags = m.Event == UffdEventType.Pagefault ? (ulong)m.PagefaultFlags & 0xf : 0;
        return SysResult<ulong>.Ok((address & ~0xfffUL) | (ulong)m.Event | (flags << 8));
    });

    public Raw ProcessVm(int slot, bool write, int pid, IReadOnlyList<(ulong Base, ulong Length)> local,
        IReadOnlyList<(ulong Base, ulong Length)> remote, ulong flags)
    {
        if (P(slot) is not { } p)
        {
            return Raw.Errno((int)Errno.ESRCH);
        }

        var l = local.Select(static r => new IoVec(r.Base, r.Length)).ToArray();
        var r = remote.Select(static r => new IoVec(r.Base, r.Length)).ToArray();
        return Result(write ? Machine.ProcessVmWritev(p, new Pid(pid), l, r, flags) : Machine.ProcessVmReadv(p, new Pid(pid), l, r, flags));
    }

    public void Dispose()
    {
    }

    /// <summary>The live process in a slot; an exited one answers as the host runner's dead worker does (ESRCH).</summary>
    private Process? P(int slot) => slot < _slots.Count && _slots[slot] is { State: ProcessState.Running } p ? p : null;

    private Raw With<T>(int slot, Func<Process, SysResult<T>> call) where T : notnull =>
        P(slot) is { } p ? Result(call(p)) : Raw.Errno((int)Errno.ESRCH);

    private static Raw Result<T>(SysResult<T> r) where T : notnull
    {
        if (!r.IsOk)
        {
            return Raw.Errno((int)r.Error);
        }

        return r.Value switch
        {
            ulong u => Raw.Ok(u),
            long l => Raw.Ok(unchecked((ulong)l)),
            int i => Raw.Ok(unchecked((ulong)i)),
            Pidfd fd => Raw.Ok(unchecked((ulong)fd.Fd)),
            _ => Raw.Ok(0),
        };
    }

    /// <summary>A program's load or store: EFAULT is the SIGSEGV it would get, EIO the SIGBUS.</summary>
    private static Raw Access(SysResult<ulong>? result, bool store = false) => result switch
    {
        null => Raw.Errno((int)Errno.ESRCH),
        { Error: Errno.EFAULT } => Raw.Signal(11),
        { Error: Errno.EIO } => Raw.Signal(7),
        { IsOk: false } r => Raw.Errno((int)r.Error),
        { } r => Raw.Ok(store ? 0 : r.Value),
    };
}
