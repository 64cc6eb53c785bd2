using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>A core dump (do_coredump → elf_core_dump), described rather than written.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Describes the core file <paramref name="process"/> would dump now. A non-dumpable process (get_dumpable() 0)
    /// dumps nothing and reads nothing. Otherwise every VMA gets a segment; the dumped ones are read page by page as
    /// get_dump_page does, which faults swapped-out pages and shmem holes in: the dump leaves them resident. ESRCH
    /// when the process has no mm. The process keeps running (a real dump ends it: call <see cref="Exit"/>);
    /// RLIMIT_CORE and core_pattern are not modelled.
    /// </summary>
    public SysResult<CoreDumpImage> CoreDump(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        // Not a syscall, but it changes page tables: check the invariants afterwards as a syscall would.
        using var scope = new SyscallScope(this, Current);
        if (process.Dumpable == 0)
        {
            return new CoreDumpImage(process.Pid, process.Comm, mm.CoredumpFilter, Dumpable: false, []);
        }

        // dump_vma_snapshot copies the VMA list under the write lock.
        using var mmapLock = mm.LockMmap(MmapLockMode.Write);
        var segments = new CoreDumpSegment[mm.Vmas.Count];
        long read = 0, faulted = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            var vma = mm.Vmas[i];
            var size = mm.VmaDumpSize(vma);
            var pages = new ulong[size >> Page.Shift];
            for (var p = 0; p < pages.Length; p++)
            {
                var vpn = Page.ToVpn(vma.Start) + (ulong)p;
                var wasPresent = Pte.IsPresent(mm.PageTable.Get(vpn));
                if (mm.ReadDumpPage(vma, vpn, out pages[p]))
                {
                    read++;
                    faulted += wasPresent ? 0 : 1;
                }
            }

            segments[i] = new CoreDumpSegment(vma.Start, vma.End, vma.Flags, size, pages);
        }

        return new CoreDumpImage(process.Pid, process.Comm, mm.CoredumpFilter, Dumpable: true, segments)
        {
            PagesRead = read,
            PagesFaultedIn = faulted,
        };
    }
}
