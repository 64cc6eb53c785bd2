using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// An open userfaultfd: the file and the struct userfaultfd_ctx behind it (fs/userfaultfd.c). It belongs to the mm that
/// created it (ctx->mm), whoever holds the fd: every ioctl acts on that mm, while UFFDIO_COPY reads its source from the
/// caller's own memory. It holds the negotiated features, the faults not yet read (fault_pending_wqh), the faults read
/// but not yet woken (fault_wqh) and the non-cooperative events (event_wqh), each in arrival order.
/// </summary>
public sealed class UserfaultfdFile
{
    private readonly List<UffdWaiter> _pendingFaults = [];
    private readonly List<UffdWaiter> _readFaults = [];
    private readonly List<QueuedEvent> _events = [];

    internal UserfaultfdFile(ulong identity, Mm mm, UffdFlags flags, UffdFeatures features = UffdFeatures.None, bool initialized = false)
    {
        Identity = identity;
        Mm = mm;
        Flags = flags;
        Features = features;
        Initialized = initialized;
    }

    /// <summary>Unique, never reused.</summary>
    public ulong Identity { get; }

    /// <summary>ctx->mm: the address space this userfaultfd registers ranges in and resolves faults of.</summary>
    public Mm Mm { get; }

    public UffdFlags Flags { get; }

    public bool NonBlocking => (Flags & UffdFlags.NonBlock) != 0;

    public bool UserModeOnly => (Flags & UffdFlags.UserModeOnly) != 0;

    /// <summary>The features negotiated by UFFDIO_API (what the caller asked for).</summary>
    public UffdFeatures Features { get; private set; }

    /// <summary>UFFDIO_API succeeded; every other ioctl and read(2) gives EINVAL until then.</summary>
    public bool Initialized { get; private set; }

    /// <summary>The last fd was closed (userfaultfd_release): no VMA is registered with it any more.</summary>
    public bool Released { get; private set; }

    /// <summary>How many fds, in any process, refer to this file. A context created by a fork event has none until a
    /// read(2) of that event installs one.</summary>
    internal int FileRefs { get; set; }

    /// <summary>
    /// mmap_changing: non-cooperative events queued and not yet read. While it is non-zero, UFFDIO_COPY, ZEROPAGE,
    /// CONTINUE and WRITEPROTECT fail with EAGAIN, so the monitor learns about a layout change before it fills pages.
    /// </summary>
    public int MmapChanging { get; private set; }

    /// <summary>Messages a read(2) would return now: unread page faults, then events.</summary>
    public int PendingMessages => _pendingFaults.Count + _events.Count;

    /// <summary>Every task asleep on this userfaultfd (read or not), oldest first.</summary>
    public IEnumerable<UffdWaiter> Waiters => _pendingFaults.Concat(_readFaults);

    /// <summary>The queued non-cooperative events, oldest first (for the invariant checker and tests).</summary>
    public IEnumerable<UffdMessage> QueuedEvents => _events.Select(static e => e.Message);

    internal void Initialize(UffdFeatures features)
    {
        Features = features;
        Initialized = true;
    }

    /// <summary>The faulting task goes to sleep; its message is visible to read(2) from now on.</summary>
    internal void QueueFault(UffdWaiter waiter)
    {
        _pendingFaults.Add(waiter);
        waiter.Task.UffdWait = waiter;
    }

    /// <summary>userfaultfd_event_wait_completion: the event is readable and mmap_changing rises, and the task that
    /// caused it (the syscall's caller, else the mm's owner) waits until a read(2) returns it. <paramref
    /// name="resume"/> is the rest of the raiser's work that Linux does only once it wakes (madvise's zap after a
    /// REMOVE event): it runs when the wait ends — the read, the release of the userfaultfd, or a fatal signal.</summary>
    internal void QueueEvent(UffdMessage message, UserfaultfdFile? forkContext = null, Action? resume = null)
    {
        var raiser = Mm.Machine.Current ?? Mm.Owner;
        _events.Add(new QueuedEvent(message, forkContext, raiser, resume));
        MmapChanging++;
        if (raiser is not null)
        {
            raiser.UffdEventsUnread++;
        }
    }

    /// <summary>userfaultfd_event_complete: the raiser stops waiting for this event (it may have exited meanwhile).</summary>
    private static void CompleteEvent(QueuedEvent queued)
    {
        if (queued.Raiser is { UffdEventsUnread: > 0 } raiser)
        {
            raiser.UffdEventsUnread--;
        }
    }

    /// <summary>
    /// wake_userfault: wakes every sleeping task whose reported address lies in [start, start + length), whether its
    /// message was read or not (an unread one disappears, as on the 6.18 host); length 0 wakes all. Returns how many.
    /// </summary>
    internal int Wake(ulong start, ulong length)
    {
        return WakeIn(_pendingFaults, start, length) + WakeIn(_readFaults, start, length);
    }

