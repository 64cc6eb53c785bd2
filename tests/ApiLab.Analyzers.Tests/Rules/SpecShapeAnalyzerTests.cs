using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

/// <summary>The analyzer side of the shared spec validator: the rules themselves are tested with the generator.</summary>
public sealed class SpecShapeAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() => new ProjectBuilder().WithAnalyzer<SpecShapeAnalyzer>();

    private const string Usings = """
        using System;
        using ApiLab.Spec;

        namespace Demo;

        """;

    [Fact]
    public Task WellFormedSpecs_AreNotReported() =>
        CreateProjectBuilder().WithSpecs().ValidateAsync();

    [Fact]
    public Task UsageRuleSpecs_AreWellFormed() =>
        CreateProjectBuilder().WithRuleSpecs().ValidateAsync();

    [Fact]
    public Task SpecNotDeclaredPartial_IsReportedOnTheProposalAttribute() =>
        CreateProjectBuilder()
            .WithSourceCode(Usings + """
                [{|#0:Proposal("remote-madvise", "broken", Seed = "000_test.txt")|}]
                public interface IBroken
                {
                }
                """)
            .ShouldReportDiagnostic(new DiagnosticResult(SpecShapeAnalyzer.ProposalShapeRule)
                .WithLocation(0)
                .WithArguments("IBroken", "it is not declared partial"))
            .ValidateAsync();

    [Fact]
    public Task SpecWithoutSeed_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Usings + """
                [{|APILAB0010:Proposal("remote-madvise", "broken")|}]
                public partial interface IBroken
                {
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task MethodNotReturningSysResult_IsReportedOnTheMethod() =>
        CreateProjectBuilder()
            .WithSourceCode(Usings + """
                [Proposal("remote-madvise", "broken", Seed = "000_test.txt")]
                public partial interface IBroken
                {
                    [Syscall("process_madvise"), Target(TargetKind.Pidfd)]
                    long {|#0:Advise|}(Pidfd target);
                }
                """)
            .ShouldReportDiagnostic(new DiagnosticResult(SpecShapeAnalyzer.ReturnTypeNotSysResultRule)
                .WithLocation(0)
                .WithArguments("Advise", "long"))
            .ValidateAsync();

    [Fact]
    public Task SeveralViolations_AreAllReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Usings + """
                [Proposal("remote-madvise", "broken", Seed = "000_test.txt")]
                public partial interface IBroken
                {
                    [Syscall("process_madvise"), Target(TargetKind.Pidfd), {|APILAB0005:Hint|}, TargetVisible, {|APILAB0008:Vectored|}]
                    SysResult<long> Advise(Pidfd target, [{|APILAB0009:MustBeZero|}] string flags);

                    [Syscall("munmap"), {|APILAB0004:Target(TargetKind.Pid)|}]
                    SysResult<long> Unmap(Pidfd target);
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task TypesWithoutProposal_AreIgnored() =>
        CreateProjectBuilder()
            .WithSourceCode(Usings + """
                public interface INotASpec
                {
                    long Advise(string flags);
                }
                """)
            .ValidateAsync();
}
