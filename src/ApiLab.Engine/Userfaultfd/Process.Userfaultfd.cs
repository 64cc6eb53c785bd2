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
}
