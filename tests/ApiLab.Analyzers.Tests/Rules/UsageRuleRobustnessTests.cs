using System.Collections.Immutable;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Tests.Rules;

/// <summary>Broken code around the annotations APILAB1002-1007 read: never an analyzer exception (AD0001).</summary>
public sealed class UsageRuleRobustnessTests
{
    public static TheoryData<string> BrokenSnippets() =>
    [
        // Handles, freezes and payloads in half-typed code.
        """
        using ApiLab.Spec;
        namespace Demo;
        public static class Caller
        {
            public static void Run(IRemoteZap z, ISignals s, IMemory mem, Pid pid, Pidfd fd, IoVec[] r)
            {
                var u = z.OpenUffd().
                z.WriteProtect(u, [r[0], .. r], );
                try { z.Zap(fd, r) } finally { z.CloseUffd(u, u); }
                s.Kill(pid, );
                s.Close(s.Open(pid).Value.Fd);
                mem.Store(mem.MapAnonymous().Value, Undefined);
                Func<Pidfd> f = () => s.Open(pid).Value; f().
                goto end;
            }
        }
        """,
        // Broken annotations: wrong argument types and counts, unknown names.
        """
        using System;
        using ApiLab.Spec;
        [assembly: RunsWith(3, Ptrace = "read")]
        namespace Demo;
        [Proposal("signals")]
        public interface IBroken
        {
            [Requires(Capability.Kill)] [Target(TargetKind.Pid)] int Kill(Pid p);
            [Requires] [Target(99)] SysResult<Pidfd> Open(Pid p, Pid q);
            [Allocates(ExcludedFromDump = 1)] ulong Map();
            int Store([Payload(Into = nameof(nowhere))] byte[] data, [Releases] int fd);
            [Freezes(1)] [TargetVisible] int Zap([TargetRange] NoSuch r);
        }
        [RunsWith(Capability.SysNice, Capability.)]
        public class User
        {
            [Secret] private byte[] _k;
            [return: Secret] byte[] K() => _k;
            public void Run(IBroken b, Pid pid)
            {
                b.Kill(pid); b.Open(pid, pid).Value.Fd; b.Store(K(), b.Map()); b.Zap(default);
                var (x, y) = b.Open(pid); b.Store(x, y);
            }
        }
        """,
        // Loops, switch expressions, local functions and lambdas that capture handles.
        """
        using System.Linq;
        using ApiLab.Spec;
        namespace Demo;
        public static class Caller
        {
            public static int Run(IRemoteZap z, ISignals s, Pid[] pids, IoVec[] r)
            {
                foreach (var pid in pids)
                {
                    var fd = s.Open(pid) switch { { IsOk: true } ok => ok.Value, _ => default };
                    void Close() => s.Close(fd);
                    if (pids.Length > 1) continue; else Close();
                    z.Stop(fd); z.Zap(fd, r.Where(x => x.Length > 0).ToArray());
                }

                return pids.Select(p => s.Open(p).Value).Count(f => s.Close(f).IsOk);
            }
        }
        """,
    ];

    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        [.. typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(static t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    [Theory]
    [MemberData(nameof(BrokenSnippets))]
    public async Task BrokenCode_ProducesNoAnalyzerException(string source)
    {
        var diagnostics = await AnalyzerRunner.GetAnalyzerDiagnosticsAsync(AllAnalyzers(), TestSpecs.Madvise, TestSpecs.Rules, source);

        Assert.DoesNotContain(diagnostics, static d => d.Id == "AD0001");
    }

    [Fact]
    public async Task ValidCodeWithEveryRule_ReportsEachUsageRule()
    {
        // Guards the theory above against vacuity: the same runner does see the rules fire.
        const string source = """
            using ApiLab.Spec;
            [assembly: RunsWith]
            namespace Demo;
            public sealed class Caller
            {
                [Secret] private readonly byte[] _key = new byte[32];

                public void Run(IRemoteZap z, ISignals s, IMemory mem, Pid pid, Pidfd fd, IoVec[] r)
                {
                    s.Kill(pid, 9);
                    z.Zap(fd, r);
                    var leaked = s.Open(pid).Value;
                    mem.Store(mem.MapAnonymous(4096).Value, _key);
                }
            }
            """;

        var diagnostics = await AnalyzerRunner.GetAnalyzerDiagnosticsAsync(AllAnalyzers(), TestSpecs.Madvise, TestSpecs.Rules, source);
        var ids = diagnostics.Select(static d => d.Id).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            ["APILAB1002", "APILAB1003", "APILAB1004", "APILAB1005", "APILAB1006", "APILAB1007"],
            ids.Where(static id => id.StartsWith("APILAB10", StringComparison.Ordinal) && id != "APILAB1001").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("AD0001", ids);
    }
}
