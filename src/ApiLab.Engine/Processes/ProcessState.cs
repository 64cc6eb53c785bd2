namespace ApiLab.Engine;

/// <summary>Where a process is in its life. A zombie keeps its pid (and pidfds still name it) but has no mm.</summary>
public enum ProcessState
{
    Running,
    Zombie,
    Reaped,
}
