using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Package.Tests.Robustness;

/// <summary>
/// Broken code is ordinary input: over at least 2,000 seeded mutations of the real specs, the lab's client drivers
/// and the rule tests' snippets, no shipped generator throws (CS8785) and no shipped analyzer throws (AD0001).
/// A failure prints the master seed, each culprit's own seed and edits, and its mutated text; set
/// APILAB_CORPUS_SEED to explore other corpora (the default is fixed, so CI is reproducible).
/// </summary>
public sealed class RobustnessCorpusTests
{
    private const int ProjectMutations = 1_200;
    private const int SnippetMutations = 1_000;

    /// <summary>How often a project file is mutated in a run; the others stay as written, as in a real edit session.</summary>
    private const double ProjectMutationRate = 0.8;

    private static readonly int MasterSeed =
        int.TryParse(Environment.GetEnvironmentVariable("APILAB_CORPUS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261201;

    [Fact]
    public async Task Mutated_specs_drivers_and_snippets_crash_no_generator_or_analyzer()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.NotEmpty(CorpusCompiler.Analyzers);
        Assert.NotEmpty(CorpusCompiler.Generators);
        Assert.NotEmpty(CorpusFiles.ProjectMutable);
        Assert.NotEmpty(CorpusFiles.Snippets);

        var units = ProjectUnits().Concat(SnippetUnits()).ToList();
        var mutated = units.Sum(static u => u.Mutations.Count);
        Assert.True(mutated >= 2_000, $"only {mutated} mutated sources");

        var failures = new ConcurrentBag<string>();
        var ticks = new ConcurrentDictionary<bool, long>();
        long totalFindings = 0, totalGenerated = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (unit, token) =>
        {
            if (failures.Count >= 3)
            {
                return; // Enough to go on; the rest would only repeat.
            }

            var started = Stopwatch.GetTimestamp();
            var (crashes, _, generated, findings) = await unit.RunAsync(token);
            Interlocked.Add(ref totalFindings, findings);
            Interlocked.Add(ref totalGenerated, generated.Results.Sum(static r => r.GeneratedSources.Length));
            ticks.AddOrUpdate(unit.Base == ProjectBase, Stopwatch.GetElapsedTime(started).Ticks, (_, t) => t + Stopwatch.GetElapsedTime(started).Ticks);
            if (crashes.Count > 0)
            {
                failures.Add(await DescribeAsync(unit, crashes, token));
            }
        });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{mutated} mutated sources in {units.Count} compilations, {CorpusCompiler.Generators.Length} generator(s) and {CorpusCompiler.Analyzers.Length} analyzer(s), {watch.Elapsed.TotalSeconds:F1} s, {totalFindings} findings, {totalGenerated} generated files (project runs {TimeSpan.FromTicks(ticks.GetValueOrDefault(true)).TotalSeconds:F1} s, snippet runs {TimeSpan.FromTicks(ticks.GetValueOrDefault(false)).TotalSeconds:F1} s; seed {MasterSeed})");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures));

        // The mutations stay close enough to working code that the rules and the generator still have work to do.
        Assert.True(totalFindings > 0 && totalGenerated > 0, $"{totalFindings} findings, {totalGenerated} generated files");
    }

    [Fact]
    public async Task The_unmutated_corpus_compiles_cleanly_and_gets_every_adapter()
    {
        // Mutations start from working code, so they reach the rules' semantic paths, not only the parser's.
        var ct = TestContext.Current.CancellationToken;
        var trees = CorpusFiles.ProjectMutable.Select(static f => CorpusCompiler.Parse(f.Text, f.Origin));
        var (crashes, output, generated, _) = await CorpusCompiler.RunAsync(ProjectBase.Compilation.AddSyntaxTrees(trees), reportMaybePaths: true, ct);

        Assert.Empty(crashes);
        Assert.Empty(output.GetDiagnostics(ct).Where(static d => d.Severity == DiagnosticSeverity.Error));
        var proposals = CorpusFiles.ProjectMutable.Count(static f => f.Text.Contains("[Proposal(", StringComparison.Ordinal));
        Assert.True(proposals > 0);
        Assert.True(generated.Results.Sum(static r => r.GeneratedSources.Length) >= proposals,
            $"{proposals} specs, but only {generated.Results.Sum(static r => r.GeneratedSources.Length)} generated files");

        // The analyzer tests' specs come with hand-written stand-in adapters (those tests run no generator), which
        // clash with the generated ones: no crash is all this context can promise.
        var (snippetCrashes, _, _, _) = await CorpusCompiler.RunAsync(SnippetBase.Compilation, reportMaybePaths: true, ct);
        Assert.Empty(snippetCrashes);
    }

