namespace ApiLab.Spec.Descriptors;

/// <summary>What an <see cref="AllocatesAttribute"/> call promises about the memory it creates, as flags.</summary>
[Flags]
public enum MemoryGuarantees
{
    None = 0,
    ExcludedFromDump = 1,
    HiddenFromChild = 2,
    NeverSwapped = 4,
    MayVanish = 8,
}
