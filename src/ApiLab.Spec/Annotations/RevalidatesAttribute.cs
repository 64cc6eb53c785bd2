namespace ApiLab.Spec;

/// <summary>This parameter carries a handle (cookie, per-VMA fd) that the kernel checks before acting; the call fails,
/// changing nothing, if the layout it vouches for moved on.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class RevalidatesAttribute : Attribute;
