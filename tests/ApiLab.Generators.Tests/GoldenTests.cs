using ApiLab.Generators.Tests.Infrastructure;

namespace ApiLab.Generators.Tests;

/// <summary>Each generated file for the sample specs, compared with its golden under Snapshots/.</summary>
public sealed class GoldenTests
{
    [Theory]
    [InlineData("CookieLike", "ICookieLike", "Adapter")]
    [InlineData("CookieLike", "ICookieLike", "Descriptor")]
    [InlineData("PidLike", "IPidLike", "Adapter")]
    [InlineData("PidLike", "IPidLike", "Descriptor")]
    public void Generated_file_matches_its_golden(string sample, string interfaceName, string kind)
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.ReadTestData($"{sample}.cs")));

        Assert.Equal(2, result.GeneratedSources.Length);
        var hintName = $"ApiLab.Generators.Tests.TestData.{interfaceName}.{kind}.g.cs";
        var source = Assert.Single(result.GeneratedSources, s => s.HintName == hintName);
        Golden.Verify($"{sample}.{kind}.g.cs.txt", source.SourceText.ToString());
    }

    [Fact]
    public void A_missing_golden_fails_with_a_clear_message()
    {
        if (Environment.GetEnvironmentVariable(Golden.UpdateVariable) == "1")
        {
            return; // Update mode writes goldens instead of failing: nothing to check here.
        }

        var failure = Assert.ThrowsAny<Exception>(() => Golden.Verify("DoesNotExist.g.cs.txt", "text"));
        Assert.Contains(Golden.UpdateVariable, failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(GeneratorHarness.ProjectDirectory, "Snapshots", "DoesNotExist.g.cs.txt")));
    }
}
