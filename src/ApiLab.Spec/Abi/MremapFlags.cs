namespace ApiLab.Spec;

/// <summary>mremap(2) flags.</summary>
[Flags]
public enum MremapFlags
{
    None = 0,
    MayMove = 1,
    Fixed = 2,
    DontUnmap = 4,
}
