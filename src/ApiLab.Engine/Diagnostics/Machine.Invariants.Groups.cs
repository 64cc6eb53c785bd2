namespace ApiLab.Engine;

/// <summary>The invariant checker's process-group and session part.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Every member of a group is in one session; a session leader leads its session and its group, and only a leader
    /// has its own pid as session id; every pid, group and session number in use is held by the allocator (so it
    /// cannot be handed out again while a group or session uses it); a stopped task is a running one.
    /// </summary>
    private void CheckGroups()
    {
        var sessionOfGroup = new Dictionary<int, int>();
        foreach (var process in _byPid.Values)
        {
            Expect(process.Pgid >= 0 && process.Sid >= 0, $"{process}: pgid {process.Pgid}, sid {process.Sid}");
            Expect(process.IsSessionLeader == (process.Sid == process.Pid),
                $"{process}: session leader {process.IsSessionLeader} with sid {process.Sid}");
            Expect(!process.IsSessionLeader || process.Pgid == process.Pid, $"{process}: leads its session but is in group {process.Pgid}");
            if (sessionOfGroup.TryGetValue(process.Pgid, out var sid))
            {
                Expect(sid == process.Sid, $"{process}: in group {process.Pgid} of session {sid}, but in session {process.Sid}");
            }
            else
            {
                sessionOfGroup.Add(process.Pgid, process.Sid);
            }

            foreach (var nr in (ReadOnlySpan<int>)[process.Pid, process.Pgid, process.Sid])
            {
                Expect(nr == 0 || Pids.InUse(nr), $"{process}: number {nr} is in use but free in the pid allocator");
            }

            Expect(!process.Stopped || process.State == ProcessState.Running, $"{process}: stopped while {process.State}");
        }
    }
}
