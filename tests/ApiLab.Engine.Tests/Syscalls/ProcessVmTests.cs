using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Syscalls;

/// <summary>process_vm_readv(2)/process_vm_writev(2) (PROPOSALS.md §6.4).</summary>
public sealed class ProcessVmTests
{
    [Fact]
    public void Readv_copies_the_targets_memory_and_returns_the_bytes()
    {
        var m = New();
        var caller = m.User();
        var target = m.User();
        var remote = target.MapAnon(2);
        target.Fill(remote, 2, 40);
        var local = caller.MapAnon(2);
        var n = m.ProcessVmReadv(caller, new Pid(target.Pid), [new IoVec(local, 2 * P)], [new IoVec(remote, 2 * P)], 0);
        Assert.Equal(2 * (long)P, n.Value);
        Assert.Equal(41UL, caller.Load(local + P).Value);
        Assert.Equal(2 * (long)P, m.Stats.BytesCopied);
    }

    [Fact]
    public void Writev_changes_the_targets_memory()
    {
        var m = New();
        var caller = m.User();
        var target = m.User();
        var remote = target.MapAnon(1);
        var local = caller.MapAnon(1);
        caller.Store(local, 9);
        Assert.Equal((long)P, m.ProcessVmWritev(caller, new Pid(target.Pid), [new IoVec(local, P)], [new IoVec(remote, P)], 0).Value);
        Assert.Equal(9UL, target.Load(remote).Value);
    }

    [Fact]
    public void A_foreign_uid_is_eperm_not_eacces_and_nothing_is_copied()
    {
        var m = New();
        var caller = m.User(1000);
        var target = m.User(2000);
        var remote = target.MapAnon(1);
        target.Store(remote, 5);
        var local = caller.MapAnon(1);
        Assert.Equal(Errno.EPERM, m.ProcessVmReadv(caller, new Pid(target.Pid), [new IoVec(local, P)], [new IoVec(remote, P)], 0).Error);
        Assert.Equal(0UL, caller.Load(local).Value);
    }

    [Fact]
    public void A_fault_in_a_later_remote_element_gives_a_partial_count_at_element_granularity()
    {
        var m = New();
        var caller = m.User();
        var target = m.User();
        var remote = target.MapAnon(3);
        target.Munmap(remote + P, P);
        var local = caller.MapAnon(3);
        var pid = new Pid(target.Pid);
        IoVec[] locals = [new IoVec(local, 3 * P)];

        Assert.Equal((long)P, m.ProcessVmReadv(caller, pid, locals, [new IoVec(remote, P), new IoVec(remote + P, P), new IoVec(remote + (2 * P), P)], 0).Value);
        Assert.Equal(Errno.EFAULT, m.ProcessVmReadv(caller, pid, locals, [new IoVec(remote + P, P)], 0).Error);
    }

    [Fact]
    public void Checks_run_in_process_vm_rw_order()
    {
        var m = New();
        var caller = m.User();
        var local = caller.MapAnon(1);
        IoVec[] one = [new IoVec(local, P)];
        Assert.Equal(Errno.EINVAL, m.ProcessVmReadv(caller, new Pid(4242), one, one, 1).Error);
        Assert.Equal(0L, m.ProcessVmReadv(caller, new Pid(4242), [], one, 0).Value);
        Assert.Equal(Errno.ESRCH, m.ProcessVmReadv(caller, new Pid(4242), one, one, 0).Error);
        Assert.Equal(Errno.EINVAL, m.ProcessVmReadv(caller, new Pid(caller.Pid), Enumerable.Repeat(one[0], IoVec.Max + 1).ToArray(), one, 0).Error);
    }
}
