namespace ApiLab.Engine;

/// <summary>The end of a task's wait for its uffd events when a fatal signal interrupts it.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// A fatal signal (or the exit that follows it) wakes <paramref name="raiser"/> from every
    /// userfaultfd_event_wait_completion it sleeps in: its unread events leave their queues, the work it still had to
    /// do runs (madvise's deferred zap), and the new context of an unread FORK event is released as if its read never
    /// came (the child's VMAs lose the registration). Every userfaultfd it could have raised an event in is reachable
    /// from some process's fd table or registered VMAs.
    /// </summary>
    internal void AbandonUffdEventWaits(Process raiser)
    {
        if (raiser.UffdEventsUnread == 0)
        {
            return;
        }

        var seen = new HashSet<UserfaultfdFile>(ReferenceEqualityComparer.Instance);
        var released = new List<UserfaultfdFile>();
        foreach (var process in _byPid.Values.ToList())
        {
            foreach (var file in process.Fds.OpenFiles())
            {
                if (file is UserfaultfdFile ctx && seen.Add(ctx))
                {
                    released.AddRange(ctx.Abandon(raiser));
                }
            }

            if (process.Mm is { } mm)
            {
                foreach (var ctx in mm.UffdContexts())
                {
                    if (seen.Add(ctx))
                    {
                        released.AddRange(ctx.Abandon(raiser));
                    }
                }
            }
        }

        // Released once every queue is walked: a child context's own queue may hold events of the raiser's too.
        foreach (var child in released)
        {
            ReleaseContext(child, orphan: true);
        }
    }
}
