using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApiLab.Analyzers;
using ApiLab.Package.Preset;
using ApiLab.Package.Tests.Infrastructure;

namespace ApiLab.Package.Tests.Consumer;

/// <summary>
/// Packs ApiLab.Sdk into a local folder and builds a user's project against it with the plain CLI: the adapter is
/// generated, the misuse is reported in the build output and in the SARIF 2.1 log, and the program runs on the engine
/// the package ships. One test, since each step needs the previous one (about 30-60 s).
/// </summary>
public sealed class PackageConsumerTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_user_project_gets_the_adapter_the_diagnostics_and_a_sarif_log_from_the_package()
    {
        using var work = new TempDirectory("apilab-consumer");
        var feed = Path.Combine(work.Path, "feed");

        // 1. Pack what the test build already built (no second build of the repository).
        var pack = await Dotnet.RunAsync(Repository.Root, StepTimeout,
            "pack", Repository.PathOf("src/ApiLab.Package/ApiLab.Package.csproj"), "--no-build", "-c", Repository.Configuration, "-o", feed);
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed: {pack}");
        var package = Assert.Single(Directory.GetFiles(feed, "ApiLab.Sdk.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["ApiLab.Sdk.".Length..];
        AssertLayout(package);

        // 2. A user's project, restored from the local folder and built with the SARIF log switched on.
        var project = ConsumerProject.Write(Path.Combine(work.Path, ConsumerProject.Name), feed, version);
        var build = await Dotnet.RunAsync(project, StepTimeout, "build", "-p:ErrorLog=out.sarif%2Cversion=2.1");
        Assert.True(build.ExitCode == 0, $"the consumer's build failed: {build}");

        // The adapter exists (Program.cs constructs it, so the build would fail otherwise) and nothing broke.
        Assert.DoesNotContain("CS8785", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AD0001", build.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"warning CS\d{4}", build.Output);
        Assert.Matches(@"ReclaimClient\.cs\(\d+,\d+\): warning APILAB1001: ", build.Output);

        AssertSarif(Path.Combine(project, "out.sarif"));

        // 3. The program runs: the shipped engine is there at run time and the generated adapter works on it.
        var dll = Assert.Single(Directory.GetFiles(Path.Combine(project, "bin"), ConsumerProject.Name + ".dll", SearchOption.AllDirectories));
        var run = await Dotnet.RunAsync(project, StepTimeout, dll);
        Assert.True(run.ExitCode == 0, $"the consumer failed to run: {run}");
        var advised = Regex.Match(run.Output, ConsumerProject.SuccessPattern);
        Assert.True(advised.Success, run.Output);
        Assert.True(long.Parse(advised.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= ConsumerProject.HeapBytes, run.Output);
    }

    /// <summary>lib/ has the run-time assemblies; analyzers/dotnet/cs has every generator and analyzer project's
    /// assembly (whatever projects exist, the code fixes too); the preset lists every shipped rule.</summary>
    private static void AssertLayout(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(static e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net10.0/ApiLab.Spec.dll", entries);
        Assert.Contains("lib/net10.0/ApiLab.Engine.dll", entries);
        var compilerProjects = Directory.GetFiles(Repository.PathOf("generators"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repository.PathOf("analyzers"), "*.csproj", SearchOption.AllDirectories))
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.Contains("ApiLab.Generators", compilerProjects);
        Assert.Contains("ApiLab.Analyzers", compilerProjects);
        Assert.All(compilerProjects, name => Assert.Contains($"analyzers/dotnet/cs/{name}.dll", entries));
        Assert.DoesNotContain(entries, static e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("CodeAnalysis", StringComparison.Ordinal));

        using var reader = new StreamReader(zip.GetEntry(EditorConfigPreset.PackagePath)!.Open());
        var preset = reader.ReadToEnd();
        var descriptors = DescriptorLoader.FromAssemblies([typeof(DiagnosticIds).Assembly]);
        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, d => Assert.Contains($"dotnet_diagnostic.{d.Id}.severity = {EditorConfigPreset.Severity(d)}", preset, StringComparison.Ordinal));

        var nuspec = new StreamReader(zip.Entries.Single(static e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.DoesNotContain("<dependency ", nuspec, StringComparison.Ordinal);
    }

    /// <summary>A real SARIF 2.1 log from the compiler: the finding under our rule id, and the rule with its help link.</summary>
    private static void AssertSarif(string path)
    {
        Assert.True(File.Exists(path), $"the compiler wrote no {path}");
        using var sarif = JsonDocument.Parse(File.ReadAllText(path));
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        Assert.Contains(run.GetProperty("results").EnumerateArray(),
            static r => r.GetProperty("ruleId").GetString() == DiagnosticIds.UnrevalidatedSnapshotRange
                && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!.EndsWith("ReclaimClient.cs", StringComparison.Ordinal));

        // The compiler lists every rule of every loaded analyzer, reported or not: each of ours with its page.
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(static r => r.GetProperty("id").GetString()!, StringComparer.Ordinal);
        var ours = DescriptorLoader.FromAssemblies([typeof(DiagnosticIds).Assembly]);
        Assert.NotEmpty(ours);
        Assert.All(ours, d =>
        {
            Assert.True(rules.TryGetValue(d.Id, out var rule), $"{d.Id} is not in the SARIF log's rules");
            Assert.Equal(HelpLinks.GetHelpUri(d.Id), rule.GetProperty("helpUri").GetString());
        });
    }
}
