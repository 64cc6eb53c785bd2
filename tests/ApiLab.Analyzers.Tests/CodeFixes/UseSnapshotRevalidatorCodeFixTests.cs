using ApiLab.Analyzers.CodeFixes;
using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;

namespace ApiLab.Analyzers.Tests.CodeFixes;

public sealed class UseSnapshotRevalidatorCodeFixTests
{
    private static Task VerifyAsync(string before, string after) =>
        CodeFixBuilder.VerifyAsync<UnrevalidatedSnapshotRangeAnalyzer, UseSnapshotRevalidatorCodeFixProvider>(Wrap(before), Wrap(after));

    private static string Wrap(string statements) => $$"""
        using System;
        using ApiLab.Spec;

        namespace Demo;

        public static class Caller
        {
            public static void Run(ICookieMadvise c, IMainlineMadvise m, Pid pid, Pidfd fd, LayoutCookie saved)
            {
        {{statements}}
            }
        }
        """;

    [Fact]
    public Task ForeignCookie_IsReplacedByTheSnapshotsCookie() =>
        VerifyAsync(
            """
                    var snapshot = c.QueryVmas(fd).Value;
                    foreach (var vma in snapshot.Vmas)
                        c.Advise(fd, {|APILAB1001:[new IoVec(vma.Start, vma.Length)]|}, Advice.Cold, saved);
            """,
            """
                    var snapshot = c.QueryVmas(fd).Value;
                    foreach (var vma in snapshot.Vmas)
                        c.Advise(fd, [new IoVec(vma.Start, vma.Length)], Advice.Cold, snapshot.Cookie);
            """);

    [Fact]
    public Task SnapshotKeptAsSysResult_IsReachedThroughValue() =>
        VerifyAsync(
            """
                    var queried = c.QueryVmas(fd);
                    var first = queried.Value.Vmas[0];
                    c.Advise(fd, {|APILAB1001:[new IoVec(first.Start, first.Length)]|}, Advice.Cold, default);
            """,
            """
                    var queried = c.QueryVmas(fd);
                    var first = queried.Value.Vmas[0];
                    c.Advise(fd, [new IoVec(first.Start, first.Length)], Advice.Cold, queried.Value.Cookie);
            """);

    [Fact]
    public Task TwoSnapshots_AreAmbiguousAndNotFixed() =>
        VerifyAsync(
            """
                    var a = c.QueryVmas(fd).Value;
                    var b = c.QueryVmas(fd).Value;
                    c.Advise(fd, {|APILAB1001:[new IoVec(a.Vmas[0].Start, 1)]|}, Advice.Cold, saved);
            """,
            """
                    var a = c.QueryVmas(fd).Value;
                    var b = c.QueryVmas(fd).Value;
                    c.Advise(fd, {|APILAB1001:[new IoVec(a.Vmas[0].Start, 1)]|}, Advice.Cold, saved);
            """);

    [Fact]
    public Task CallWithoutRevalidatingParameter_IsNotFixed() =>
        VerifyAsync(
            """
                    var maps = m.ReadMaps(pid).Value;
                    m.Advise(fd, {|APILAB1001:[new IoVec(maps[0].Start, maps[0].Length)]|}, Advice.Cold, 0);
            """,
            """
                    var maps = m.ReadMaps(pid).Value;
                    m.Advise(fd, {|APILAB1001:[new IoVec(maps[0].Start, maps[0].Length)]|}, Advice.Cold, 0);
            """);
}
