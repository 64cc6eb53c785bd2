using ApiLab.Analyzers.CodeFixes;
using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;

namespace ApiLab.Analyzers.Tests.CodeFixes;

public sealed class DeclarePrivilegeCodeFixTests
{
    private static Task VerifyAsync(string before, string after, string? editorConfig = null) =>
        CodeFixBuilder.VerifyAsync<UndeclaredPrivilegeAnalyzer, DeclarePrivilegeCodeFixProvider>(before, after, editorConfig);

    [Fact]
    public Task MethodDeclaration_GetsTheMissingCapability() =>
        VerifyAsync(
            """
            using ApiLab.Spec;

            namespace Demo;

            public static class Manager
            {
                [RunsWith(Ptrace = PtraceMode.ReadFsCreds)]
                public static void Run(IRemoteZap z, Pidfd fd, IoVec[] ranges) => {|APILAB1006:z.Zap(fd, ranges)|};
            }
            """,
            """
            using ApiLab.Spec;

            namespace Demo;

            public static class Manager
            {
                [RunsWith(Capability.SysNice, Ptrace = PtraceMode.ReadFsCreds)]
                public static void Run(IRemoteZap z, Pidfd fd, IoVec[] ranges) => z.Zap(fd, ranges);
            }
            """);

    [Fact]
    public Task TypeDeclaration_IsCopiedToTheMethodAndWidened() =>
        VerifyAsync(
            """
            using ApiLab.Spec;

            namespace Demo;

            [RunsWith(Capability.SysNice, Ptrace = PtraceMode.AttachFsCreds)]
            public sealed class Manager
            {
                // reads with real credentials
                public void Read(IRemoteZap z, Pidfd fd, IoVec[] ranges) => {|APILAB1006:z.Read(fd, ranges)|};
            }
            """,
            """
            using ApiLab.Spec;

            namespace Demo;

            [RunsWith(Capability.SysNice, Ptrace = PtraceMode.AttachFsCreds)]
            public sealed class Manager
            {
                // reads with real credentials
                [RunsWith(Capability.SysNice, Ptrace = PtraceMode.Attach | PtraceMode.FsCreds | PtraceMode.RealCreds)]
                public void Read(IRemoteZap z, Pidfd fd, IoVec[] ranges) => z.Read(fd, ranges);
            }
            """);

    [Fact]
    public Task StrictModeWithoutDeclaration_AddsOne() =>
        VerifyAsync(
            """
            using ApiLab.Spec;

            namespace Demo;

            public static class Killer
            {
                public static void Run(ISignals s, Pidfd fd)
                {
                    {|APILAB1006:s.Kill(fd, 9)|};
                }
            }
            """,
            """
            using ApiLab.Spec;

            namespace Demo;

            public static class Killer
            {
                [RunsWith(Capability.Kill)]
                public static void Run(ISignals s, Pidfd fd)
                {
                    s.Kill(fd, 9);
                }
            }
            """,
            editorConfig: UndeclaredPrivilegeAnalyzer.StrictOption + " = true");
}
