using ApiLab.Analyzers.Rules;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Rules;

public sealed class SecretExposureAnalyzerTests
{
    private static ProjectBuilder CreateProjectBuilder() =>
        new ProjectBuilder().WithAnalyzer<SecretExposureAnalyzer>().WithRuleSpecs();

    private static string Vault(string body, string parameters = "IMemory mem, bool fresh, ulong given") => $$"""
        using System;
        using ApiLab.Spec;

        namespace Demo;

        public sealed class Vault
        {
            [Secret]
            private readonly byte[] _key = new byte[32];

            [Secret]
            public byte[] Seed { get; } = new byte[16];

            public byte[] Label { get; } = new byte[4];

            [return: Secret]
            private static byte[] Derive() => new byte[32];

            public void Run({{parameters}})
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public Task SecretFieldStoredInOrdinaryMemory_IsReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                var address = mem.MapAnonymous(4096).Value;
                mem.Store(address, {|#0:_key|});
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(SecretExposureAnalyzer.ExposedRule).WithLocation(0).WithArguments("IMemory.Store"))
            .ValidateAsync();

    [Fact]
    public Task SecretPropertyReturnAndParameter_AreSources() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault(
                """
                var page = mem.MapAnonymous(4096).Value;
                var copy = Seed;
                mem.Store(page + 64, {|APILAB1007:copy|});
                mem.Store(page, {|APILAB1007:Derive()|});
                mem.Store(page, {|APILAB1007:pin|});
                mem.Store(page, Label);
                """,
                parameters: "IMemory mem, [Secret] byte[] pin"))
            .ValidateAsync();

    [Fact]
    public Task SecretInDroppableMemory_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                var address = mem.MapDroppable(4096).Value;
                mem.Store(address, _key);
                mem.Store(address + 32, Seed);
                """))
            .ValidateAsync();

    [Fact]
    public Task MemoryOfUnknownOrigin_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                mem.Store(given, _key);
                """))
            .ValidateAsync();

    [Fact]
    public Task ExposedOnSomePathsOnly_IsReportedOnlyWithMaybePathsOn() =>
        CreateProjectBuilder()
            .WithEditorConfig(SecretExposureAnalyzer.ReportMaybePathsOption, "true")
            .WithSourceCode(Vault("""
                var address = fresh ? mem.MapAnonymous(4096).Value : mem.MapDroppable(4096).Value;
                mem.Store(address, {|#0:_key|});
                """))
            .ShouldReportDiagnostic(new DiagnosticResult(SecretExposureAnalyzer.MaybeRule).WithLocation(0).WithArguments("IMemory.Store"))
            .ValidateAsync();

    [Fact]
    public Task ExposedOnSomePathsOnly_IsNotReportedByDefault() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                var address = fresh ? mem.MapAnonymous(4096).Value : given;
                mem.Store(address, _key);
                """))
            .ValidateAsync();

    [Fact]
    public Task SecretCopiedIntoABufferFirst_IsStillSecret() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                var buffer = new byte[64];
                _key.CopyTo(buffer, 0);
                var address = mem.MapAnonymous(4096).Value;
                mem.Store(address, {|APILAB1007:buffer|});
                """))
            .ValidateAsync();

    [Fact]
    public Task NonSecretData_IsNotReported() =>
        CreateProjectBuilder()
            .WithSourceCode(Vault("""
                var address = mem.MapAnonymous(4096).Value;
                mem.Store(address, Label);
                mem.Store(address, new byte[] { 1, 2, 3 });
                """))
            .ValidateAsync();
}
