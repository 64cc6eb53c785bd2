using ApiLab.Generators.Tests.Infrastructure;
using ApiLab.Generators.Validation;
using Microsoft.CodeAnalysis;

namespace ApiLab.Generators.Tests;

/// <summary>
/// For each spec rule, a spec that breaks it: the generator emits nothing and does not throw, and the validator (which
/// the analyzer reports from) names the rule.
/// </summary>
public sealed class MalformedSpecTests
{
    private const string Prelude = """
        using System;
        using ApiLab.Spec;

        namespace Specs;

        """;

    private const string Proposal = """[Proposal("debate", "design", Seed = "seed.txt")]""";

    private const string GoodCall = """
            [Syscall("good"), Target(TargetKind.Pidfd)]
            SysResult<int> Good(Pidfd target);
        """;

    public static TheoryData<string, string, string> Cases => new()
    {
        { SpecRules.ProposalShape, "Specs.INotPartial", $"{Proposal} public interface INotPartial {{ {GoodCall} }}" },
        { SpecRules.ProposalShape, "Specs.Outer+INested", $"public partial class Outer {{ {Proposal} public partial interface INested {{ {GoodCall} }} }}" },
        { SpecRules.ProposalShape, "Specs.IGeneric`1", $"{Proposal} public partial interface IGeneric<T> {{ {GoodCall} }}" },
        { SpecRules.MemberNotASyscall, "Specs.ISpec", Spec("""[Target(TargetKind.Self)] SysResult<int> NoSyscall();""") },
        { SpecRules.MemberNotASyscall, "Specs.ISpec", Spec("""int Property { get; }""") },
        { SpecRules.MemberNotASyscall, "Specs.ISpec", Spec("""[Syscall("static"), Target(TargetKind.Self)] static SysResult<int> Static() => 0;""") },
        { SpecRules.ReturnTypeNotSysResult, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] long Plain();""") },
        { SpecRules.TargetMissing, "Specs.ISpec", Spec("""[Syscall("s")] SysResult<int> NoTarget(Pidfd target);""") },
        { SpecRules.TargetMissing, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Pidfd)] SysResult<int> NoPidfd(Pid pid);""") },
        { SpecRules.TargetMissing, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Pid)] SysResult<int> NoPid(Pidfd target);""") },
        { SpecRules.HintAndTargetVisible, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self), Hint, TargetVisible] SysResult<int> Both();""") },
        { SpecRules.RevalidatorNotAHandle, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self), Snapshot(RevalidatedBy = typeof(Pid))] SysResult<int> Snap();""") },
        { SpecRules.RevalidatorNotAHandle, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Reval([Revalidates] Pid pid);""") },
        { SpecRules.UnsupportedSignature, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Out(out int value);""") },
        { SpecRules.UnsupportedSignature, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Ref(ref int value);""") },
        { SpecRules.UnsupportedSignature, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> In(in int value);""") },
        { SpecRules.UnsupportedSignature, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] unsafe SysResult<int> Pointer(byte* address);""") },
        { SpecRules.UnsupportedSignature, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<T> Generic<T>(T value);""") },
        { SpecRules.VectoredWithoutIoVec, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self), Vectored] SysResult<int> Vec(Span<IoVec> ranges);""") },
        { SpecRules.MustBeZeroNotInteger, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Flags([MustBeZero] string flags);""") },
        { SpecRules.MustBeZeroNotInteger, "Specs.ISpec", Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Flags([MustBeZero] MapFlags flags);""") },
        { SpecRules.ProposalIdentity, "Specs.ISpec", $$"""[Proposal("", "design", Seed = "seed.txt")] public partial interface ISpec { {{GoodCall}} }""" },
        { SpecRules.ProposalIdentity, "Specs.ISpec", $$"""[Proposal("debate", " ", Seed = "seed.txt")] public partial interface ISpec { {{GoodCall}} }""" },
        { SpecRules.ProposalIdentity, "Specs.ISpec", $$"""[Proposal("debate", "design")] public partial interface ISpec { {{GoodCall}} }""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_spec_that_breaks_a_rule_generates_nothing_and_the_validator_names_the_rule(string ruleId, string metadataName, string spec)
    {
        var compilation = GeneratorHarness.Compile(Prelude + spec);

        var (result, _) = GeneratorHarness.Run(compilation);

        Assert.Empty(result.GeneratedSources);
        var type = compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        var violations = SpecValidator.Validate(type, TestContext.Current.CancellationToken);
        Assert.Contains(ruleId, violations.Select(v => v.RuleId));
        Assert.All(violations, v => Assert.NotNull(v.Symbol));
    }

    [Theory]
    [InlineData("""[Syscall("s"), Target] SysResult<int> NoKind();""")]
    [InlineData("""[Syscall("s"), Target(NoSuchKind.Pid)] SysResult<int> UnknownKind(Pid pid);""")]
    [InlineData("""[Syscall, Target(TargetKind.Self)] SysResult<int> NoName();""")]
    [InlineData("""[Syscall("s"), Target(TargetKind.Self), Requires(Capability.SysNice)] SysResult<int> WrongArgument();""")]
    [InlineData("""[Syscall("s"), Target(TargetKind.Self), Requires(PtraceMode.Read, DeniedErrno = 5)] SysResult<int> WrongNamed();""")]
    [InlineData("""[Syscall("s"), Target(TargetKind.Self), Vectored("x")] SysResult<int> Vec(IoVec[] v);""")]
    [InlineData("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> UnknownType(NoSuchType value);""")]
    [InlineData("""[Syscall("s"), Target(TargetKind.Self)] SysResult<NoSuchType> UnknownResult();""")]
    [InlineData("/// <summary>Broken <c>xml</summary>\n    [Syscall(\"s\"), Target(TargetKind.Self)] SysResult<int> BadDocs();")]
    public void Code_that_does_not_compile_never_makes_the_generator_throw(string member)
    {
        var compilation = GeneratorHarness.Compile(Prelude + Spec(member));

        // Run asserts no generator exception and no generator diagnostics.
        var (result, _) = GeneratorHarness.Run(compilation);

        Assert.True(result.GeneratedSources.Length is 0 or 2);
        _ = SpecValidator.Validate(compilation.GetTypeByMetadataName("Specs.ISpec")!, TestContext.Current.CancellationToken); // Must not throw either.
    }

    [Fact]
    public void The_well_formed_base_of_the_cases_generates_and_has_no_violations()
    {
        // The cases above differ from this spec only in what they break, so their empty output is due to the rule.
        var compilation = GeneratorHarness.Compile(Prelude + Spec(""));

        var (result, _) = GeneratorHarness.Run(compilation);

        Assert.Equal(2, result.GeneratedSources.Length);
        Assert.Empty(SpecValidator.Validate(compilation.GetTypeByMetadataName("Specs.ISpec")!, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("CookieLike.cs", "ApiLab.Generators.Tests.TestData.ICookieLike")]
    [InlineData("PidLike.cs", "ApiLab.Generators.Tests.TestData.IPidLike")]
    public void The_sample_specs_have_no_violations(string file, string metadataName)
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.ReadTestData(file));

        Assert.Empty(SpecValidator.Validate(compilation.GetTypeByMetadataName(metadataName)!, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Violations_carry_the_attribute_at_fault_and_fixed_message_arguments()
    {
        var compilation = GeneratorHarness.Compile(
            Prelude + Spec("""[Syscall("s"), Target(TargetKind.Self)] SysResult<int> Flags([MustBeZero] string flags);"""));

        var violation = Assert.Single(
            SpecValidator.Validate(compilation.GetTypeByMetadataName("Specs.ISpec")!, TestContext.Current.CancellationToken));

        Assert.Equal(SpecRules.MustBeZeroNotInteger, violation.RuleId);
        Assert.Equal(SymbolKind.Parameter, violation.Symbol.Kind);
        Assert.Equal("MustBeZeroAttribute", violation.Attribute?.AttributeClass?.Name);
        Assert.Equal(["flags", "string"], violation.MessageArgs);
    }

    [Fact]
    public void A_type_without_Proposal_is_not_a_spec()
    {
        var compilation = GeneratorHarness.Compile(Prelude + "public interface IPlain { long Plain(); }");

        Assert.Empty(SpecValidator.Validate(compilation.GetTypeByMetadataName("Specs.IPlain")!, TestContext.Current.CancellationToken));
    }

    /// <summary>A well-formed spec with one good call, plus <paramref name="member"/>.</summary>
    private static string Spec(string member) => $$"""
        {{Proposal}}
        public partial interface ISpec
        {
        {{GoodCall}}
            {{member}}
        }
        """;
}
