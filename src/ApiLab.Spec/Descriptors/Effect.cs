namespace ApiLab.Spec.Descriptors;

/// <summary>What a call's effect on the target is, as the spec declares it.</summary>
public enum Effect
{
    /// <summary>Neither hint nor target-visible (queries, local calls).</summary>
    Unspecified,
    Hint,
    TargetVisible,
}
