using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class PartialResultAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<PartialResultAnalyzer>().WithRuleSpecs();

    [Fact]
    public Task IgnoredResult_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                {|#0:m.Advise(fd, ranges, Advice.Cold, 0)|};
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PartialResultAnalyzer.IgnoredRule).WithLocation(0).WithArguments("IMainlineMadvise.Advise"))
            .ValidateAsync();

    [Fact]
    public Task DiscardedResult_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                _ = {|APILAB1003:z.Zap(fd, ranges)|};
                """))
            .ValidateAsync();

    [Fact]
    public Task OnlyIsOkTested_IsReportedAsFailureOnly() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var result = {|#0:m.Advise(fd, ranges, Advice.Cold, 0)|};
                if (!result.IsOk)
                    return;
                Console.WriteLine(result.Error);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PartialResultAnalyzer.FailureOnlyRule).WithLocation(0).WithArguments("IMainlineMadvise.Advise"))
            .ValidateAsync();

    [Fact]
    public Task ValueComparedWithMinusOne_IsReportedAsFailureOnly() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var done = {|#0:m.Advise(fd, ranges, Advice.Cold, 0)|}.ValueOrDefault;
                if (done == -1)
                    return;
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PartialResultAnalyzer.FailureOnlyRule).WithLocation(0).WithArguments("IMainlineMadvise.Advise"))
            .ValidateAsync();

    [Fact]
    public Task ValueComparedWithRequestedTotal_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                long requested = 0;
                foreach (var r in ranges)
                    requested += (long)r.Length;
                var result = m.Advise(fd, ranges, Advice.Cold, 0);
                if (!result.IsOk)
                    return;
                var done = result.Value;
                if (done != requested)
                    Console.WriteLine("partial");
                """))
            .ValidateAsync();

    [Fact]
    public Task ResultReturnedOrPassedOn_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using System;
                using ApiLab.Spec;

                namespace Demo;

                public static class Caller
                {
                    public static SysResult<long> Forward(IMainlineMadvise m, Pidfd fd, IoVec[] ranges) => m.Advise(fd, ranges, Advice.Cold, 0);

                    public static void Log(IMainlineMadvise m, Pidfd fd, IoVec[] ranges) => Console.WriteLine(m.Advise(fd, ranges, Advice.Cold, 0).Value);
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task CallWithoutPartialResult_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                m.Unmap(fd, 0x1000, 0x1000);
                """))
            .ValidateAsync();

    [Fact]
    public Task CallThroughAdapter_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                var adapter = new MainlineMadviseAdapter();
                {|APILAB1003:adapter.Advise(fd, ranges, Advice.Cold, 0)|};
                """))
            .ValidateAsync();
}
