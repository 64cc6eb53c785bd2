namespace ApiLab.Spec;

/// <summary>
/// The call creates memory in the caller and returns its address. The properties say what the kernel guarantees
/// about it, which is what decides whether secrets may be stored there (APILAB1007) and what the docs show.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AllocatesAttribute : Attribute
{
    /// <summary>A core dump never contains it (VM_DONTDUMP).</summary>
    public bool ExcludedFromDump { get; set; }

    /// <summary>A child never sees its contents: wiped (VM_WIPEONFORK) or unmapped on fork.</summary>
    public bool HiddenFromChild { get; set; }

    /// <summary>It never reaches swap (dropped instead of swapped, or locked).</summary>
    public bool NeverSwapped { get; set; }

    /// <summary>The owner may find it zeroed at any time (VM_DROPPABLE): callers must tolerate it.</summary>
    public bool MayVanish { get; set; }
}
