namespace ApiLab.Spec;

/// <summary>
/// The result describes the target's layout at one instant and may be stale by the time it is used. If
/// <see cref="RevalidatedBy"/> names a handle type, a later call that takes that handle in a
/// <see cref="RevalidatesAttribute"/> parameter is safe; without it, nothing can revalidate the snapshot.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SnapshotAttribute : Attribute
{
    public Type? RevalidatedBy { get; set; }
}
