using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

/// <summary>
/// The composite the build loads: every call-site rule on one body in one pass, as each reports alone; a rule the
/// options turn off is left out. And the rules on specs compiled into a reference, as a user's project has them (the
/// prefilter's names and the debate index then come from metadata).
/// </summary>
public sealed class CallSiteAnalyzerTests
{
    private const string ThreeFindings = """
        var maps = m.ReadMaps(pid).Value;
        var spans = new IoVec[maps.Length];
        for (var i = 0; i < maps.Length; i++)
            spans[i] = new IoVec(maps[i].Start, maps[i].Length);
        {|#2:m.Advise(fd, {|#0:spans|}, Advice.Cold, 0)|};
        s.Kill({|#1:pid|}, 9);
        """;

    private static readonly DiagnosticResult Unrevalidated = new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.NotRevalidatedRule)
        .WithLocation(0).WithArguments("IMainlineMadvise.Advise", "IMainlineMadvise.ReadMaps");

    private static readonly DiagnosticResult Ignored = new DiagnosticResult(PartialResultAnalyzer.IgnoredRule)
        .WithLocation(2).WithArguments("IMainlineMadvise.Advise");

    private static readonly DiagnosticResult RawPid = new DiagnosticResult(PidWherePidfdExistsAnalyzer.Rule)
        .WithLocation(1).WithArguments("ISignals.Kill", "ISignals.Kill");

    [Fact]
    public void Supports_every_call_site_rule_and_nothing_else()
    {
        var ids = new CallSiteAnalyzer().SupportedDiagnostics.Select(static d => d.Id).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["APILAB1001", "APILAB1002", "APILAB1003", "APILAB1004", "APILAB1005", "APILAB1006", "APILAB1007"], ids);
    }

    [Fact]
    public Task Reports_what_each_rule_reports_alone() =>
        new ProjectBuilder().WithAnalyzer<CallSiteAnalyzer>().WithRuleSpecs()
            .WithSourceCode(RuleSource.Body(ThreeFindings))
            .ShouldReportDiagnostic(Unrevalidated)
            .ShouldReportDiagnostic(RawPid)
            .ShouldReportDiagnostic(Ignored)
            .ValidateAsync();

    [Fact]
    public Task A_rule_turned_off_is_left_out_and_the_others_still_run() =>
        new ProjectBuilder().WithAnalyzer<CallSiteAnalyzer>().WithRuleSpecs()
            .WithGlobalConfig("dotnet_diagnostic.APILAB1001.severity", "none")
            .WithGlobalConfig("dotnet_diagnostic.APILAB1003.severity", "none")
            .WithSourceCode(RuleSource.Body(ThreeFindings))
            .ShouldReportDiagnostic(RawPid)
            .ValidateAsync();

    [Fact]
    public void A_rule_is_left_out_only_when_all_its_ids_are_off_for_the_whole_compilation()
    {
        var options = new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary)
            .WithSpecificDiagnosticOptions([new("APILAB1001", Microsoft.CodeAnalysis.ReportDiagnostic.Suppress), new("APILAB1002", Microsoft.CodeAnalysis.ReportDiagnostic.Error)]);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Options", options: options);
        var enabled = CallSiteAnalyzer.Enabled(compilation, CallSiteAnalyzer.All, TestContext.Current.CancellationToken);
        Assert.Equal(CallSiteAnalyzer.All.Length - 1, enabled.Length);
        Assert.DoesNotContain(enabled, static r => r is UnrevalidatedSnapshotRangeAnalyzer);
        Assert.Contains(enabled, static r => r is PidWherePidfdExistsAnalyzer);
    }

    [Fact]
    public Task Compiled_specs_are_read_from_metadata_the_debate_included() =>
        new ProjectBuilder().WithAnalyzer<PidWherePidfdExistsAnalyzer>().WithCompiledRuleSpecs()
            .WithSourceCode(RuleSource.Body("""
                p.Advise({|#0:pid|}, ranges, Advice.Cold, 0);
                s.Kill({|#1:pid|}, 9);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(PidWherePidfdExistsAnalyzer.Rule).WithLocation(0).WithArguments("IPidMadvise.Advise", "IMainlineMadvise.Advise"))
            .ShouldReportDiagnostic(RawPid)
            .ValidateAsync();

    [Fact]
    public Task Compiled_specs_drive_the_prefilter_among_many_ordinary_bodies() =>
        new ProjectBuilder().WithAnalyzer<UnrevalidatedSnapshotRangeAnalyzer>().WithCompiledRuleSpecs()
            .WithSourceCode(RuleSource.Body(ThreeFindings,
                members: string.Join("\n", Enumerable.Range(0, 40).Select(static i => $"public int Pad{i}(int x) => x + {i};"))))
            .ShouldReportDiagnostic(Unrevalidated)
            .ValidateAsync();
}
