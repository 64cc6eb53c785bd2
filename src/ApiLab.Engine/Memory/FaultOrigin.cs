namespace ApiLab.Engine;

/// <summary>
/// Who takes a page fault and from where: <c>current</c> and FAULT_FLAG_USER. A process's own load or store is a
/// user-mode fault; GUP (process_vm_readv/writev on a remote mm, MADV_POPULATE_*) and copy_to/from_user are
/// kernel-mode faults. userfaultfd needs both: the sleeping task, and UFFD_USER_MODE_ONLY's refusal of kernel faults.
/// </summary>
internal readonly record struct FaultOrigin(Process? Task, bool User)
{
    public static FaultOrigin UserAccess(Process task) => new(task, User: true);

    public static FaultOrigin Kernel(Process? task) => new(task, User: false);
}
