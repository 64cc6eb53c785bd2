using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Syscalls;

/// <summary>An adapter whose core wraps an engine syscall makes one syscall, not two (Machine.EnterSyscall).</summary>
public sealed class NestedSyscallTests
{
    private sealed class CountingHook : ISyscallHook
    {
        public List<string> Entered { get; } = [];

        public void OnSyscallEnter(Process caller, string syscall) => Entered.Add(syscall);
    }

    [Fact]
    public void A_syscall_entered_inside_the_same_callers_syscall_is_neither_counted_nor_hooked_again()
    {
        var m = New();
        var p = m.User();
        var hook = new CountingHook();
        m.Hook = hook;
        var before = m.Stats.Syscalls;
        using (m.EnterSyscall(p, "process_mrelease"))
        {
            var pidfd = m.PidfdOpen(p, new Pid(p.Pid), 0);
            Assert.True(pidfd.IsOk);
            Assert.Same(p, m.Current);
        }

        Assert.Null(m.Current);
        Assert.Equal(1, m.Stats.Syscalls - before);
        Assert.Equal(["process_mrelease"], hook.Entered);
    }

    [Fact]
    public void Another_callers_syscall_inside_one_still_counts()
    {
        var m = New();
        var a = m.User(comm: "a");
        var b = m.User(comm: "b");
        var before = m.Stats.Syscalls;
        using (m.EnterSyscall(a, "outer"))
        {
            Assert.True(m.PidfdOpen(b, new Pid(a.Pid), 0).IsOk);
        }

        Assert.Equal(2, m.Stats.Syscalls - before);
    }
}
