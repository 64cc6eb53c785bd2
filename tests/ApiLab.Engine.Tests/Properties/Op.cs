namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// One random operation. The numbers are interpreted against the current state (which process, which page, how
/// long), so every sequence is valid and CsCheck can shrink a failing one freely.
/// </summary>
internal readonly record struct Op(OpKind Kind, int A, int B, int C);

internal enum OpKind
{
    Mmap,
    Store,
    Load,
    Munmap,
    DontNeed,
    PageOutOrCold,
    Free,
    Mprotect,
    Fork,
    Exit,
    Reclaim,
    Mremap,
    ReadRemote,
    GuardInstall,
    GuardRemove,
    DontForkOrDoFork,
    WipeOnFork,
    Remove,
    Exec,
    Mlock,
    Mlockall,
    Mseal,
    UffdRegister,
    UffdWriteProtect,
    MapFile,
    Ftruncate,
    Setpgid,
    Setsid,
    Kill,
}
