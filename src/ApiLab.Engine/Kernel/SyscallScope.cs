namespace ApiLab.Engine;

/// <summary>
/// The span of one syscall. Entering counts it, gives the scheduler its scheduling point and makes the caller
/// <see cref="Machine.Current"/>; disposing restores the previous one, adds the call's costs to
/// <see cref="Machine.CallCosts"/> and runs the invariant checker when the machine asks for them. A caller stopped by a
/// signal does not enter at all (<see cref="Blocked"/>).
/// </summary>
public readonly ref struct SyscallScope
{
    private readonly Machine _machine;
    private readonly Process? _previous;
    private readonly string? _syscall;
    private readonly MachineStats? _atEntry;

    internal SyscallScope(Machine machine, Process? previous, string? syscall = null, MachineStats? atEntry = null,
        bool blocked = false)
    {
        _machine = machine;
        _previous = previous;
        _syscall = syscall;
        _atEntry = atEntry;
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
        if (_atEntry is not null)
        {
            _machine.AddCallCost(_syscall!, _atEntry);
        }

        if (_machine.Config.CheckInvariants)
        {
            _machine.CheckInvariants();
        }
    }
}
