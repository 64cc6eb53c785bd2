namespace ApiLab.Engine;

/// <summary>vm_flags, with Linux's bit values (include/linux/mm.h, x86-64).</summary>
[Flags]
public enum VmFlags : ulong
{
    None = 0,
    Read = 0x1,
    Write = 0x2,
    Exec = 0x4,
    Shared = 0x8,
    MayRead = 0x10,
    MayWrite = 0x20,
    MayExec = 0x40,
    MayShare = 0x80,
    GrowsDown = 0x100,
    UffdMissing = 0x200,
    PfnMap = 0x400,
    UffdWp = 0x1000,
    Locked = 0x2000,
    Io = 0x4000,
    SeqRead = 0x8000,
    RandRead = 0x10000,
    DontCopy = 0x20000,
    DontExpand = 0x40000,
    /// <summary>VM_LOCKONFAULT (4.4): locked, but populated by faults rather than at mlock time.</summary>
    LockOnFault = 0x80000,
    Account = 0x100000,
    NoReserve = 0x200000,
    HugeTlb = 0x400000,
    WipeOnFork = 0x2000000,
    DontDump = 0x4000000,
    SoftDirty = 0x8000000,
    MixedMap = 0x10000000,
    HugePage = 0x20000000,
    NoHugePage = 0x40000000,
    Mergeable = 0x80000000,
    Droppable = 1UL << 40,
    /// <summary>VM_UFFD_MINOR (bit 41 on x86-64, CONFIG_HAVE_ARCH_USERFAULTFD_MINOR).</summary>
    UffdMinor = 1UL << 41,
    Sealed = 1UL << 42,

    /// <summary>VM_LOCKED_MASK.</summary>
    LockedMask = Locked | LockOnFault,

    /// <summary>VM_STACK_INCOMPLETE_SETUP: marks exec's temporary stack until setup_arg_pages is done with it.</summary>
    StackIncompleteSetup = RandRead | SeqRead,

    /// <summary>VM_SPECIAL: never merged, never expanded.</summary>
    Special = Io | DontExpand | PfnMap | MixedMap,
    AccessMask = Read | Write | Exec,

    /// <summary>__VM_UFFD_FLAGS: set exactly when the VMA is registered with a userfaultfd.</summary>
    UffdMask = UffdMissing | UffdWp | UffdMinor,
}
