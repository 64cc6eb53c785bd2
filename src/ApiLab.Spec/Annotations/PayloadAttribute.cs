namespace ApiLab.Spec;

/// <summary>
/// This parameter's bytes are written into memory by the call (process_vm_writev's local iovec contents, a UFFDIO_COPY
/// source, a store). <see cref="Into"/> names the parameter holding the destination address (use <c>nameof</c>); when
/// it is null the destination is the call's first <see cref="TargetRangeAttribute"/> parameter. APILAB1007 reports a
/// <see cref="SecretAttribute"/> value given here when the destination comes from an <see cref="AllocatesAttribute"/>
/// call that does not keep it out of core dumps and children.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class PayloadAttribute : Attribute
{
    /// <summary>The name of the parameter that holds the destination address or range.</summary>
    public string? Into { get; set; }
}
