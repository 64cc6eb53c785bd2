using ApiLab.Engine;
using ApiLab.Generators.Tests.TestData;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests;

/// <summary>[ChecksArgumentsFirst]: the design's Precheck hook runs before the target lookup (process_vm_mmap's order).</summary>
public sealed class EarlyCheckTests
{
    private readonly Machine _machine = new();

    [Fact]
    public void The_precheck_errno_comes_before_esrch_and_a_passing_precheck_lets_the_lookup_fail()
    {
        var adapter = new EarlyCheckLikeAdapter(_machine.Spawn(Credentials.User(1000), "caller").Value);
        Assert.Equal(Errno.EINVAL, adapter.Duplicate(new Pid(0), Page.Size).Error);
        Assert.Equal(Errno.EINVAL, adapter.Duplicate(new Pid(4242), 0).Error);
        Assert.Equal(Errno.EINVAL, adapter.Duplicate(new Pid(4242), Page.Size, error: 1).Error);
        Assert.Equal(Errno.ESRCH, adapter.Duplicate(new Pid(4242), Page.Size).Error);
        Assert.Equal(4, adapter.Prechecks);
    }

    [Fact]
    public void After_the_precheck_the_usual_checks_and_the_core_run()
    {
        var caller = _machine.Spawn(Credentials.User(1000), "caller").Value;
        var foreign = _machine.Spawn(Credentials.User(2000), "foreign").Value;
        var adapter = new EarlyCheckLikeAdapter(caller);
        Assert.Equal(Errno.EACCES, adapter.Duplicate(new Pid(foreign.Pid), Page.Size).Error);
        Assert.Equal(Page.Size, adapter.Duplicate(new Pid(caller.Pid), Page.Size).Value);
    }

    [Fact]
    public void Specs_without_the_attribute_get_no_precheck_hook()
    {
        Assert.Null(typeof(PidLikeAdapter).GetMethod("PrecheckZap",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
        Assert.NotNull(typeof(EarlyCheckLikeAdapter).GetMethod("PrecheckDuplicate",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
    }
}
