using ApiLab.Engine;
using ApiLab.Generators.Tests.TestData;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests;

/// <summary>
/// The generated adapters (built into this project from TestData/) check in Linux's order: reserved flags, iovec,
/// target, ptrace access, the design's validation, capabilities, and only then the design's core.
/// </summary>
public sealed class BehaviourTests
{
    private static readonly Pidfd BadPidfd = new(42);
    private static readonly LayoutCookie Cookie = CookieLikeAdapter.CurrentCookie;

    private readonly Machine _machine = new();

    [Fact]
    public void Nonzero_flags_are_EINVAL_before_a_bad_pidfd_is_EBADF()
    {
        var adapter = new CookieLikeAdapter(Spawn(1000, "manager"));

        Assert.Equal(Errno.EINVAL, adapter.Advise(BadPidfd, [], Advice.Cold, flags: 1, Cookie).Error);
        Assert.Equal(Errno.EBADF, adapter.Advise(BadPidfd, [], Advice.Cold, flags: 0, Cookie).Error);
        Assert.Equal(Errno.EINVAL, adapter.QueryVmas(BadPidfd, flags: 0x80).Error);
        Assert.Empty(adapter.Trace);
    }

    [Fact]
    public void A_stopped_caller_is_not_run_until_sigcont()
    {
        var manager = Spawn(1000, "manager");
        var adapter = new CookieLikeAdapter(manager);
        var other = Spawn(1000, "other");
        Assert.Equal(0, _machine.Kill(other, manager.Pid, Signals.SigStop).Value);
        var syscalls = _machine.Stats.Syscalls;
        Assert.Equal(Errno.ERESTARTSYS, adapter.Advise(BadPidfd, [], Advice.Cold, flags: 1, Cookie).Error);
        Assert.Equal(syscalls, _machine.Stats.Syscalls);
        Assert.Equal(0, _machine.Kill(other, manager.Pid, Signals.SigCont).Value);
        Assert.Equal(Errno.EINVAL, adapter.Advise(BadPidfd, [], Advice.Cold, flags: 1, Cookie).Error);
    }

    [Fact]
    public void More_than_IoVec_Max_iovecs_are_EINVAL_before_the_pidfd_is_resolved()
    {
        var adapter = new CookieLikeAdapter(Spawn(1000, "manager"));

        Assert.Equal(Errno.EINVAL, adapter.Advise(BadPidfd, new IoVec[IoVec.Max + 1], Advice.Cold, 0, Cookie).Error);
        Assert.Equal(Errno.EBADF, adapter.Advise(BadPidfd, new IoVec[IoVec.Max], Advice.Cold, 0, Cookie).Error);
    }

    [Fact]
    public void An_iovec_longer_than_LONG_MAX_is_EINVAL()
    {
        var adapter = new CookieLikeAdapter(Spawn(1000, "manager"));
        IoVec[] ranges = [new(0x1000, 0x1000), new(0x2000, (ulong)long.MaxValue + 1)];

        Assert.Equal(Errno.EINVAL, adapter.Advise(BadPidfd, ranges, Advice.Cold, 0, Cookie).Error);
        Assert.Equal(Errno.EBADF, adapter.Advise(BadPidfd, ranges[..1], Advice.Cold, 0, Cookie).Error);
    }

    [Fact]
    public void A_foreign_uid_target_gets_the_declared_denied_errno()
    {
        var manager = Spawn(1000, "manager");
        var foreign = Spawn(1001, "foreign");
        var cookie = new CookieLikeAdapter(manager);
        var pid = new PidLikeAdapter(manager);

        Assert.Equal(Errno.EACCES, cookie.QueryVmas(Open(manager, foreign), 0).Error);
        Assert.Equal(Errno.EPERM, pid.Zap(new Pid(foreign.Pid), 0x1000, 0x1000).Error);
        Assert.Null(pid.LastTarget);
    }

    [Fact]
    public void A_remote_caller_without_the_capability_is_EPERM()
    {
        var manager = Spawn(1000, "manager");
        var target = Spawn(1000, "target");
        var adapter = new CookieLikeAdapter(manager);

        Assert.Equal(Errno.EPERM, adapter.Advise(Open(manager, target), [new(0x1000, 0x1000)], Advice.Cold, 0, Cookie).Error);
        Assert.Equal(["validate"], adapter.Trace);
    }

    [Fact]
    public void A_remote_caller_with_the_capability_reaches_the_core()
    {
        var manager = Spawn(Credentials.User(1000).With(Capability.SysNice), "manager");
        var target = Spawn(1000, "target");
        var adapter = new CookieLikeAdapter(manager);

        var result = adapter.Advise(Open(manager, target), [new(0x1000, 0x1000), new(0x3000, 0x1000)], Advice.Cold, 0, Cookie);

        Assert.Equal(2L, result.Value);
        Assert.Equal(["validate", "core"], adapter.Trace);
    }

