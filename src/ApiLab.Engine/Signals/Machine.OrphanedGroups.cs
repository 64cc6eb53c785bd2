namespace ApiLab.Engine;

/// <summary>
/// Orphaned process groups (POSIX job control; kernel/exit.c kill_orphaned_pgrp and will_become_orphaned_pgrp). A
/// group is orphaned when no member has a parent in another group of the same session: nobody is left who could
/// continue its stopped jobs. When an exit orphans a group that has stopped members, every member gets SIGHUP and
/// then SIGCONT (privileged: no permission check), so the stopped jobs do not stay stopped forever.
/// </summary>
public sealed partial class Machine
{
    /// <summary>exit_notify's two checks: the exiting task's own group, then (forget_original_parent) each child's.</summary>
    private void KillOrphanedGroups(Process exiting)
    {
        KillIfOrphaned(exiting.Pgid, exiting.Sid, exiting.Parent, ignored: exiting);
        List<Process>? children = null;
        foreach (var process in _byPid.Values)
        {
            // A child in its parent's own group is never the parent's to orphan: skip it without a list.
            if (ReferenceEquals(process.Parent, exiting) && process.Pgid != exiting.Pgid)
            {
                (children ??= []).Add(process);
            }
        }

        foreach (var child in children ?? [])
        {
            KillIfOrphaned(child.Pgid, child.Sid, exiting, ignored: null);
        }
    }

    /// <summary>kill_orphaned_pgrp: <paramref name="parent"/> was the group's link to its session (another group, same
    /// session); if the group is orphaned without it and has stopped jobs, SIGHUP then SIGCONT to every member.</summary>
    private void KillIfOrphaned(int pgid, int sid, Process? parent, Process? ignored)
    {
        if (parent is null || parent.Pgid == pgid || parent.Sid != sid || !WillBecomeOrphaned(pgid, ignored))
        {
            return;
        }

        var members = GroupMembers(pgid);
        if (!members.Any(static p => p.Stopped))
        {
            return;
        }

        foreach (var signal in (int[])[Signals.SigHup, Signals.SigCont])
        {
            foreach (var member in members.Where(static p => p.State == ProcessState.Running))
            {
                Deliver(member, signal);
            }
        }
    }

    /// <summary>
    /// will_become_orphaned_pgrp: true unless some live member other than <paramref name="ignored"/> has a parent in a
    /// different group of the same session. A member whose parent has exited was reparented to init, which links no
    /// group (the engine keeps the original parent object, so an exited parent stands for init here).
    /// </summary>
    private bool WillBecomeOrphaned(int pgid, Process? ignored)
    {
        foreach (var member in GroupMembers(pgid))
        {
            if (ReferenceEquals(member, ignored) || member.State != ProcessState.Running
                || member.Parent is not { State: ProcessState.Running } parent)
            {
                continue;
            }

            if (parent.Pgid != pgid && parent.Sid == member.Sid)
            {
                return false;
            }
        }

        return true;
    }
}
