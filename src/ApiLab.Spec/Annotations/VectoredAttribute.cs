namespace ApiLab.Spec;

/// <summary>The call takes an iovec array (at most <see cref="IoVec.Max"/> entries; more is EINVAL), processes it in
/// order under one lock acquisition, and batches TLB flushes as <see cref="Flush"/> says.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class VectoredAttribute(TlbFlush flush = TlbFlush.OncePerCall) : Attribute
{
    public TlbFlush Flush { get; } = flush;
}
