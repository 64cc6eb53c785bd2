namespace ApiLab.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with a checked-in golden file under <c>Snapshots/</c>. Setting <c>APILAB_UPDATE_GOLDENS=1</c>
/// rewrites the goldens on purpose (review the diff before committing); otherwise a missing golden fails.
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "APILAB_UPDATE_GOLDENS";

    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(GeneratorHarness.ProjectDirectory, "Snapshots", name);
        actual = Normalize(actual);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"Golden file {path} is missing. Run the tests with {UpdateVariable}=1 to create it, then review and commit it.");
        }

        Assert.Equal(Normalize(File.ReadAllText(path)), actual);
    }

    // Git may check the goldens out with CRLF; the generator always writes LF.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
