using ApiLab.Analyzers.CodeFixes;
using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;

namespace ApiLab.Analyzers.Tests.CodeFixes;

public sealed class UsePidfdCodeFixTests
{
    private static Task VerifyAsync(string before, string after) =>
        CodeFixBuilder.VerifyAsync<PidWherePidfdExistsAnalyzer, UsePidfdCodeFixProvider>(Wrap(before), Wrap(after));

    private static string Wrap(string statements) => $$"""
        using System;
        using ApiLab.Spec;

        namespace Demo;

        public static class Caller
        {
            public static void Run(ISignals s, IPidMadvise p, Pid pid, IoVec[] ranges)
            {
        {{statements}}
            }
        }
        """;

    [Fact]
    public Task PidCall_IsSwitchedToAnOpenedAndClosedPidfd() =>
        VerifyAsync(
            """
                    var result = s.Kill({|APILAB1002:pid|}, 9);
                    Console.WriteLine(result);
            """,
            """
                    var pidfd = s.Open(pid).Value;
                    var result = s.Kill(pidfd, 9);
                    s.Close(pidfd);
                    Console.WriteLine(result);
            """);

    [Fact]
    public Task NameInUse_GetsAFreshName() =>
        VerifyAsync(
            """
                    s.Kill({|APILAB1002:pid|}, 15);
                    var pidfd = 3;
            """,
            """
                    var pidfd1 = s.Open(pid).Value;
                    s.Kill(pidfd1, 15);
                    s.Close(pidfd1);
                    var pidfd = 3;
            """);

    [Fact]
    public Task PidfdFormInAnotherDesign_IsNotFixed() =>
        VerifyAsync(
            """
                    p.Advise({|APILAB1002:pid|}, ranges, Advice.Cold, 0);
            """,
            """
                    p.Advise({|APILAB1002:pid|}, ranges, Advice.Cold, 0);
            """);
}
