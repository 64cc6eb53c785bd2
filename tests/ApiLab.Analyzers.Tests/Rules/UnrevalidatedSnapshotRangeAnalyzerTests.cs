using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class UnrevalidatedSnapshotRangeAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<UnrevalidatedSnapshotRangeAnalyzer>().WithSpecs();

    private static string Body(string statements, string parameters = "IMainlineMadvise m, ICookieMadvise c, Pid pid, Pidfd fd") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using ApiLab.Spec;

        namespace Demo;

        public static class Caller
        {
            public static void Run({{parameters}})
            {
        {{statements}}
            }
        }
        """;

    [Fact]
    public Task MapsRangesPassedToMainlineAdvise_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var ranges = new IoVec[maps.Length];
                for (var i = 0; i < maps.Length; i++)
                    ranges[i] = new IoVec(maps[i].Start, maps[i].Length);
                m.Advise(fd, {|#0:ranges|}, Advice.Cold, 0);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.NotRevalidatedRule)
                .WithLocation(0)
                .WithArguments("IMainlineMadvise.Advise", "IMainlineMadvise.ReadMaps"))
            .ValidateAsync();

    [Fact]
    public Task CookieFromTheSameSnapshot_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var snapshot = c.QueryVmas(fd).Value;
                foreach (var vma in snapshot.Vmas)
                    c.Advise(fd, [new IoVec(vma.Start, vma.Length)], Advice.Cold, snapshot.Cookie);
                """))
            .ValidateAsync();

    [Fact]
    public Task CookieFromOutParameterOfTheSnapshot_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode("""
                using System;
                using System.Linq;
                using ApiLab.Spec;

                namespace Demo;

                // The shape DESIGN.md sketches: the cookie comes back through an out parameter of the snapshot call.
                public interface IOutCookieMadvise
                {
                    [Snapshot(RevalidatedBy = typeof(LayoutCookie))]
                    SysResult<VmaInfo[]> QueryVmas(Pidfd target, out LayoutCookie cookie);

                    SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [Revalidates] LayoutCookie cookie);
                }

                public static class Caller
                {
                    public static void Run(IOutCookieMadvise c, Pidfd fd)
                    {
                        var vmas = c.QueryVmas(fd, out var cookie).Value;
                        c.Advise(fd, vmas.Select(v => new IoVec(v.Start, v.Length)).ToArray(), Advice.PageOut, cookie);
                        c.Advise(fd, {|APILAB1001:vmas.Select(v => new IoVec(v.Start, v.Length)).ToArray()|}, Advice.PageOut, default);
                    }
                }
                """)
            .ValidateAsync();

    [Fact]
    public Task CallThroughAdapterClass_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var maps = adapter.ReadMaps(pid).Value;
                adapter.Advise(fd, {|#0:new[] { new IoVec(maps[0].Start, maps[0].Length) }|}, Advice.Cold, 0);
                """,
                "MainlineMadviseAdapter adapter, Pid pid, Pidfd fd"))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.NotRevalidatedRule)
                .WithLocation(0)
                .WithArguments("MainlineMadviseAdapter.Advise", "IMainlineMadvise.ReadMaps"))
            .ValidateAsync();

    [Fact]
    public Task CallThroughAdapterClassWithCookie_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var snapshot = adapter.QueryVmas(fd).Value;
                var first = snapshot.Vmas[0];
                adapter.Advise(fd, [new IoVec(first.Start, first.Length)], Advice.Cold, snapshot.Cookie);
                """,
                "CookieMadviseAdapter adapter, Pidfd fd"))
            .ValidateAsync();

    [Fact]
    public Task IoVecBuiltInForeachAndCollectionExpression_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                foreach (var vma in m.ReadMaps(pid).Value)
                {
                    if (vma.IsAnonymous)
                        m.Advise(fd, {|APILAB1001:[new IoVec(vma.Start, vma.Length)]|}, Advice.PageOut, 0);
                }
                """))
            .ValidateAsync();

    [Fact]
    public Task ListFilledInLoopThenToArray_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var ranges = new List<IoVec>();
                foreach (var vma in m.ReadMaps(pid).Value)
                {
                    if (vma.IsAnonymous)
                        ranges.Add(new IoVec(vma.Start, vma.Length));
                }

                m.Advise(fd, {|APILAB1001:ranges.ToArray()|}, Advice.PageOut, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task CollectionInitializerAndSpread_AreReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var heap = new List<IoVec> { new IoVec(maps[0].Start, 4096) };
                IoVec[] all = [new IoVec(0x1000, 0x1000), .. heap];
                m.Advise(fd, {|APILAB1001:all|}, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task LinqQueryOverSnapshot_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var ranges = (from v in maps where v.IsAnonymous select new IoVec(v.Start, v.Length)).ToArray();
                m.Advise(fd, {|APILAB1001:ranges|}, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task LambdaIndexingCapturedSnapshot_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var ranges = Enumerable.Range(0, 2).Select(i => new IoVec(maps[i].Start, maps[i].Length)).ToArray();
                m.Advise(fd, {|APILAB1001:ranges|}, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task UseInsideLambdaOverSnapshotElements_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                m.ReadMaps(pid).Value.ToList().ForEach(v => m.Advise(fd, {|APILAB1001:[new IoVec(v.Start, v.Length)]|}, Advice.Cold, 0));
                """))
            .ValidateAsync();

    [Fact]
    public Task UseInsideLocalFunction_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                Advise();

                void Advise() => m.Advise(fd, {|APILAB1001:[new IoVec(maps[0].Start, maps[0].Length)]|}, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task TupleDeconstruction_IsReportedOnlyForTheDerivedPart() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var (start, fixedLength) = (maps[0].Start, 4096UL);
                var (otherStart, otherLength) = (0x7000UL, fixedLength);
                m.Advise(fd, {|APILAB1001:[new IoVec(start, 4096)]|}, Advice.Cold, 0);
                m.Advise(fd, [new IoVec(otherStart, otherLength)], Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task RangeNotFromASnapshot_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var ranges = new List<IoVec>(configured.Length);
                foreach (var range in configured)
                    ranges.Add(new IoVec(range.Base, range.Length));
                m.Advise(fd, ranges.ToArray(), Advice.Cold, 0);
                m.Advise(fd, [new IoVec(0x7f00_0000_0000, 4096)], Advice.Cold, 0);
                var maps = m.ReadMaps(pid).Value;
                m.Advise(fd, configured, Advice.Cold, (uint)maps.Length);
                """,
                "IMainlineMadvise m, Pid pid, Pidfd fd, IoVec[] configured"))
            .ValidateAsync();

    [Fact]
    public Task CookieFromAnUnrelatedSource_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var snapshot = c.QueryVmas(fd).Value;
                var ranges = snapshot.Vmas.Select(v => new IoVec(v.Start, v.Length)).ToArray();
                c.Advise(fd, {|#0:ranges|}, Advice.Cold, saved);
                c.Advise(fd, {|#1:ranges|}, Advice.Cold, new LayoutCookie(42));
                """,
                "ICookieMadvise c, Pidfd fd, LayoutCookie saved"))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.ForeignRevalidatorRule)
                .WithLocation(0)
                .WithArguments("ICookieMadvise.Advise", "ICookieMadvise.QueryVmas", "cookie"))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.ForeignRevalidatorRule)
                .WithLocation(1)
                .WithArguments("ICookieMadvise.Advise", "ICookieMadvise.QueryVmas", "cookie"))
            .ValidateAsync();

    [Fact]
    public Task CookieOfAnotherFamilyMember_DoesNotVouchForMainlineMaps() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                var cookie = c.QueryVmas(fd).Value.Cookie;
                c.Advise(fd, {|APILAB1001:[new IoVec(maps[0].Start, maps[0].Length)]|}, Advice.Cold, cookie);
                """))
            .ValidateAsync();

    [Fact]
    public Task InvalidatingCallBetweenSnapshotAndUse_IsReportedAsInvalidated() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var maps = m.ReadMaps(pid).Value;
                m.Unmap(fd, 0x1000, 0x1000);
                m.Advise(fd, {|#0:[new IoVec(maps[0].Start, maps[0].Length)]|}, Advice.Cold, 0);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.InvalidatedRule)
                .WithLocation(0)
                .WithArguments("IMainlineMadvise.Advise", "IMainlineMadvise.ReadMaps", "IMainlineMadvise.Unmap"))
            .ValidateAsync();

    [Fact]
    public Task InvalidatedSnapshotWithItsOwnCookie_IsNotReported_TheKernelRefuses() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var snapshot = c.QueryVmas(fd).Value;
                c.Unmap(fd, 0x1000, 0x1000);
                c.Advise(fd, [new IoVec(snapshot.Vmas[0].Start, 4096)], Advice.Cold, snapshot.Cookie);
                """))
            .ValidateAsync();

    [Fact]
    public Task InvalidatedRangesWithAFresherCookie_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                var before = c.QueryVmas(fd).Value;
                c.Unmap(fd, 0x1000, 0x1000);
                var after = c.QueryVmas(fd).Value;
                c.Advise(fd, {|#0:[new IoVec(before.Vmas[0].Start, 4096)]|}, Advice.Cold, after.Cookie);
                c.Advise(fd, [new IoVec(after.Vmas[0].Start, 4096)], Advice.Cold, after.Cookie);
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.InvalidatedRule)
                .WithLocation(0)
                .WithArguments("ICookieMadvise.Advise", "ICookieMadvise.QueryVmas", "ICookieMadvise.Unmap"))
            .ValidateAsync();

    private const string MaybePath = """
                var ranges = fresh ? m.ReadMaps(pid).Value.Select(v => new IoVec(v.Start, v.Length)).ToArray() : configured;
                m.Advise(fd, {|#0:ranges|}, Advice.Cold, 0);
                """;

    private const string MaybePathParameters = "IMainlineMadvise m, Pid pid, Pidfd fd, bool fresh, IoVec[] configured";

    [Fact]
    public Task SnapshotOnSomePathsOnly_IsNotReportedByDefault() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(MaybePath.Replace("{|#0:ranges|}", "ranges", StringComparison.Ordinal), MaybePathParameters))
            .ValidateAsync();

    [Fact]
    public Task SnapshotOnSomePathsOnly_IsReportedWhenMaybePathsAreOn() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(MaybePath, MaybePathParameters))
            .WithEditorConfig(UnrevalidatedSnapshotRangeAnalyzer.ReportMaybePathsOption, "true")
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.MaybeRule)
                .WithLocation(0)
                .WithArguments("IMainlineMadvise.Advise", "IMainlineMadvise.ReadMaps"))
            .ValidateAsync();

    [Fact]
    public Task CookieOnSomePathsOnly_IsAMaybe() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var snapshot = c.QueryVmas(fd).Value;
                var cookie = trustSaved ? saved : snapshot.Cookie;
                c.Advise(fd, {|#0:[new IoVec(snapshot.Vmas[0].Start, 4096)]|}, Advice.Cold, cookie);
                """,
                "ICookieMadvise c, Pidfd fd, bool trustSaved, LayoutCookie saved"))
            .WithEditorConfig(UnrevalidatedSnapshotRangeAnalyzer.ReportMaybePathsOption, "true")
            .ShouldReportDiagnostic(new DiagnosticResult(UnrevalidatedSnapshotRangeAnalyzer.MaybeRule)
                .WithLocation(0)
                .WithArguments("ICookieMadvise.Advise", "ICookieMadvise.QueryVmas"))
            .ValidateAsync();

    [Fact]
    public Task DefaultOnTheOtherPath_IsNotAMaybe() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                IoVec heap = default;
                foreach (var vma in m.ReadMaps(pid).Value)
                {
                    if (vma.Name == "[heap]")
                    {
                        heap = new IoVec(vma.Start, vma.Length);
                        break;
                    }
                }

                m.Advise(fd, {|APILAB1001:[heap]|}, Advice.Cold, 0);
                """))
            .ValidateAsync();

    [Fact]
    public Task ReassignedFromElsewhereBeforeUse_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body(
                """
                var ranges = m.ReadMaps(pid).Value.Select(v => new IoVec(v.Start, v.Length)).ToArray();
                ranges = configured;
                m.Advise(fd, ranges, Advice.Cold, 0);
                """,
                "IMainlineMadvise m, Pid pid, Pidfd fd, IoVec[] configured"))
            .ValidateAsync();

    [Fact]
    public Task SnapshotInTryUsedInCatchAndFinally_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                IoVec[] ranges = [];
                try
                {
                    ranges = m.ReadMaps(pid).Value.Select(v => new IoVec(v.Start, v.Length)).ToArray();
                }
                catch (InvalidOperationException)
                {
                    m.Advise(fd, {|APILAB1001:ranges|}, Advice.Cold, 0);
                }
                finally
                {
                    m.Advise(fd, {|APILAB1001:ranges|}, Advice.PageOut, 0);
                }
                """))
            .ValidateAsync();

    [Fact]
    public Task CodeWithoutSnapshots_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Body("""
                m.Advise(fd, [new IoVec(0x1000, 0x1000)], Advice.Cold, 0);
                c.Advise(fd, [], Advice.Cold, default);
                """))
            .ValidateAsync();
}
