using System.Collections.Immutable;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Tests.Rules;

/// <summary>Broken and half-typed code is ordinary input: the analyzers must never throw (AD0001).</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> BrokenSnippets() =>
    [
        // Unfinished statements in the middle of a taint chain.
        """
        using ApiLab.Spec;
        namespace Demo;
        public static class Caller
        {
            public static void Run(IMainlineMadvise m, Pid pid, Pidfd fd)
            {
                var maps = m.ReadMaps(pid).
                m.Advise(fd, [new IoVec(maps[0].Start, maps[0].], Advice.Cold
            }
        }
        """,
        // Unknown members, wrong arity, missing arguments.
        """
        using ApiLab.Spec;
        namespace Demo;
        public static class Caller
        {
            public static void Run(ICookieMadvise c, Pidfd fd)
            {
                var s = c.QueryVmas(fd, 1, 2).Value;
                c.Advise(fd, s.Nope, Advice.Cold);
                c.Advise(fd, ranges: s.Vmas, cookie: s.Cookie, advice: );
                Undefined(s);
            }
        }
        """,
        // A spec whose annotations are themselves broken.
        """
        using System;
        using ApiLab.Spec;
        namespace Demo;
        [Proposal("x")]
        public interface IBroken
        {
            [Snapshot(RevalidatedBy = typeof(NoSuchType))] int Query(Pidfd fd);
            [Snapshot(RevalidatedBy = 3)] int Query2();
            long Act([TargetRange] ReadOnlySpan<IoVec> r, [Revalidates] NoSuchType cookie);
            [InvalidatesLayout(1)] void Change();
        }
        public class BrokenAdapter : IBroken
        {
            public void Run(IBroken b)
            {
                var x = b.Query(default);
                b.Change();
                b.Act([new IoVec((ulong)x, 1)], x);
                b.Act(, );
            }
        }
        """,
        // Garbage around otherwise valid calls: lambdas, goto, try without handlers, top-level noise.
        """
        using System.Linq;
        using ApiLab.Spec;
        namespace Demo;
        public static class Caller
        {
            public static void Run(IMainlineMadvise m, Pid pid, Pidfd fd)
            {
                var maps = m.ReadMaps(pid).Value;
                label:
                try { m.Advise(fd, maps.Select(v => new IoVec(v.Start, v.Length)).ToArray(), Advice.Cold, 0) }
                goto label
                Func<int> f = () => { m.Advise(fd, [maps[0] with { }], 0); 
            }
        }
        }}}
        """,
        """
        using ApiLab.Spec;
        class C { void M(IMainlineMadvise m) { m.Advise(m.ReadMaps(default).Value, m.ReadMaps(default).Value); var (a, b, c) = m.ReadMaps(default); m.Advise(default, [a, .. b], c, 0u); } }
        """,
    ];

    /// <summary>Every analyzer the assembly ships, so a new rule is covered without editing this file.</summary>
    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        [.. typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(static t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    [Theory]
    [MemberData(nameof(BrokenSnippets))]
    public async Task BrokenCode_ProducesNoAnalyzerException(string source)
    {
        var diagnostics = await AnalyzerRunner.GetAnalyzerDiagnosticsAsync(AllAnalyzers(), TestSpecs.Madvise, source);

        Assert.DoesNotContain(diagnostics, static d => d.Id == "AD0001");
    }

    [Fact]
    public async Task TheRunnerSurfacesAnalyzerExceptionsAsAD0001()
    {
        // Guards the test above: if exceptions were swallowed, it would pass vacuously.
        var diagnostics = await AnalyzerRunner.GetAnalyzerDiagnosticsAsync([new ThrowingAnalyzer()], "class C { void M() { M(); } }");

        Assert.Contains(diagnostics, static d => d.Id == "AD0001");
    }

    // A test fixture, never loaded by a compiler: the shipping-analyzer rules (extended rules, release tracking) do not apply.
#pragma warning disable RS1001, RS1036, RS2008
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0001", "Test", "Test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(static _ => throw new InvalidOperationException("boom"), OperationKind.Invocation);
        }
    }
#pragma warning restore RS1001, RS1036, RS2008
}
