namespace ApiLab.Fidelity.Running;

/// <summary>
/// A backend: something that can execute concrete syscalls for numbered processes (slot 0 is the first). The
/// interpreter turns a trace's names into numbers before calling, and numbers back into names after.
/// </summary>
public interface ITraceTarget : IDisposable
{
    string Name { get; }

    /// <summary>mmap; <paramref name="fd"/> is -1 for anonymous memory.</summary>
    Raw Mmap(int slot, ulong address, ulong length, int prot, int flags, int fd, ulong offset);

    /// <summary>memfd_create(name, MFD_CLOEXEC): the fd.</summary>
    Raw MemfdCreate(int slot, string name);

    Raw Ftruncate(int slot, int fd, ulong length);

    /// <summary>An empty unnamed regular file opened read-write with O_CLOEXEC (O_TMPFILE on the host): the fd.</summary>
    Raw OpenTmpfile(int slot, string name);

    Raw Msync(int slot, ulong address, ulong length, int flags);

    Raw Fsync(int slot, int fd);

    /// <summary>kill(pid, signal).</summary>
    Raw Kill(int slot, int pid, int signal);

    Raw Setpgid(int slot, int pid, int pgid);

    /// <summary>setsid: the new session id.</summary>
    Raw Setsid(int slot);

    /// <summary>getpgid(pid), or getsid(pid) when <paramref name="session"/>.</summary>
    Raw Getpgid(int slot, int pid, bool session);

    Raw Munmap(int slot, ulong address, ulong length);

    Raw Mprotect(int slot, ulong address, ulong length, int prot);

    Raw Madvise(int slot, ulong address, ulong length, int advice);

    Raw Mremap(int slot, ulong address, ulong oldLength, ulong newLength, int flags, ulong newAddress);

    Raw Load(int slot, ulong address);

    Raw Store(int slot, ulong address, ulong value);

    /// <summary>Forks the process in <paramref name="slot"/>; the child serves <paramref name="childSlot"/>.</summary>
    Raw Fork(int slot, int childSlot);

    Raw Exit(int slot);

    Raw SetUid(int slot, int uid);

    Raw SetDumpable(int slot, int value);

    /// <summary>The process's pid, for calls that name another process by pid.</summary>
    int PidOf(int slot);

    IReadOnlyList<MapsLine>? Maps(int slot);

    Raw PidfdOpen(int slot, int pid, uint flags);

    Raw Close(int slot, int fd);

    Raw ProcessMadvise(int slot, int pidfd, IReadOnlyList<(ulong Base, ulong Length)> ranges, int advice, uint flags);

    Raw Mseal(int slot, ulong address, ulong length, ulong flags);

    Raw Mlock(int slot, ulong address, ulong length, bool unlock);

    /// <summary>execve of the runner itself with <paramref name="args"/>: a new address space, the same process.</summary>
    Raw Exec(int slot, IReadOnlyList<string> args);

    /// <summary>userfaultfd(O_CLOEXEC | flags), then UFFDIO_API with <paramref name="features"/>; the fd.</summary>
    Raw Userfaultfd(int slot, uint flags, ulong features);

    /// <summary>UFFDIO_REGISTER, UNREGISTER, COPY, ZEROPAGE or WRITEPROTECT (by the trace's call name); COPY and
    /// ZEROPAGE answer the bytes filled.</summary>
    Raw UffdIoctl(int slot, string call, int fd, ulong address, ulong length, ulong source, ulong mode);

    /// <summary>A non-blocking read: the message encoded as address | event code | pagefault flags &lt;&lt; 8.</summary>
    Raw UffdRead(int slot, int fd);

    Raw ProcessVm(int slot, bool write, int pid, IReadOnlyList<(ulong Base, ulong Length)> local,
        IReadOnlyList<(ulong Base, ulong Length)> remote, ulong flags);
}
