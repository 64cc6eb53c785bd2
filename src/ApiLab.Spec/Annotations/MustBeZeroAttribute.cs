namespace ApiLab.Spec;

/// <summary>A reserved flags argument: any bit set is EINVAL, checked before anything else (as every mm syscall does).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class MustBeZeroAttribute : Attribute;
