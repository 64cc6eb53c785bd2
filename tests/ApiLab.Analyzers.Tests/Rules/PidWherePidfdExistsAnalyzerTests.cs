using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class PidWherePidfdExistsAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<PidWherePidfdExistsAnalyzer>().WithRuleSpecs();

    [Fact]
    public Task PidOverloadWithPidfdOverload_IsReportedOnThePid() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                s.Kill({|#0:pid|}, 9);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PidWherePidfdExistsAnalyzer.Rule).WithLocation(0).WithArguments("ISignals.Kill", "ISignals.Kill"))
            .ValidateAsync();

    [Fact]
    public Task SameSyscallWithPidfdInAnotherDesignOfTheDebate_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                p.Advise({|#0:pid|}, ranges, Advice.Cold, 0);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PidWherePidfdExistsAnalyzer.Rule).WithLocation(0).WithArguments("IPidMadvise.Advise", "IMainlineMadvise.Advise"))
            .ValidateAsync();

    [Fact]
    public Task PidCallWithoutPidfdForm_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                m.ReadMaps(pid);
                s.Open(pid);
                """))
            .ValidateAsync();

    [Fact]
    public Task PidfdForm_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                s.Kill(fd, 9);
                m.Advise(fd, ranges, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task SameSyscallInAnotherDebate_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using System;
                using ApiLab.Spec;

                namespace Other;

                [Proposal("another-debate", "pid", Seed = "000_test.txt")]
                public partial interface IOtherPid
                {
                    [Syscall("process_madvise"), Target(TargetKind.Pid)]
                    SysResult<long> Advise(Pid target, Advice advice);
                }

                public static class Caller
                {
                    public static void Run(IOtherPid o, Pid pid) => o.Advise(pid, Advice.Cold);
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task CallThroughAnAdapterClass_FindsTheOverload() =>
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
                    public static void Run(SignalsAdapter s, Pid pid) => s.Kill({|APILAB1002:pid|}, 15);
                }
                """)
            .ValidateAsync();
}
