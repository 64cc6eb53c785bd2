namespace ApiLab.Spec;

/// <summary>
/// The permission a call needs on a target that is not the caller itself: a ptrace access mode (checked the way
/// <c>ptrace_may_access</c> does) and capabilities. The adapter checks the mode first, then runs the design's
/// argument validation, then the capabilities, which is the order mainline process_madvise uses.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiresAttribute(PtraceMode mode, params Capability[] capabilities) : Attribute
{
    public PtraceMode Mode { get; } = mode;

    public Capability[] Capabilities { get; } = capabilities;

    /// <summary>The errno a failed ptrace check gives. <c>mm_access</c> says EACCES; process_vm_readv turns it into EPERM.</summary>
    public Errno DeniedErrno { get; set; } = Errno.EACCES;
}