    [Fact]
    public async Task The_harness_reports_generator_and_analyzer_exceptions()
    {
        // Guards the corpus test: if the runner swallowed crashes, it would pass vacuously.
        var tree = CorpusCompiler.Parse("class C { void M() { M(); } }", "C.cs");
        var (crashes, _, _, _) = await CorpusCompiler.RunAsync(CorpusCompiler.CreateBase([tree]), reportMaybePaths: false, TestContext.Current.CancellationToken,
            analyzers: [new ThrowingAnalyzer()], generators: [new ThrowingGenerator().AsSourceGenerator()]);

        Assert.Contains(crashes, static c => c.Contains("CS8785", StringComparison.Ordinal) || c.StartsWith("generator ", StringComparison.Ordinal));
        Assert.Contains(crashes, static c => c.Contains(nameof(ThrowingAnalyzer), StringComparison.Ordinal));
    }

    [Fact]
    public void Mutations_are_reproducible_from_their_seed()
    {
        var source = CorpusFiles.ProjectMutable[0].Text;

        var first = Mutator.Mutate(source, 12345, CorpusCompiler.ParseOptions);
        var again = Mutator.Mutate(source, 12345, CorpusCompiler.ParseOptions);

        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Edits, again.Edits);
        Assert.NotEqual(source, first.Text);
        Assert.NotEmpty(first.Edits);
    }

    private static IEnumerable<Unit> ProjectUnits()
    {
        var files = CorpusFiles.ProjectMutable;
        var count = 0;
        for (var unit = 0; count < ProjectMutations; unit++)
        {
            var random = new Random(Seed(unit, -1));
            var sources = new List<(CorpusFile File, Mutation? Mutation)>();
            for (var i = 0; i < files.Count; i++)
            {
                var mutation = random.NextDouble() < ProjectMutationRate ? Mutator.Mutate(files[i].Text, Seed(unit, i), CorpusCompiler.ParseOptions) : null;
                count += mutation is null ? 0 : 1;
                sources.Add((files[i], mutation));
            }

            yield return new Unit($"project run {unit}", ProjectBase, sources, ReportMaybePaths: unit % 2 == 0, FullAnalysis: unit % 10 == 0);
        }
    }

    private static IEnumerable<Unit> SnippetUnits()
    {
        var snippets = CorpusFiles.Snippets;
        for (var n = 0; n < SnippetMutations; n++)
        {
            var snippet = snippets[n % snippets.Count];
            var mutation = Mutator.Mutate(snippet.Text, Seed(100_000 + n, 0), CorpusCompiler.ParseOptions);
            yield return new Unit($"snippet run {n}", SnippetBase, [(snippet, mutation)], ReportMaybePaths: n % 2 == 1, FullAnalysis: n % 10 == 5);
        }
    }

    /// <summary>Deterministic (HashCode is randomized per process, so it cannot be used here).</summary>
    private static int Seed(int unit, int file) => unchecked((MasterSeed * 1_000_003) + (unit * 7_919) + file);

    /// <summary>The unit's crashes and, where one mutated file alone reproduces them, that file; else all of them.</summary>
    private static async Task<string> DescribeAsync(Unit unit, IReadOnlyList<string> crashes, CancellationToken ct)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{unit.Name} (master seed {MasterSeed}, maybe paths {unit.ReportMaybePaths}):\n");
        foreach (var crash in crashes.Distinct())
        {
            text.Append("  ").Append(crash).Append('\n');
        }

        var mutated = unit.Sources.Where(static s => s.Mutation is not null).ToList();
        var culprits = new List<(CorpusFile File, Mutation? Mutation)>();
        if (mutated.Count > 1)
        {
            foreach (var suspect in mutated)
            {
                var alone = unit with { Sources = [.. unit.Sources.Select(s => s.Mutation is null || ReferenceEquals(s.Mutation, suspect.Mutation) ? s : (s.File, null))] };
                if ((await alone.RunAsync(ct)).Crashes.Count > 0)
                {
                    culprits.Add(suspect);
                    break;
                }
            }
        }

        foreach (var (file, mutation) in culprits.Count > 0 ? culprits : mutated)
        {
            text.Append(CultureInfo.InvariantCulture, $"--- {file.Origin}, Mutator.Mutate(text, seed: {mutation!.Seed}): {string.Join("; ", mutation.Edits)}\n");
            text.Append(mutation.Text).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The lab's code other than its scenarios, compiled once; each project run adds its trees to it.</summary>
    private static readonly Base ProjectBase = new(CorpusFiles.ProjectContext);

    /// <summary>The analyzer tests' shared specs, compiled once; each snippet run adds its snippet.</summary>
    private static readonly Base SnippetBase = new(CorpusFiles.SnippetContext);

    /// <summary>A compilation of unchanging context, and generator drivers that have already run over it.</summary>
    private sealed class Base(IReadOnlyList<CorpusFile> context)
    {
        private readonly Lazy<CSharpCompilation> _compilation = new(() =>
            CorpusCompiler.CreateBase(context.Select(static f => CorpusCompiler.Parse(f.Text, f.Origin))));

        private readonly ConcurrentDictionary<bool, GeneratorDriver> _drivers = new();

        public CSharpCompilation Compilation => _compilation.Value;

        public GeneratorDriver WarmDriver(bool reportMaybePaths) =>
            _drivers.GetOrAdd(reportMaybePaths, m => CorpusCompiler.CreateDriver(m).RunGenerators(Compilation, TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// One compilation: its base, and its own sources, each as written or mutated. Most runs analyse their mutated
    /// trees only (the base is the same every time); every tenth analyses the whole compilation, so compilation-end
    /// actions and the unmutated sources run too.
    /// </summary>
    private sealed record Unit(string Name, Base Base, IReadOnlyList<(CorpusFile File, Mutation? Mutation)> Sources, bool ReportMaybePaths, bool FullAnalysis)
    {
        public IReadOnlyList<Mutation> Mutations => [.. Sources.Select(static s => s.Mutation).OfType<Mutation>()];

        public Task<CorpusCompiler.CorpusRun> RunAsync(CancellationToken ct)
        {
            var trees = Sources.Select(static (s, i) => CorpusCompiler.Parse(s.Mutation?.Text ?? s.File.Text, $"/corpus/{i}/{Path.GetFileName(s.File.Origin.Split(' ')[0])}")).ToList();
            var analyzed = FullAnalysis ? null : trees.Where((_, i) => Sources[i].Mutation is not null).ToList();
            return CorpusCompiler.RunAsync(Base.Compilation.AddSyntaxTrees(trees), ReportMaybePaths, ct, analyzed, Base.WarmDriver(ReportMaybePaths));
        }
    }

    // Test fixtures, never loaded by a compiler: the shipping-analyzer rules do not apply.
#pragma warning disable RS1001, RS1036, RS2008, RS1041, RS1042
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0001", "Test", "Test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(static _ => throw new InvalidOperationException("boom"), OperationKind.Invocation);
        }
    }

    private sealed class ThrowingGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) =>
            context.RegisterSourceOutput(context.CompilationProvider, static (_, _) => throw new InvalidOperationException("boom"));
    }
#pragma warning restore RS1001, RS1036, RS2008, RS1041, RS1042
}
