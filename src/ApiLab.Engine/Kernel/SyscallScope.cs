namespace ApiLab.Engine;

/// <summary>
/// The span of one syscall. Entering counts it, gives the scheduler its scheduling point and makes the caller
/// <see cref="Machine.Current"/>; disposing restores the previous one and runs the invariant checker when the machine
/// asks for it.
/// </summary>
public readonly ref struct SyscallScope
{
    private readonly Machine _machine;
    private readonly Process? _previous;

    internal SyscallScope(Machine machine, Process? previous)
    {
        _machine = machine;
        _previous = previous;
    }

    public void Dispose()
    {
        if (_machine is null)
        {
            return;
        }

        _machine.Current = _previous;
        if (_machine.Config.CheckInvariants)
        {
            _machine.CheckInvariants();
        }
    }
}
