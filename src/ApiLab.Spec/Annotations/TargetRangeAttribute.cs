namespace ApiLab.Spec;

/// <summary>This parameter holds addresses in the target's address space. Values derived from a
/// <see cref="SnapshotAttribute"/> result are only safe here if the call also takes a revalidating handle.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class TargetRangeAttribute : Attribute;
