using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>
/// What every test compilation references. This NuGet copy has no Microsoft.NETCore.App.Ref, so the testing library's
/// <c>ReferenceAssemblies.Net.*</c> cannot resolve: an empty "net100" set plus Basic.Reference.Assemblies stands in.
/// </summary>
internal static class TestReferences
{
    public static ReferenceAssemblies None { get; } = new("net100");

    public static ImmutableArray<MetadataReference> All { get; } =
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(ApiLab.Spec.Errno).Assembly.Location)];
}
