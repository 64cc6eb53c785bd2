using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// userfaultfd(2), read(2) on it and its ioctls (fs/userfaultfd.c), as Linux 6.18 has them. Each call enters as a
/// syscall. The fd may be used by any process that holds it (pidfd_getfd, a FORK event): every ioctl acts on the mm
/// that created the userfaultfd, and UFFDIO_COPY's source is read from the caller's own memory.
/// </summary>
public sealed partial class Machine
{
    /// <summary>UFFD_API.</summary>
    public const ulong UffdApiVersion = 0xAA;

    /// <summary>
    /// userfaultfd(flags): EPERM first when kernel-mode faults are not allowed (no UFFD_USER_MODE_ONLY, no
    /// CAP_SYS_PTRACE, vm.unprivileged_userfaultfd off: userfaultfd_syscall_allowed), then EINVAL for flags other than
    /// O_CLOEXEC, O_NONBLOCK and UFFD_USER_MODE_ONLY, EMFILE when the fd table is full. The new fd needs UFFDIO_API.
    /// </summary>
    public SysResult<int> Userfaultfd(Process caller, UffdFlags flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "userfaultfd");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if ((flags & UffdFlags.UserModeOnly) == 0 && !caller.Credentials.Has(Capability.SysPtrace) && !Config.UnprivilegedUserfaultfd)
        {
            return Errno.EPERM;
        }

        if ((flags & ~(UffdFlags.UserModeOnly | UffdFlags.NonBlock | UffdFlags.CloExec)) != 0)
        {
            return Errno.EINVAL;
        }

        if (caller.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        var file = new UserfaultfdFile(NextObjectIdentity(), mm, flags);
        var fd = caller.Fds.Install(file);
        if (fd < 0)
        {
            return Errno.EMFILE;
        }

        file.FileRefs = 1;
        return fd;
    }

    /// <summary>
    /// UFFDIO_API (userfaultfd_api): api other than 0xAA → EINVAL; EVENT_FORK without CAP_SYS_PTRACE → EPERM; a
    /// feature the engine does not know → EINVAL; a second UFFDIO_API → EINVAL. Returns every supported feature and the
    /// fd's ioctls; the context keeps the features asked for.
    /// </summary>
    public SysResult<UffdApi> UffdioApi(Process caller, int fd, ulong api, UffdFeatures features)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_API");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var resolved = ResolveUffd(caller, fd, api: true);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        var uffd = resolved.Value;
        if (api != UffdApiVersion)
        {
            return Errno.EINVAL;
        }

        if ((features & UffdFeatures.EventFork) != 0 && !caller.Credentials.Has(Capability.SysPtrace))
        {
            return Errno.EPERM;
        }

        if ((features & UffdFeatures.WpAsync) != 0)
        {
            features |= UffdFeatures.WpUnpopulated;
        }

        if ((features & ~UffdFeatures.EngineSupported) != 0 || uffd.Initialized)
        {
            return Errno.EINVAL;
        }

