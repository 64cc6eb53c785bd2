using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

/// <summary>
/// The call-site rules see a spec call in every kind of body, not only block-bodied methods: the syntax prefilter
/// (SpecBody) must hand each shape's operation tree over. APILAB1002 stands for all of them.
/// </summary>
public sealed class BodyShapeTests
{
    private static readonly DiagnosticResult Expected =
        new DiagnosticResult(PidWherePidfdExistsAnalyzer.Rule).WithLocation(0).WithArguments("ISignals.Kill", "ISignals.Kill");

    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<PidWherePidfdExistsAnalyzer>().WithRuleSpecs();

    [Theory]
    [InlineData("public object Run(ISignals s, Pid pid) => s.Kill({|#0:pid|}, 9);")]
    [InlineData("private ISignals _s = null!; private Pid _pid; public object Value => _s.Kill({|#0:_pid|}, 9);")]
    [InlineData("private ISignals _s = null!; private Pid _pid; public object Value { get { return _s.Kill({|#0:_pid|}, 9); } }")]
    [InlineData("private static readonly Func<ISignals, Pid, object> Kill = (s, pid) => s.Kill({|#0:pid|}, 9);")]
    [InlineData("public Caller(ISignals s, Pid pid) { s.Kill({|#0:pid|}, 9); }")]
    [InlineData("public void Run(ISignals s, Pid pid) { Local(); void Local() => s.Kill({|#0:pid|}, 9); }")]
    [InlineData("public object Run(ISignals? s, Pid pid) => s?.Kill({|#0:pid|}, 9)!;")]
    [InlineData("public object Run(ISignals s, Pid pid) => s.@Kill({|#0:pid|}, 9);")]
    [InlineData("public object Run(ISignals s, Pid pid) => s.\\u004Bill({|#0:pid|}, 9);")]
    public async Task A_spec_call_is_seen_in_every_kind_of_member_body(string member)
    {
        // Alone, the body is most of the compilation's (the rules take the driver's operation blocks); among many
        // ordinary methods, the syntax prefilter picks it out. Both paths must see it.
        foreach (var padding in (string[])["", Padding])
        {
            await CreateProjectBuilder()
                .WithSourceCode($$"""
                    using System;
                    using ApiLab.Spec;

                    namespace Demo;

                    public class Caller
                    {
                        {{member}}
                        {{padding}}
                    }
                    """)
                .ShouldReportDiagnostic(Expected)
                .ValidateAsync();
        }
    }

    /// <summary>Enough methods that call no spec for the prefilter to pay (the test specs' own members count too).</summary>
    private static readonly string Padding = string.Join("\n", Enumerable.Range(0, 60).Select(static i => $"public int Pad{i}(int x) => x + {i};"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_spec_call_in_top_level_statements_is_seen(bool padded) =>
        CreateProjectBuilder()
            .AsProgram()
            .WithSourceCode("""
                using ApiLab.Spec;
                using Demo;

                ISignals s = null!;
                Pid pid = default;
                s.Kill({|#0:pid|}, 9);
                """)
            .WithSourceCode(padded ? $"namespace Demo; public class Ordinary {{ {Padding} }}" : "namespace Demo; public class Ordinary { }")
            .ShouldReportDiagnostic(Expected)
            .ValidateAsync();

    [Fact]
    public Task A_body_that_names_no_spec_member_is_skipped_and_a_same_named_unrelated_call_is_not_reported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using ApiLab.Spec;

                namespace Demo;

                public class Caller
                {
                    private static int Kill(Pid pid, int signal) => signal;

                    public int Run(Pid pid) => Kill(pid, 9) + "x".Length;
                }
                """)
            .ValidateAsync();
}
