using ApiLab.Engine.Tests.Support;

namespace ApiLab.Engine.Tests.Processes;

/// <summary>__ptrace_may_access and mm_access (kernel/ptrace.c, kernel/fork.c) without an LSM, as on this host.</summary>
public sealed class PtraceAccessTests
{
    [Fact]
    public void Same_uid_passes_and_another_uid_fails_without_cap_sys_ptrace()
    {
        var m = TestMachine.New();
        var caller = m.User(1000);
        Assert.True(PtraceAccess.MayAccess(caller, m.User(1000), PtraceMode.AttachRealCreds));
        Assert.False(PtraceAccess.MayAccess(caller, m.User(2000), PtraceMode.ReadFsCreds));
    }

    [Fact]
    public void Cap_sys_ptrace_overrides_the_uid_check()
    {
        var m = TestMachine.New();
        var caller = m.Spawn(Credentials.User(1000).With(Capability.SysPtrace), "tracer").Value;
        Assert.True(PtraceAccess.MayAccess(caller, m.User(2000), PtraceMode.AttachRealCreds));
    }

    [Fact]
    public void Fscreds_compares_the_fsuid_and_realcreds_the_real_uid()
    {
        var m = TestMachine.New();
        var caller = m.Spawn(new Credentials(1000, 1000, 2000, new HashSet<Capability>()), "fs").Value;
        var target = m.User(2000);
        Assert.True(PtraceAccess.MayAccess(caller, target, PtraceMode.ReadFsCreds));
        Assert.False(PtraceAccess.MayAccess(caller, target, PtraceMode.ReadRealCreds));
    }

    [Fact]
    public void A_target_whose_euid_differs_from_the_callers_uid_is_refused()
    {
        var m = TestMachine.New();
        var caller = m.User(1000);
        var setuid = m.Spawn(new Credentials(1000, 0, 0, new HashSet<Capability>()), "setuid").Value;
        Assert.False(PtraceAccess.MayAccess(caller, setuid, PtraceMode.ReadRealCreds));
    }

    [Fact]
    public void A_non_dumpable_target_needs_cap_sys_ptrace_even_for_the_same_uid()
    {
        var m = TestMachine.New();
        var caller = m.User(1000);
        var target = m.User(1000);
        target.Dumpable = 0;
        Assert.False(PtraceAccess.MayAccess(caller, target, PtraceMode.ReadFsCreds));
        var root = m.Spawn(Credentials.Root, "root").Value;
        Assert.True(PtraceAccess.MayAccess(root, target, PtraceMode.ReadFsCreds));
    }

    [Fact]
    public void Mm_access_is_esrch_without_an_mm_eacces_on_denial_and_free_for_the_own_mm()
    {
        var m = TestMachine.New();
        var caller = m.User(1000);
        var foreign = m.User(2000);
        Assert.Equal(Errno.EACCES, PtraceAccess.MmAccess(caller, foreign, PtraceMode.ReadFsCreds).Error);
        Assert.Same(caller.Mm, PtraceAccess.MmAccess(caller, caller, PtraceMode.AttachRealCreds).Value);
        m.Exit(foreign);
        Assert.Equal(Errno.ESRCH, PtraceAccess.MmAccess(caller, foreign, PtraceMode.ReadFsCreds).Error);
    }
}
