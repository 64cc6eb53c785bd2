namespace ApiLab.Spec;

/// <summary>Says how the call names its target. For <see cref="TargetKind.Pid"/> and <see cref="TargetKind.Pidfd"/>
/// the first parameter of that type is the target; the adapter resolves it (ESRCH, EBADF) before anything else.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TargetAttribute(TargetKind kind) : Attribute
{
    public TargetKind Kind { get; } = kind;
}
