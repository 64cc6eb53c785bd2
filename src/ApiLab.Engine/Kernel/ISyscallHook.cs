namespace ApiLab.Engine;

/// <summary>Called at every syscall entry: the one place the lab's scheduler and tracers see the simulated system.</summary>
public interface ISyscallHook
{
    void OnSyscallEnter(Process caller, string syscall);
}
