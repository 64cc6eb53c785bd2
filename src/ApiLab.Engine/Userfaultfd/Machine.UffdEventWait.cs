namespace ApiLab.Engine;

/// <summary>The end of a task's wait for its uffd events when a fatal signal interrupts it.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// A fatal signal (or the exit that follows it) wakes <paramref name="raiser"/> from every
    /// userfaultfd_event_wait_completion it sleeps in: its unread events leave their queues, and the work it still had
    /// to do runs (madvise's deferred zap). Every userfaultfd it could have raised an event in is reachable from some
    /// process's fd table or registered VMAs.
    /// </summary>
    internal void AbandonUffdEventWaits(Process raiser)
    {
        if (raiser.UffdEventsUnread == 0)
        {
            return;
        }

        var seen = new HashSet<UserfaultfdFile>(ReferenceEqualityComparer.Instance);
        foreach (var process in _byPid.Values.ToList())
        {
            foreach (var file in process.Fds.OpenFiles())
            {
                if (file is UserfaultfdFile ctx && seen.Add(ctx))
                {
                    ctx.Abandon(raiser);
                }
            }

            if (process.Mm is { } mm)
            {
                foreach (var ctx in mm.UffdContexts())
                {
                    if (seen.Add(ctx))
                    {
                        ctx.Abandon(raiser);
                    }
                }
            }
        }
    }
}
