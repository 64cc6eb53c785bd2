using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class UndeclaredPrivilegeAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<UndeclaredPrivilegeAnalyzer>().WithRuleSpecs();

    [Fact]
    public Task MissingCapability_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body(
                """
                {|#0:z.Zap(fd, ranges)|};
                """,
                attributes: "[RunsWith(Ptrace = PtraceMode.ReadFsCreds)]"))
            .ShouldReportDiagnostic(new DiagnosticResult(UndeclaredPrivilegeAnalyzer.UndeclaredRule)
                .WithLocation(0)
                .WithArguments("IRemoteZap.Zap", "Capability.SysNice", "Run"))
            .ValidateAsync();

    [Fact]
    public Task MissingPtraceModeAndCapability_AreBothNamed() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body(
                """
                {|#0:z.Zap(fd, ranges)|};
                """,
                attributes: "[RunsWith]"))
            .ShouldReportDiagnostic(new DiagnosticResult(UndeclaredPrivilegeAnalyzer.UndeclaredRule)
                .WithLocation(0)
                .WithArguments("IRemoteZap.Zap", "Capability.SysNice and PtraceMode.ReadFsCreds", "Run"))
            .ValidateAsync();

    [Fact]
    public Task DeclarationOnTheType_Counts() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                namespace Demo;

                [RunsWith(Capability.SysNice, Ptrace = PtraceMode.AttachFsCreds)]
                public sealed class Manager
                {
                    // ATTACH covers READ with the same credential source.
                    public void Run(IRemoteZap z, Pidfd fd, IoVec[] ranges) => z.Zap(fd, ranges);

                    // The nearest declaration wins: this method says it runs unprivileged.
                    [RunsWith]
                    public void Unprivileged(IRemoteZap z, Pidfd fd, IoVec[] ranges) => {|APILAB1006:z.Zap(fd, ranges)|};

                    // REALCREDS is another credential source than the type's FSCREDS.
                    public void Read(IRemoteZap z, Pidfd fd, IoVec[] ranges) => {|APILAB1006:z.Read(fd, ranges)|};
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task CapSysPtrace_CoversEveryPtraceMode() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                [assembly: RunsWith(Capability.SysPtrace, Capability.SysNice)]

                namespace Demo;

                public static class Manager
                {
                    public static void Run(IRemoteZap z, Pidfd fd, IoVec[] ranges)
                    {
                        z.Zap(fd, ranges);
                        z.Read(fd, ranges);
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task NoDeclarationAnywhere_IsNotReportedByDefault() =>
        CreateProjectBuilder()
            .WithSourceCode(RuleSource.Body("""
                z.Zap(fd, ranges);
                s.Kill(fd, 9);
                """))
            .ValidateAsync();

    [Fact]
    public Task NoDeclarationAnywhere_IsReportedInStrictMode() =>
        CreateProjectBuilder()
            .WithEditorConfig(UndeclaredPrivilegeAnalyzer.StrictOption, "true")
            .WithSourceCode(RuleSource.Body("""
                {|#0:s.Kill(fd, 9)|};
                z.OpenUffd();
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(UndeclaredPrivilegeAnalyzer.NoDeclarationRule)
                .WithLocation(0)
                .WithArguments("ISignals.Kill", "Capability.Kill"))
            .ValidateAsync();
}
