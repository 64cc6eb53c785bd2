namespace ApiLab.Engine;

/// <summary>
/// The span of one syscall. Entering counts it, gives the scheduler its scheduling point and makes the caller
/// <see cref="Machine.Current"/>; disposing restores the previous one and runs the invariant checker when the machine
/// asks for it. A caller stopped by a signal does not enter at all (<see cref="Blocked"/>).
/// </summary>
public readonly ref struct SyscallScope
{
    private readonly Machine _machine;
    private readonly Process? _previous;

    internal SyscallScope(Machine machine, Process? previous, bool blocked = false)
    {
        _machine = machine;
        _previous = previous;
        Blocked = blocked;
    }

    /// <summary>The caller is stopped (SIGSTOP and friends): it does not run, so the syscall must return ERESTARTSYS at
    /// once and change nothing, as a load or store of a task asleep in a userfault does; it is issued again once the
    /// task is continued. Such an entry is neither counted nor a scheduling point.</summary>
    public bool Blocked { get; }

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
