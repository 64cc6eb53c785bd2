namespace ApiLab.Spec;

/// <summary>mmap(2) flags (x86-64 values). The low nibble (<see cref="TypeMask"/>) is the mapping type.</summary>
[Flags]
public enum MapFlags
{
    None = 0,
    Shared = 0x01,
    Private = 0x02,
    SharedValidate = 0x03,
    /// <summary>MAP_DROPPABLE (6.11): a mapping type of its own, exclusive with SHARED and PRIVATE.</summary>
    Droppable = 0x08,
    TypeMask = 0x0f,
    Fixed = 0x10,
    Anonymous = 0x20,
    GrowsDown = 0x0100,
    Locked = 0x2000,
    NoReserve = 0x4000,
    Populate = 0x8000,
    FixedNoReplace = 0x100000,
}
