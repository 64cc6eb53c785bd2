namespace ApiLab.Spec;

/// <summary>mlockall(2) flags (x86-64 values).</summary>
[Flags]
public enum MlockallFlags
{
    None = 0,
    /// <summary>MCL_CURRENT: lock every page mapped now.</summary>
    Current = 1,
    /// <summary>MCL_FUTURE: lock every mapping made from now on (mm->def_flags gets VM_LOCKED).</summary>
    Future = 2,
    /// <summary>MCL_ONFAULT (4.4): with CURRENT or FUTURE, lock pages only as they are faulted in.</summary>
    OnFault = 4,
}
