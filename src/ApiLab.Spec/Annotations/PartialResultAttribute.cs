namespace ApiLab.Spec;

/// <summary>The call can half-succeed: it returns how much it did before the first failure, so a caller must compare
/// the result with what it asked for, not only test for failure.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PartialResultAttribute : Attribute;
