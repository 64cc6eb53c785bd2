namespace ApiLab.Spec;

/// <summary>ptrace access modes as <c>ptrace_may_access</c> takes them: one of READ/ATTACH and one credential source.</summary>
[Flags]
public enum PtraceMode
{
    None = 0,
    Read = 0x01,
    Attach = 0x02,
    /// <summary>Compare the caller's filesystem uid/gid (what most remote-mm calls use).</summary>
    FsCreds = 0x04,
    /// <summary>Compare the caller's real uid/gid.</summary>
    RealCreds = 0x08,
    ReadFsCreds = Read | FsCreds,
    ReadRealCreds = Read | RealCreds,
    AttachFsCreds = Attach | FsCreds,
    AttachRealCreds = Attach | RealCreds,
}
