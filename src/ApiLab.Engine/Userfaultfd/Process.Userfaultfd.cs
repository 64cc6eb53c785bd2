namespace ApiLab.Engine;

/// <summary>A task's userfault sleep.</summary>
public sealed partial class Process
{
    /// <summary>
    /// The userfault this task sleeps in (handle_userfault), or null. While it is set the task does not run: its loads,
    /// stores and faulting syscalls return ERESTARTSYS without side effects. UFFDIO_COPY / ZEROPAGE / CONTINUE / WAKE
    /// or an unprotecting UFFDIO_WRITEPROTECT over its address wakes it, as do closing the userfaultfd and unregistering
    /// a MISSING range; the retried access then runs the fault again.
    /// </summary>
    public UffdWaiter? UffdWait { get; internal set; }

    /// <summary>
    /// Non-cooperative events (FORK, REMAP, REMOVE, UNMAP) this task raised that no monitor has read yet. In Linux the
    /// task sleeps in userfaultfd_event_wait_completion (TASK_KILLABLE) until the read; the engine finishes the
    /// syscall's work at once, and the task then does not run until the last of its events is read: its own loads and
    /// stores return ERESTARTSYS, as for <see cref="UffdWait"/>. Releasing the userfaultfd or a fatal exit ends the wait.
    /// </summary>
    public int UffdEventsUnread { get; internal set; }

    /// <summary>The task sleeps on a userfaultfd: in a fault, or waiting for its events to be read.</summary>
    public bool WaitsOnUffd => UffdWait is not null || UffdEventsUnread > 0;
}
