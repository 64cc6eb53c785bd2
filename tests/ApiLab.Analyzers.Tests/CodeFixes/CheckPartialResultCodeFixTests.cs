using ApiLab.Analyzers.CodeFixes;
using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;

namespace ApiLab.Analyzers.Tests.CodeFixes;

public sealed class CheckPartialResultCodeFixTests
{
    private static Task VerifyAsync(string before, string after) =>
        CodeFixBuilder.VerifyAsync<PartialResultAnalyzer, CheckPartialResultCodeFixProvider>(Wrap(before), Wrap(after));

    private static string Wrap(string statements) => $$"""
        using System;
        using ApiLab.Spec;

        namespace Demo;

        public static class Caller
        {
            public static void Run(IMainlineMadvise m, IRemoteZap z, Pidfd fd, IoVec[] ranges, IoVec range)
            {
        {{statements}}
            }
        }
        """;

    [Fact]
    public Task IgnoredResult_GetsStoredAndComparedWithTheRequestedTotal() =>
        VerifyAsync(
            """
                    // advise the cold ranges
                    {|APILAB1003:m.Advise(fd, ranges, Advice.Cold, 0)|};
            """,
            """
                    // advise the cold ranges
                    long requested = 0;
                    foreach (var range1 in ranges)
                        requested += (long)range1.Length;
                    var result = m.Advise(fd, ranges, Advice.Cold, 0);
                    if (!result.IsOk || result.Value != requested)
                    {
                        throw new InvalidOperationException($"IMainlineMadvise.Advise did {result.ValueOrDefault} of {requested} bytes ({result.Error})");
                    }
            """);

    [Fact]
    public Task FailureOnlyCheck_GetsAPartialCheckAfterTheCall() =>
        VerifyAsync(
            """
                    var zapped = {|APILAB1003:z.Zap(fd, ranges)|};
                    if (!zapped.IsOk)
                        return;
            """,
            """
                    long requested = 0;
                    foreach (var range1 in ranges)
                        requested += (long)range1.Length;
                    var zapped = z.Zap(fd, ranges);
                    if (zapped.IsOk && zapped.Value != requested)
                    {
                        throw new InvalidOperationException($"IRemoteZap.Zap did {zapped.ValueOrDefault} of {requested} bytes ({zapped.Error})");
                    }
                    if (!zapped.IsOk)
                        return;
            """);

    [Fact]
    public Task DiscardedResult_IsFixed() =>
        VerifyAsync(
            """
                    _ = {|APILAB1003:z.Read(fd, ranges)|};
            """,
            """
                    long requested = 0;
                    foreach (var range1 in ranges)
                        requested += (long)range1.Length;
                    var result = z.Read(fd, ranges);
                    if (!result.IsOk || result.Value != requested)
                    {
                        throw new InvalidOperationException($"IRemoteZap.Read did {result.ValueOrDefault} of {requested} bytes ({result.Error})");
                    }
            """);

    [Fact]
    public Task RangesBuiltInPlace_AreNotFixed() =>
        VerifyAsync(
            """
                    {|APILAB1003:m.Advise(fd, [range], Advice.Cold, 0)|};
            """,
            """
                    {|APILAB1003:m.Advise(fd, [range], Advice.Cold, 0)|};
            """);
}
