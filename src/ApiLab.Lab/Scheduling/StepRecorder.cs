using ApiLab.Engine;

namespace ApiLab.Lab;

/// <summary>The engine hook during a race: records the syscalls of the step that is running, and enforces that a
/// step makes at least one (a step with none is not a scheduling point and would hide interleavings).</summary>
internal sealed class StepRecorder : ISyscallHook
{
    public List<string> Current { get; } = [];

    public void OnSyscallEnter(Process caller, string syscall) => Current.Add(syscall);
}
