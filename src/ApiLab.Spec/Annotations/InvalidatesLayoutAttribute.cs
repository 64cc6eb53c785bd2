namespace ApiLab.Spec;

/// <summary>The call may change the target's layout, so any snapshot taken before it is stale afterwards.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InvalidatesLayoutAttribute : Attribute;
