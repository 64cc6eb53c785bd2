namespace ApiLab.Spec;

/// <summary>mlock2(2) flags.</summary>
[Flags]
public enum MlockFlags
{
    None = 0,
    /// <summary>MLOCK_ONFAULT (4.4): lock pages as they are faulted in instead of populating the range now.</summary>
    OnFault = 1,
}
