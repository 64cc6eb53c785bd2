namespace ApiLab.Spec;

/// <summary>After this call the <see cref="TargetRangeAttribute"/> ranges it took cannot change under the caller
/// (userfaultfd write-protect, a stopped target): a later <see cref="TargetVisibleAttribute"/> call on them loses no
/// write. Without it on every path, APILAB1004 reports the lost-write race.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FreezesAttribute : Attribute;
