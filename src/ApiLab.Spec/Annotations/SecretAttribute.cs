namespace ApiLab.Spec;

/// <summary>Client code marks a value as one that must not leak (a key, RNG state): writing it to memory that a
/// core dump contains or a child inherits is a diagnostic (APILAB1007).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.ReturnValue,
    AllowMultiple = false, Inherited = false)]
public sealed class SecretAttribute : Attribute;
