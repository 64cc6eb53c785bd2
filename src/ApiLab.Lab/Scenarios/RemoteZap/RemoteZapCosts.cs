using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>The cost rows both remote-zap scenarios show (the manager's work, and the target library's for cooperation).</summary>
internal static class RemoteZapCosts
{
    public static IReadOnlyList<ComparisonRow> Rows { get; } =
    [
        new("syscalls", "Syscalls (manager, and the target's library when it cooperates)", ComparisonBuilder.Cost),
        new("tlb_flushes", "TLB flushes", ComparisonBuilder.Cost),
        new("tlb_shootdowns", "TLB shootdowns (flushes of the app's mm from another process)", ComparisonBuilder.Cost),
        new("pages_zapped", "Pages zapped", ComparisonBuilder.Cost),
        new("mmap_lock_held", "mmap_lock hold (page-table entries walked while holding it: the app's mmap and munmap wait that long)", ComparisonBuilder.Cost),
        new("pages_freed", "Zapped pages whose frame was really freed", ComparisonBuilder.Cost),
        new("pages_reclaimed", "Pages reclaimed by the kernel (PAGEOUT)", ComparisonBuilder.Cost),
        new("bytes_copied", "Bytes copied by process_vm_readv/writev", ComparisonBuilder.Cost),
        new("pages_copied", "Pages copied (by process_vm_readv/writev and UFFDIO_COPY)", ComparisonBuilder.Cost),
        new("userfault_sleeps", "Userfault sleeps of the app (each a switch to the manager and back)", ComparisonBuilder.Cost),
    ];
}