        uffd.Initialize(features);
        return new UffdApi(UffdFeatures.EngineSupported, UffdIoctls.ApiIoctls);
    }

    /// <summary>
    /// UFFDIO_REGISTER: no mode or an unknown one → EINVAL; a range that is unaligned, empty, below mmap_min_addr or past
    /// TASK_SIZE → EINVAL; the userfaultfd's mm gone → ENOMEM; then <see cref="Mm.UffdRegister"/>'s checks. Returns the
    /// range ioctls (WRITEPROTECT only with WP mode, CONTINUE only with MINOR mode).
    /// </summary>
    public SysResult<UffdIoctls> UffdioRegister(Process caller, int fd, ulong start, ulong length, UffdRegisterMode mode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_REGISTER");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var resolved = ResolveUffd(caller, fd);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        var uffd = resolved.Value;
        if (mode == UffdRegisterMode.None || (mode & ~(UffdRegisterMode.Missing | UffdRegisterMode.Wp | UffdRegisterMode.Minor)) != 0
            || ValidateUffdRange(start, length) != Errno.None)
        {
            return Errno.EINVAL;
        }

        if (uffd.Mm.IsDead)
        {
            return Errno.ENOMEM;
        }

        var modes = ((mode & UffdRegisterMode.Missing) != 0 ? VmFlags.UffdMissing : VmFlags.None)
            | ((mode & UffdRegisterMode.Wp) != 0 ? VmFlags.UffdWp : VmFlags.None)
            | ((mode & UffdRegisterMode.Minor) != 0 ? VmFlags.UffdMinor : VmFlags.None);
        var error = uffd.Mm.UffdRegister(uffd, start, start + length, modes);
        if (error != Errno.None)
        {
            return error;
        }

        var ioctls = UffdIoctls.RangeIoctls;
        if ((mode & UffdRegisterMode.Wp) == 0)
        {
            ioctls &= ~UffdIoctls.Writeprotect;
        }

        if ((mode & UffdRegisterMode.Minor) == 0)
        {
            ioctls &= ~UffdIoctls.Continue;
        }

        return ioctls;
    }

    /// <summary>UFFDIO_UNREGISTER: a bad range → EINVAL; the mm gone → ENOMEM; then <see cref="Mm.UffdUnregister"/>.</summary>
    public SysResult<int> UffdioUnregister(Process caller, int fd, ulong start, ulong length)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_UNREGISTER");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var resolved = ResolveUffd(caller, fd);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        var uffd = resolved.Value;
        if (ValidateUffdRange(start, length) != Errno.None)
        {
            return Errno.EINVAL;
        }

        if (uffd.Mm.IsDead)
        {
            return Errno.ENOMEM;
        }

        var error = uffd.Mm.UffdUnregister(uffd, start, start + length);
        return error == Errno.None ? SysResult<int>.Ok(0) : error;
    }

    /// <summary>UFFDIO_WAKE: wakes the tasks asleep on faults in the range (a bad range → EINVAL). Works even after the
    /// userfaultfd's mm is gone.</summary>
    public SysResult<int> UffdioWake(Process caller, int fd, ulong start, ulong length)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_WAKE");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var resolved = ResolveUffd(caller, fd);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        if (ValidateUffdRange(start, length) != Errno.None)
        {
            return Errno.EINVAL;
        }

        resolved.Value.Wake(start, length);
        return 0;
    }

    /// <summary>
    /// UFFDIO_COPY (userfaultfd_copy): unread non-cooperative events → EAGAIN (copy = -EAGAIN); a wrapping or empty
    /// source, a bad destination range or an unknown mode → EINVAL (copy untouched, 0 here); the mm gone → ESRCH; then
    /// <see cref="Mm.UffdFillRange"/>. <paramref name="copy"/> is the bytes copied, or -errno if none were. Returns 0
    /// when everything was copied, EAGAIN when only part was, else the error. Wakes the tasks asleep on the copied part
    /// unless DONTWAKE.
    /// </summary>
    public SysResult<int> UffdioCopy(Process caller, int fd, ulong dst, ulong src, ulong length, UffdCopyMode mode, out long copy)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_COPY");
        if (scope.Blocked)
        {
            copy = 0;
            return Errno.ERESTARTSYS;
        }

        var valid = src + length > src && (mode & ~(UffdCopyMode.DontWake | UffdCopyMode.Wp)) == 0;
        return Fill(caller, fd, dst, src, length, UffdFill.Copy, valid, (mode & UffdCopyMode.Wp) != 0,
            (mode & UffdCopyMode.DontWake) != 0, out copy);
    }

    /// <summary>UFFDIO_ZEROPAGE: as UFFDIO_COPY, mapping zero pages (modes: DONTWAKE only).</summary>
    public SysResult<int> UffdioZeropage(Process caller, int fd, ulong start, ulong length, UffdZeropageMode mode, out long zeropage)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_ZEROPAGE");
        if (scope.Blocked)
        {
            zeropage = 0;
            return Errno.ERESTARTSYS;
        }

        return Fill(caller, fd, start, 0, length, UffdFill.Zeropage, (mode & ~UffdZeropageMode.DontWake) == 0, wp: false,
            (mode & UffdZeropageMode.DontWake) != 0, out zeropage);
    }

    /// <summary>UFFDIO_CONTINUE (5.13): as UFFDIO_COPY, mapping pages already in the shmem page cache (modes: DONTWAKE,
    /// WP); <paramref name="mapped"/> is the bytes mapped or -errno.</summary>
    public SysResult<int> UffdioContinue(Process caller, int fd, ulong start, ulong length, UffdContinueMode mode, out long mapped)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_CONTINUE");
        if (scope.Blocked)
        {
            mapped = 0;
            return Errno.ERESTARTSYS;
        }

        var valid = (mode & ~(UffdContinueMode.DontWake | UffdContinueMode.Wp)) == 0;
        return Fill(caller, fd, start, 0, length, UffdFill.Continue, valid, (mode & UffdContinueMode.Wp) != 0,
            (mode & UffdContinueMode.DontWake) != 0, out mapped);
    }

    /// <summary>
    /// The path COPY, ZEROPAGE and CONTINUE share, in their order of checks: the fd (EBADF / EINVAL); unread
    /// non-cooperative events → EAGAIN (<paramref name="filled"/> = -EAGAIN); a bad range or mode
    /// (<paramref name="valid"/> false) → EINVAL with <paramref name="filled"/> untouched (0 here); the mm gone → ESRCH;
    /// then the fill and its wake-ups.
    /// </summary>
    private SysResult<int> Fill(Process caller, int fd, ulong start, ulong source, ulong length, UffdFill kind, bool valid, bool wp,
        bool dontWake, out long filled)
    {
        filled = 0;
        var resolved = ResolveUffd(caller, fd);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        var uffd = resolved.Value;
        if (uffd.MmapChanging > 0)
        {
            filled = -(long)Errno.EAGAIN;
            return Errno.EAGAIN;
        }

        if (!valid || ValidateUffdRange(start, length) != Errno.None)
        {
            return Errno.EINVAL;
        }

        if (uffd.Mm.IsDead)
        {
            return Errno.ESRCH;
        }

        var done = uffd.Mm.UffdFillRange(uffd, caller, start, source, length, kind, wp, out var error);
        return FinishFill(uffd, start, length, done, error, dontWake, out filled);
    }

    /// <summary>
    /// UFFDIO_WRITEPROTECT (5.7): unread events → EAGAIN; a bad range, an unknown mode, or WP together with DONTWAKE →
    /// EINVAL; the mm gone → ESRCH; then <see cref="Mm.UffdWriteProtect"/>. Unprotecting wakes the range unless
    /// DONTWAKE.
    /// </summary>
    public SysResult<int> UffdioWriteprotect(Process caller, int fd, ulong start, ulong length, UffdWriteprotectMode mode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ioctl:UFFDIO_WRITEPROTECT");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var resolved = ResolveUffd(caller, fd);
        if (!resolved.IsOk)
        {
            return resolved.Error;
        }

        var uffd = resolved.Value;
        if (uffd.MmapChanging > 0)
        {
            return Errno.EAGAIN;
        }

        var protect = (mode & UffdWriteprotectMode.Wp) != 0;
        var dontWake = (mode & UffdWriteprotectMode.DontWake) != 0;
        if (ValidateUffdRange(start, length) != Errno.None || (mode & ~(UffdWriteprotectMode.Wp | UffdWriteprotectMode.DontWake)) != 0
            || (protect && dontWake))
        {
            return Errno.EINVAL;
        }

        if (uffd.Mm.IsDead)
        {
            return Errno.ESRCH;
        }

        var error = uffd.Mm.UffdWriteProtect(uffd, start, start + length, protect);
        if (error != Errno.None)
        {
            return error;
        }

        if (!protect && !dontWake)
        {
            uffd.Wake(start, length);
        }

        return 0;
    }

    /// <summary>
    /// read(2) of one struct uffd_msg (userfaultfd_read): EBADF for a closed fd, EINVAL for a file that is not a
    /// userfaultfd or one before UFFDIO_API; then the oldest unread page fault, else the oldest event; nothing → EAGAIN
    /// (O_NONBLOCK) or ERESTARTSYS (the reader would sleep until a message arrives).
    /// </summary>
    public SysResult<UffdMessage> UffdRead(Process caller, int fd)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "read");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return caller.Fds.Get(fd) switch
        {
            null => Errno.EBADF,
            UserfaultfdFile { Initialized: true } uffd => uffd.Read(caller),
            _ => Errno.EINVAL,
        };
    }

    /// <summary>One more fd refers to <paramref name="file"/> (dup_fd at fork: the struct file is shared).</summary>
    internal static void AcquireFile(object file)
    {
        if (file is UserfaultfdFile uffd)
        {
            uffd.FileRefs++;
        }
        else if (file is PageCacheFile memfd)
        {
            memfd.Shmem.FileRefs++;
        }
    }

    /// <summary>
    /// Drops one fd's reference to <paramref name="file"/>; the last reference to a userfaultfd releases it
    /// (userfaultfd_release): its ranges are unregistered (if its mm still exists), every task asleep on it woken and
    /// its queued events dropped, and the children of unread FORK events lose their registration.
    /// </summary>
    internal void ReleaseFile(object file)
    {
        if (file is PageCacheFile memfd)
        {
            // The last fd of a memfd nothing maps any more frees its pages.
            if (--memfd.Shmem.FileRefs == 0 && memfd.Shmem.Unused)
            {
                FreeShmem(memfd.Shmem);
            }

            return;
        }

        if (file is not UserfaultfdFile uffd || --uffd.FileRefs > 0)
        {
            return;
        }

        ReleaseContext(uffd, orphan: false);
    }

    /// <summary>
    /// userfaultfd_release (or, for the child context of a fork event nobody read, userfaultfd_release_new: its VMAs
    /// are reset without merging). Recursive: in the engine a child may fork again before its own fork event is read
    /// (Linux holds the child until then), so an orphan can have orphans.
    /// </summary>
    private static void ReleaseContext(UserfaultfdFile uffd, bool orphan)
    {
        if (!uffd.Mm.IsDead)
        {
            if (orphan)
            {
                uffd.Mm.UffdResetAll(uffd);
            }
            else
            {
                uffd.Mm.UffdReleaseAll(uffd);
            }
        }

        foreach (var child in uffd.Release())
        {
            ReleaseContext(child, orphan: true);
        }
    }

    /// <summary>The userfaultfd behind <paramref name="fd"/>: EBADF if not open, ENOTTY if another kind of file, EINVAL
    /// before UFFDIO_API for every ioctl but UFFDIO_API itself.</summary>
    private static SysResult<UserfaultfdFile> ResolveUffd(Process caller, int fd, bool api = false) => caller.Fds.Get(fd) switch
    {
        null => Errno.EBADF,
        UserfaultfdFile uffd when api || uffd.Initialized => uffd,
        UserfaultfdFile => Errno.EINVAL,
        _ => Errno.ENOTTY,
    };

    /// <summary>validate_range: page-aligned start and length, non-empty, at or above mmap_min_addr, below TASK_SIZE.</summary>
    private Errno ValidateUffdRange(ulong start, ulong length) =>
        !Page.IsAligned(start) || !Page.IsAligned(length) || length == 0 || start < Config.MmapMinAddr
            || start >= Page.TaskSize || length > Page.TaskSize - start
            ? Errno.EINVAL
            : Errno.None;

    /// <summary>The tail of userfaultfd_copy / _zeropage / _continue: the out field, the wake, and 0 / EAGAIN / error.</summary>
    private static SysResult<int> FinishFill(UserfaultfdFile uffd, ulong start, ulong length, long done, Errno error, bool dontWake,
        out long result)
    {
        if (done == 0)
        {
            // An ERESTARTSYS (the caller now sleeps on its own source page) is kernel-internal: the field is untouched.
            result = error == Errno.ERESTARTSYS ? 0 : -(long)error;
            return error;
        }

        result = done;
        if (!dontWake)
        {
            uffd.Wake(start, (ulong)done);
        }

        return (ulong)done == length ? SysResult<int>.Ok(0) : Errno.EAGAIN;
    }
}
