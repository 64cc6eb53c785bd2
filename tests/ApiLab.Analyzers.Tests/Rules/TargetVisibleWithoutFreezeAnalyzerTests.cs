using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class TargetVisibleWithoutFreezeAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<TargetVisibleWithoutFreezeAnalyzer>().WithRuleSpecs();

    [Fact]
    public Task ZapWithoutWriteProtect_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.Read(fd, ranges);
                z.Zap(fd, {|#0:ranges|});
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(TargetVisibleWithoutFreezeAnalyzer.NotFrozenRule).WithLocation(0).WithArguments("IRemoteZap.Zap"))
            .ValidateAsync();

    [Fact]
    public Task NadavsManager_WriteProtectReadThenZap_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.WriteProtect(uffd, ranges);
                z.Read(fd, ranges);
                z.Zap(fd, ranges);
                """))
            .ValidateAsync();

    [Fact]
    public Task WriteProtectOfTheElement_CoversACollectionOfIt() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.WriteProtect(uffd, [range]);
                z.Zap(fd, new[] { range });
                z.Zap(fd, {|APILAB1004:ranges|});
                """))
            .ValidateAsync();

    [Fact]
    public Task StoppedTarget_FreezesEverything() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.Stop(fd);
                z.Zap(fd, ranges);
                """))
            .ValidateAsync();

    [Fact]
    public Task ReassignedRange_IsNoLongerFrozen() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.WriteProtect(uffd, ranges);
                ranges = new IoVec[] { new IoVec(0x2000, 0x1000) };
                z.Zap(fd, {|APILAB1004:ranges|});
                """))
            .ValidateAsync();

    [Fact]
    public Task FrozenOnOnePathOnly_IsNotReportedByDefault() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                if (range.Length > 0)
                    z.WriteProtect(uffd, ranges);
                z.Zap(fd, ranges);
                """))
            .ValidateAsync();

    [Fact]
    public Task FrozenOnOnePathOnly_IsReportedWithMaybePathsOn() =>
        CreateProjectBuilder()
            .WithEditorConfig(TargetVisibleWithoutFreezeAnalyzer.ReportMaybePathsOption, "true")
            .WithSourceCode(RuleSource.Body("""
                if (range.Length > 0)
                    z.WriteProtect(uffd, ranges);
                z.Zap(fd, {|#0:ranges|});
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(TargetVisibleWithoutFreezeAnalyzer.MaybeRule).WithLocation(0).WithArguments("IRemoteZap.Zap"))
            .ValidateAsync();

    [Fact]
    public Task FrozenInsideLoopBeforeEachZap_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                foreach (var r in ranges)
                {
                    z.WriteProtect(uffd, [r]);
                    z.Zap(fd, [r]);
                }
                """))
            .ValidateAsync();

    [Fact]
    public Task OwnMemory_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.ZapOwn(range);
                """))
            .ValidateAsync();

    [Fact]
    public Task FrozenBeforeALoopOfZaps_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.WriteProtect(uffd, ranges);
                for (var i = 0; i < 3; i++)
                    z.Zap(fd, ranges);
                """))
            .ValidateAsync();

    [Fact]
    public Task ZapThroughAnAdapterWithAMemberPath_IsMatchedByPath() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using System;
                using ApiLab.Spec;

                namespace Demo;

                public sealed class Region
                {
                    public IoVec[] Ranges { get; set; } = [];
                    public IoVec[] Other { get; set; } = [];
                }

                public static class Caller
                {
                    public static void Run(IRemoteZap z, Uffd uffd, Pidfd fd, Region region)
                    {
                        z.WriteProtect(uffd, region.Ranges);
                        z.Zap(fd, region.Ranges);
                        z.Zap(fd, {|APILAB1004:region.Other|});
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task RangeComputedInPlace_IsReportedWhenNothingIsFrozen() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.Zap(fd, {|APILAB1004:[new IoVec(range.Base, 4096)]|});
                """))
            .ValidateAsync();
}
