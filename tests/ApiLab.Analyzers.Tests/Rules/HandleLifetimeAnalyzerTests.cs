using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class HandleLifetimeAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<HandleLifetimeAnalyzer>().WithRuleSpecs();

    [Fact]
    public Task OpenedAndClosed_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var opened = s.Open(pid);
                if (!opened.IsOk)
                    return;
                var pidfd = opened.Value;
                s.Kill(pidfd, 9);
                s.Close(pidfd);
                """))
            .ValidateAsync();

    [Fact]
    public Task NeverClosed_IsReportedAsLeak() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var pidfd = {|#0:s.Open(pid)|}.Value;
                s.Kill(pidfd, 9);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.LeakRule).WithLocation(0).WithArguments("Pidfd", "ISignals.Open"))
            .ValidateAsync();

    [Fact]
    public Task DroppedResult_IsReportedAsLeak() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                {|#0:z.OpenUffd()|};
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.LeakRule).WithLocation(0).WithArguments("Uffd", "IRemoteZap.OpenUffd"))
            .ValidateAsync();

    [Fact]
    public Task ClosedOnOnePathOnly_IsReportedAsMaybeLeak() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var u = {|#0:z.OpenUffd()|}.Value;
                if (!z.WriteProtect(u, ranges).IsOk)
                    return;
                z.CloseUffd(u);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.MaybeLeakRule).WithLocation(0).WithArguments("Uffd", "IRemoteZap.OpenUffd"))
            .ValidateAsync();

    [Fact]
    public Task ClosedInFinally_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var u = z.OpenUffd().Value;
                try
                {
                    z.WriteProtect(u, ranges);
                }
                finally
                {
                    z.CloseUffd(u);
                }
                """))
            .ValidateAsync();

    [Fact]
    public Task UseAfterClose_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var pidfd = s.Open(pid).Value;
                s.Close(pidfd);
                s.Kill({|#0:pidfd|}, 9);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.UseAfterReleaseRule).WithLocation(0).WithArguments("Pidfd", "ISignals.Open"))
            .ValidateAsync();

    [Fact]
    public Task DoubleClose_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var u = z.OpenUffd().Value;
                z.CloseUffd(u);
                z.CloseUffd({|APILAB1005:u|});
                """))
            .ValidateAsync();

    [Fact]
    public Task UseAfterCloseOnSomePaths_IsReportedOnlyWithMaybePathsOn() =>
        CreateProjectBuilder()
            .WithEditorConfig(HandleLifetimeAnalyzer.ReportMaybePathsOption, "true")
            .WithSourceCode(RuleSource.Body("""
                var pidfd = s.Open(pid).Value;
                if (range.Length == 0)
                    s.Close(pidfd);
                s.Kill({|#0:pidfd|}, 9);
                s.Close({|#1:pidfd|});
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.MaybeUseAfterReleaseRule).WithLocation(0).WithArguments("Pidfd", "ISignals.Open"))
            .ShouldReportDiagnostic(new DiagnosticResult(HandleLifetimeAnalyzer.MaybeUseAfterReleaseRule).WithLocation(1).WithArguments("Pidfd", "ISignals.Open"))
            .ValidateAsync();

    [Fact]
    public Task ReturnedOrStoredHandle_Escapes() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using System.Collections.Generic;
                using ApiLab.Spec;

                namespace Demo;

                public sealed class Owner
                {
                    private Uffd _uffd;
                    private readonly List<Pidfd> _open = new();

                    public Pidfd Open(ISignals s, Pid pid) => s.Open(pid).Value;

                    public void Keep(IRemoteZap z) => _uffd = z.OpenUffd().Value;

                    public void Track(ISignals s, Pid pid)
                    {
                        var pidfd = s.Open(pid).Value;
                        _open.Add(pidfd);
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task HandleThatNothingReleases_IsNotTracked() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                namespace Demo;

                [Proposal("remote-madvise", "cookie-only", Seed = "000_test.txt")]
                public partial interface ICookieOnly
                {
                    [Syscall("process_vm_getcookie"), Target(TargetKind.Pidfd)]
                    SysResult<LayoutCookie> Cookie(Pidfd target);
                }

                public static class Caller
                {
                    // A cookie is a [Handle], but no [Releases] parameter of its spec takes one: nothing to close.
                    public static void Run(ICookieOnly c, Pidfd fd)
                    {
                        c.Cookie(fd);
                        var cookie = c.Cookie(fd).Value;
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task OpenedAndClosedInEveryIteration_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                foreach (var target in new[] { pid, pid })
                {
                    var opened = s.Open(target);
                    if (!opened.IsOk)
                        continue;
                    s.Kill(opened.Value, 9);
                    s.Close(opened.Value);
                }
                """))
            .ValidateAsync();

    [Fact]
    public Task HandleCapturedByALambda_Escapes() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var pidfd = s.Open(pid).Value;
                Action later = () => s.Close(pidfd);
                later();
                """))
            .ValidateAsync();

    [Fact]
    public Task ReturnInsideTryWithCloseInFinally_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                namespace Demo;

                public static class Caller
                {
                    public static int Run(IRemoteZap z, IoVec[] ranges)
                    {
                        var u = z.OpenUffd().Value;
                        try
                        {
                            if (!z.WriteProtect(u, ranges).IsOk)
                                return -1;
                            return 0;
                        }
                        finally
                        {
                            z.CloseUffd(u);
                        }
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task LeakThroughAnAdapterClass_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                namespace Demo;

                public sealed class SignalsAdapter : ISignals
                {
                    public SysResult<int> Kill(Pid target, int signal) => Errno.ENOSYS;
                    public SysResult<int> Kill(Pidfd target, int signal) => Errno.ENOSYS;
                    public SysResult<Pidfd> Open(Pid target) => Errno.ENOSYS;
                    public SysResult<int> Close(Pidfd target) => Errno.ENOSYS;
                }

                public static class Caller
                {
                    public static void Run(SignalsAdapter s, Pid pid)
                    {
                        var pidfd = {|APILAB1005:s.Open(pid)|}.Value;
                        s.Kill(pidfd, 9);
                        var other = s.Open(pid).Value;
                        s.Close(other);
                        s.Kill({|APILAB1005:other|}, 9);
                    }
                }
                """)
            .ValidateAsync();
}