    private static int WakeIn(List<UffdWaiter> list, ulong start, ulong length)
    {
        var woken = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var address = list[i].Message.Address;
            if (length != 0 && (address < start || address - start >= length))
            {
                continue;
            }

            list[i].Task.UffdWait = null;
            list.RemoveAt(i);
            woken++;
        }

        return woken;
    }

    /// <summary>The sleeping task exited: its wait-queue entry (and unread message) go away.</summary>
    internal void Forget(UffdWaiter waiter)
    {
        _pendingFaults.Remove(waiter);
        _readFaults.Remove(waiter);
        waiter.Task.UffdWait = null;
    }

    /// <summary>
    /// userfaultfd_ctx_read: the oldest unread page fault first (it moves to the read list; its task keeps sleeping),
    /// else the oldest event (which completes it, lowering mmap_changing). A fork event's new userfaultfd is installed
    /// in the reader's fd table now (EMFILE leaves the event queued). Nothing queued: EAGAIN for O_NONBLOCK, else the
    /// reader would sleep (ERESTARTSYS).
    /// </summary>
    internal SysResult<UffdMessage> Read(Process reader)
    {
        if (_pendingFaults.Count > 0)
        {
            var waiter = _pendingFaults[0];
            _pendingFaults.RemoveAt(0);
            _readFaults.Add(waiter);
            waiter.Read = true;
            return waiter.Message;
        }

        if (_events.Count > 0)
        {
            var queued = _events[0];
            var message = queued.Message;
            if (queued.ForkContext is { } child)
            {
                var fd = reader.Fds.Install(child);
                if (fd < 0)
                {
                    return Errno.EMFILE;
                }

                child.FileRefs++;
                message = message with { Arg0 = (ulong)fd };
            }

            _events.RemoveAt(0);
            MmapChanging--;
            CompleteEvent(queued);
            // The raiser wakes and finishes its syscall: a REMOVE's pages are zapped only now, after the read.
            queued.Resume?.Invoke();
            return message;
        }

        return NonBlocking ? Errno.EAGAIN : Errno.ERESTARTSYS;
    }

    /// <summary>
    /// userfaultfd_release's queue half: every sleeping task is woken and every event dropped. Returns the contexts of
    /// fork events never read: their fork "fails" for userfaultfd (userfaultfd_release_new), so the caller unregisters
    /// the child's ranges.
    /// </summary>
    internal List<UserfaultfdFile> Release()
    {
        Released = true;
        Wake(0, 0);
        var orphans = new List<UserfaultfdFile>();
        var events = _events.ToArray();
        _events.Clear();
        MmapChanging = 0;
        foreach (var queued in events)
        {
            CompleteEvent(queued);
            if (queued.ForkContext is { } child)
            {
                orphans.Add(child);
            }

            // ctx->released ends the raiser's wait: it goes on with its syscall (madvise zaps).
            queued.Resume?.Invoke();
        }

        return orphans;
    }

    /// <summary>The tasks waiting for their queued events to be read, once per event (for the invariant checker).</summary>
    internal IEnumerable<Process> EventRaisers()
    {
        foreach (var queued in _events)
        {
            if (queued.Raiser is { State: ProcessState.Running } raiser)
            {
                yield return raiser;
            }
        }
    }

    /// <summary>The children's contexts referenced by queued fork events (for the invariant checker).</summary>
    internal IEnumerable<UserfaultfdFile> ForkContexts()
    {
        foreach (var queued in _events)
        {
            if (queued.ForkContext is { } child)
            {
                yield return child;
            }
        }
    }

    public override string ToString() => $"userfaultfd#{Identity} (mm {Mm.Identity})";

    /// <summary>
    /// A fatal signal ends <paramref name="raiser"/>'s TASK_KILLABLE wait: userfaultfd_event_wait_completion takes each
    /// of its events off the queue (the monitor never reads them) and the raiser finishes its syscall. A FORK event's
    /// new context is handed back for userfaultfd_release_new, which resets the child's registered VMAs (6.18,
    /// fs/userfaultfd.c: <c>release_new_ctx</c>). Returns those contexts.
    /// </summary>
    internal List<UserfaultfdFile> Abandon(Process raiser)
    {
        var resumes = new List<Action>();
        var released = new List<UserfaultfdFile>();
        for (var i = 0; i < _events.Count; i++)
        {
            var queued = _events[i];
            if (!ReferenceEquals(queued.Raiser, raiser))
            {
                continue;
            }

            _events.RemoveAt(i--);
            MmapChanging--;
            CompleteEvent(queued);
            if (queued.ForkContext is { } child)
            {
                released.Add(child);
            }

            if (queued.Resume is { } resume)
            {
                resumes.Add(resume);
            }
        }

        foreach (var resume in resumes)
        {
            resume();
        }

        return released;
    }

    private readonly record struct QueuedEvent(UffdMessage Message, UserfaultfdFile? ForkContext, Process? Raiser, Action? Resume);
}
