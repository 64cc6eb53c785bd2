namespace ApiLab.Engine;

/// <summary>
/// The span of one syscall. Entering counts it and gives the scheduler its scheduling point; disposing runs the
/// invariant checker when the machine asks for it.
/// </summary>
public readonly ref struct SyscallScope
{
    private readonly Machine _machine;

    internal SyscallScope(Machine machine) => _machine = machine;

    public void Dispose()
    {
        if (_machine is { Config.CheckInvariants: true })
        {
            _machine.CheckInvariants();
        }
    }
}