    [Fact]
    public void Acting_on_the_callers_own_mm_needs_no_capability()
    {
        var adapter = new CookieLikeAdapter(Spawn(1000, "self"));

        Assert.Equal(1L, adapter.Advise(Pidfd.Self, [new(0x1000, 0x1000)], Advice.Cold, 0, Cookie).Value);
    }

    [Fact]
    public void Validation_runs_after_the_ptrace_check_and_before_the_capability_check()
    {
        var manager = Spawn(1000, "manager");
        var foreign = Spawn(1001, "foreign");
        var sameUser = Spawn(1000, "same-user");
        var adapter = new CookieLikeAdapter(manager) { RejectedAdvice = Advice.PageOut };

        // ptrace first: a denied target never reaches the design's validation.
        Assert.Equal(Errno.EACCES, adapter.Advise(Open(manager, foreign), [], Advice.PageOut, 0, Cookie).Error);
        Assert.Empty(adapter.Trace);

        // Validation before capabilities: EINVAL, although the caller also lacks CAP_SYS_NICE.
        Assert.Equal(Errno.EINVAL, adapter.Advise(Open(manager, sameUser), [], Advice.PageOut, 0, Cookie).Error);
        Assert.Equal(["validate"], adapter.Trace);
    }

    [Fact]
    public void Resolution_errors_pass_through()
    {
        var manager = Spawn(1000, "manager");
        var target = Spawn(1000, "target");
        var pidfd = Open(manager, target);
        _machine.Reap(target);
        var cookie = new CookieLikeAdapter(manager);
        var pid = new PidLikeAdapter(manager);

        Assert.Equal(Errno.ESRCH, cookie.QueryVmas(pidfd, 0).Error);
        Assert.Equal(Errno.ESRCH, pid.Zap(new Pid(target.Pid), 0, 0x1000).Error);
        Assert.Equal(Errno.ESRCH, pid.Zap(new Pid(-1), 0, 0x1000).Error);
    }

    [Fact]
    public void A_raw_pid_reaches_whichever_process_holds_it()
    {
        var manager = Spawn(1000, "manager");
        var target = Spawn(1000, "target");
        var adapter = new PidLikeAdapter(manager);

        Assert.Equal(0x2000UL, adapter.Zap(new Pid(target.Pid), 0x1000, 0x2000).Value);
        Assert.Same(target, adapter.LastTarget);
        Assert.Equal(Errno.EINVAL, adapter.Zap(new Pid(target.Pid), 0x1000, 0x2000, @fixed: 1).Error);
    }

    [Fact]
    public void A_self_targeted_call_acts_on_the_caller_and_checks_its_iovec_array()
    {
        var caller = Spawn(1000, "self");
        var adapter = new PidLikeAdapter(caller);

        Assert.Equal(Errno.EFAULT, adapter.AdviseSelf(null!).Error);
        Assert.Equal(Errno.EINVAL, adapter.AdviseSelf(new IoVec[IoVec.Max + 1]).Error);
        Assert.Null(adapter.LastTarget);
        Assert.Equal(3, adapter.AdviseSelf(new IoVec[3]).Value);
        Assert.Same(caller, adapter.LastTarget);
    }

    [Fact]
    public void Every_call_is_one_syscall_and_one_scheduling_point_even_when_it_fails()
    {
        var manager = Spawn(1000, "manager");
        var adapter = new CookieLikeAdapter(manager);
        var hook = new RecordingHook();
        _machine.Hook = hook;
        var before = _machine.Stats.Syscalls;

        _ = adapter.Advise(BadPidfd, [], Advice.Cold, flags: 1, Cookie);
        _ = adapter.QueryVmas(Pidfd.Self, 0);

        Assert.Equal(before + 2, _machine.Stats.Syscalls);
        Assert.Equal(["manager:process_madvise", "manager:process_vm_getinfo"], hook.Entries);
    }

    [Fact]
    public void The_adapter_rejects_a_null_caller_and_exposes_it() =>
        Assert.Throws<ArgumentNullException>(() => new CookieLikeAdapter(null!));

    private Process Spawn(int uid, string name) => Spawn(Credentials.User(uid), name);

    private Process Spawn(Credentials credentials, string name) => _machine.Spawn(credentials, name).Value;

    private Pidfd Open(Process caller, Process target) => _machine.PidfdOpen(caller, new Pid(target.Pid), 0).Value;

    private sealed class RecordingHook : ISyscallHook
    {
        public List<string> Entries { get; } = [];

        public void OnSyscallEnter(Process caller, string syscall) => Entries.Add($"{caller.Comm}:{syscall}");
    }
}
