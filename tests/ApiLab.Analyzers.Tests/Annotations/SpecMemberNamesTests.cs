using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ApiLab.Analyzers.Tests.Annotations;

/// <summary>
/// The names the prefilter looks for, from source (picked by syntax) and from compiled references (read from their
/// metadata tables). A spec member missing here would have its calls skipped, so each way of becoming one is checked,
/// in both places.
/// </summary>
public sealed class SpecMemberNamesTests
{
    /// <summary>Beside the test specs: each other way a method becomes a spec member, and methods that do not.</summary>
    private const string Extra = """
        using ApiLab.Spec;

        namespace Demo;

        public class WithParameterAttribute { public void Zap([TargetRange] ulong start) { } public void NotSpec() { } }

        public class WithMethodAttribute { [PartialResult] public long Vectored() => 0; }

        [Proposal("remote-madvise", "split", Seed = "000_test.txt")]
        public partial interface ISplit { }

        public partial interface ISplit { SysResult<int> SplitMember(Pid target); }

        public class Plain { public void Helper() { } public Pid Pid() => default; }
        """;

    private static CSharpCompilation Compile(string name, IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            name,
            [.. sources.Select(static s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest)))],
            [.. TestReferences.All, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static readonly string[] Expected = ["Kill", "Open", "Close", "Advise", "ReadMaps", "Unmap", "Zap", "Vectored", "SplitMember"];

    private static readonly string[] NotExpected = ["NotSpec", "Helper", "Pid"];

    [Fact]
    public void Source_spec_members_are_named()
    {
        var compilation = Compile("Source", [], TestSpecs.Madvise, TestSpecs.Rules, Extra);
        var names = SpecMemberNames.For(compilation);
        Assert.All(Expected, name => Assert.Contains(name, names));
        Assert.All(NotExpected, name => Assert.DoesNotContain(name, names));
    }

    [Fact]
    public void Compiled_spec_members_are_read_from_metadata()
    {
        var specs = Emit(Compile("Specs", [], TestSpecs.Madvise, TestSpecs.Rules, Extra));
        var client = Compile("Client", [specs], "namespace Client; public class C { }");
        var names = SpecMemberNames.For(client);
        Assert.All(Expected, name => Assert.Contains(name, names));
        Assert.All(NotExpected, name => Assert.DoesNotContain(name, names));

        var direct = new HashSet<string>();
        Assert.True(ReferenceMetadata.TryAddCandidateNames(specs, direct));
        Assert.Contains("Kill", direct);
    }

    [Fact]
    public void A_reference_that_only_uses_the_spec_types_names_nothing()
    {
        var engine = Emit(Compile("UsesTypes", [], "using ApiLab.Spec; namespace Engine; public class Kernel { public Pid Kill(Pid pid) => pid; }"));
        var names = new HashSet<string>();
        Assert.True(ReferenceMetadata.TryAddCandidateNames(engine, names));
        Assert.Empty(names);
    }

    [Fact]
    public void A_project_reference_is_not_read_as_metadata()
    {
        var specs = Compile("Specs", [], TestSpecs.Madvise, TestSpecs.Rules);
        Assert.False(ReferenceMetadata.TryAddCandidateNames(specs.ToMetadataReference(), new HashSet<string>()));

        // Its declarations are read instead.
        var client = Compile("Client", [specs.ToMetadataReference()], "namespace Client; public class C { }");
        Assert.Contains("Kill", SpecMemberNames.For(client));
    }

    private static MetadataReference Emit(CSharpCompilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error)));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
