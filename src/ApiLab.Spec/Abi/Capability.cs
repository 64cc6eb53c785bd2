namespace ApiLab.Spec;

/// <summary>Linux capability numbers (include/uapi/linux/capability.h).</summary>
public enum Capability
{
    Kill = 5,
    SetUid = 7,
    IpcLock = 14,
    SysRawio = 17,
    SysPtrace = 19,
    SysAdmin = 21,
    SysNice = 23,
    SysResource = 24,
    CheckpointRestore = 40,
}
