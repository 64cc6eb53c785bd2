namespace ApiLab.Engine;

/// <summary>userfaultfd(2) flags (include/uapi/linux/userfaultfd.h, fcntl.h).</summary>
[Flags]
public enum UffdFlags : uint
{
    None = 0,

    /// <summary>UFFD_USER_MODE_ONLY (5.11): faults taken in kernel mode (GUP, copy_to/from_user) get SIGBUS, i.e.
    /// EFAULT from the syscall, instead of sleeping. Needed by unprivileged callers (vm.unprivileged_userfaultfd=0).</summary>
    UserModeOnly = 1,
    NonBlock = 0x800,
    CloExec = 0x80000,
}

/// <summary>UFFD_FEATURE_* bits negotiated by UFFDIO_API (6.18 numbering).</summary>
[Flags]
public enum UffdFeatures : ulong
{
    None = 0,
    PagefaultFlagWp = 1 << 0,
    EventFork = 1 << 1,
    EventRemap = 1 << 2,
    EventRemove = 1 << 3,
    MissingHugetlbfs = 1 << 4,
    MissingShmem = 1 << 5,
    EventUnmap = 1 << 6,
    Sigbus = 1 << 7,
    ThreadId = 1 << 8,
    MinorHugetlbfs = 1 << 9,
    MinorShmem = 1 << 10,
    ExactAddress = 1 << 11,
    WpHugetlbfsShmem = 1 << 12,
    WpUnpopulated = 1 << 13,
    Poison = 1 << 14,
    WpAsync = 1 << 15,
    Move = 1 << 16,

    /// <summary>
    /// What the engine's UFFDIO_API reports and accepts: the 6.18 host reports 0x1ffff; the engine leaves out
    /// POISON, WP_ASYNC and MOVE (their ioctls and fault modes are not modelled). The hugetlbfs bits only announce
    /// that registration works on hugetlbfs, which is vacuously true here (no hugetlbfs), so they are accepted.
    /// </summary>
    EngineSupported = PagefaultFlagWp | EventFork | EventRemap | EventRemove | MissingHugetlbfs | MissingShmem | EventUnmap
        | Sigbus | ThreadId | MinorHugetlbfs | MinorShmem | ExactAddress | WpHugetlbfsShmem | WpUnpopulated,
}

/// <summary>UFFDIO_REGISTER_MODE_*.</summary>
[Flags]
public enum UffdRegisterMode : ulong
{
    None = 0,
    Missing = 1 << 0,
    Wp = 1 << 1,
    Minor = 1 << 2,
}

/// <summary>The ioctl bitmask UFFDIO_API and UFFDIO_REGISTER return (bit n = ioctl number _UFFDIO_* n).</summary>
[Flags]
public enum UffdIoctls : ulong
{
    None = 0,
    Register = 1UL << 0x00,
    Unregister = 1UL << 0x01,
    Wake = 1UL << 0x02,
    Copy = 1UL << 0x03,
    Zeropage = 1UL << 0x04,
    Move = 1UL << 0x05,
    Writeprotect = 1UL << 0x06,
    Continue = 1UL << 0x07,
    Poison = 1UL << 0x08,
    Api = 1UL << 0x3F,

    /// <summary>UFFD_API_IOCTLS.</summary>
    ApiIoctls = Register | Unregister | Api,

    /// <summary>UFFD_API_RANGE_IOCTLS without MOVE and POISON, which the engine does not implement (the host's mask
    /// for an anonymous MISSING range is 0x13c; the engine's is 0x1c).</summary>
    RangeIoctls = Wake | Copy | Zeropage | Writeprotect | Continue,
}

/// <summary>UFFDIO_COPY_MODE_*.</summary>
[Flags]
public enum UffdCopyMode : ulong
{
    None = 0,
    DontWake = 1 << 0,

    /// <summary>Map the page write-protected (the VMA must be registered in WP mode).</summary>
    Wp = 1 << 1,
}

/// <summary>UFFDIO_ZEROPAGE_MODE_*.</summary>
[Flags]
public enum UffdZeropageMode : ulong
{
    None = 0,
    DontWake = 1 << 0,
}

/// <summary>UFFDIO_WRITEPROTECT_MODE_*: WP set protects, WP clear unprotects (and wakes, unless DONTWAKE).</summary>
[Flags]
public enum UffdWriteprotectMode : ulong
{
    None = 0,
    Wp = 1 << 0,
    DontWake = 1 << 1,
}

/// <summary>UFFDIO_CONTINUE_MODE_*.</summary>
[Flags]
public enum UffdContinueMode : ulong
{
    None = 0,
    DontWake = 1 << 0,
    Wp = 1 << 1,
}

/// <summary>struct uffd_msg's event numbers.</summary>
public enum UffdEventType : byte
{
    Pagefault = 0x12,
    Fork = 0x13,
    Remap = 0x14,
    Remove = 0x15,
    Unmap = 0x16,
}

/// <summary>UFFD_PAGEFAULT_FLAG_*: why a page fault was reported. Neither WP nor MINOR means a MISSING fault.</summary>
[Flags]
public enum UffdPagefaultFlags : ulong
{
    None = 0,
    Write = 1 << 0,
    Wp = 1 << 1,
    Minor = 1 << 2,
}

/// <summary>What UFFDIO_API writes back: every feature the kernel supports, and the ioctls usable on the fd.</summary>
public readonly record struct UffdApi(UffdFeatures Features, UffdIoctls Ioctls);
