using ApiLab.Spec;

namespace ApiLab.Spec.Tests;

public sealed class SysResultTests
{
    [Fact]
    public void A_value_is_a_success()
    {
        SysResult<long> result = 4096;
        Assert.True(result.IsOk);
        Assert.Equal(4096, result.Value);
        Assert.Equal("4096", result.ToString());
    }

    [Fact]
    public void An_errno_is_a_failure_and_its_value_cannot_be_read()
    {
        SysResult<long> result = Errno.EACCES;
        Assert.False(result.IsOk);
        Assert.Equal(Errno.EACCES, result.Error);
        Assert.Equal(0, result.ValueOrDefault);
        Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Equal("-EACCES", result.ToString());
    }

    [Fact]
    public void Errno_none_is_not_a_failure()
    {
        Assert.Throws<ArgumentException>(() => SysResult<int>.Fail(Errno.None));
    }

    [Fact]
    public void Results_compare_by_errno_and_value()
    {
        Assert.Equal(SysResult<int>.Ok(1), SysResult<int>.Ok(1));
        Assert.NotEqual(SysResult<int>.Ok(1), SysResult<int>.Ok(2));
        Assert.NotEqual(SysResult<int>.Ok(0), SysResult<int>.Fail(Errno.EINVAL));
    }

    [Theory]
    [InlineData(Errno.EPERM, 1)]
    [InlineData(Errno.ESRCH, 3)]
    [InlineData(Errno.EBADF, 9)]
    [InlineData(Errno.ENOMEM, 12)]
    [InlineData(Errno.EACCES, 13)]
    [InlineData(Errno.EINVAL, 22)]
    [InlineData(Errno.ESTALE, 116)]
    public void Errno_values_are_linux_values(Errno errno, int value) => Assert.Equal(value, (int)errno);

    [Theory]
    [InlineData(Advice.DontNeed, 4)]
    [InlineData(Advice.Cold, 20)]
    [InlineData(Advice.PageOut, 21)]
    [InlineData(Advice.Collapse, 25)]
    [InlineData(Advice.GuardInstall, 102)]
    public void Advice_values_are_asm_generic_values(Advice advice, int value) => Assert.Equal(value, (int)advice);

    [Fact]
    public void Pidfd_self_sentinels_are_the_6_17_values()
    {
        Assert.Equal(-10000, Pidfd.Self.Fd);
        Assert.Equal(-10001, Pidfd.SelfProcess.Fd);
    }
}
