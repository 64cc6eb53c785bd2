namespace ApiLab.Spec;

/// <summary>The system call (or ioctl, or /proc read) a spec member models. Every adapter call is one syscall: it is
/// counted, and it is a scheduling point for the race explorer.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SyscallAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
