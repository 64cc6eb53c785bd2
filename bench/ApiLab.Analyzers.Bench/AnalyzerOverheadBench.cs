using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// Target: the analyzers add at most 5% to the compile time of a generated 50,000-line client project.
/// <para>Everything runs single-threaded and is timed in process CPU time, which the other builds sharing the machine
/// disturb far less than wall time. Compile: parse, bind and emit of a fresh compilation. Overhead: a fresh analysis
/// pass (parse, bind, run our analyzers) minus a fresh bind-only pass (parse, GetDiagnostics), i.e. what the analyzers
/// add on top of binding the compiler does anyway. The analyzer driver's own per-analyzer execution time (the figure
/// <c>-p:ReportAnalyzer=true</c> prints) is shown too, as is the part of it that is Roslyn building control flow
/// graphs.</para>
/// </summary>
internal static class AnalyzerOverheadBench
{
    public const double TargetPercent = 5.0;

    public static bool Run(int lines, int iterations, double apiShare)
    {
        var specs = SpecShapes.All;
        var files = ClientGenerator.Generate(specs, lines, apiShare);
        var total = files.Sum(static f => ClientGenerator.Lines(f.Text));
        var analyzers = Toolchain.Analyzers();
        Console.WriteLine($"(a) Analyzer overhead, {(apiShare >= 1 ? "worst case: every method" : $"{apiShare:P0} of methods")} calling the specs: " +
            $"{total.ToString("N0", CultureInfo.InvariantCulture)} lines in {files.Count} files; {specs.Count} real specs ({string.Join(", ", specs.Select(static s => s.Interface.Name))}); {analyzers.Length} analyzers");

        // Warm-up (JIT), and a check that the client compiles: timing a compilation full of errors means nothing.
        var errors = Compile(files).GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Console.WriteLine($"    the generated client does not compile ({errors.Count} errors), e.g. {errors[0]}");
            return false;
        }

        var (findings, _) = Analyze(files, analyzers);
        Console.WriteLine($"    findings: {findings} (snapshot-derived ranges passed unrevalidated: the analyzers do real work)");
        _ = Emit(files);

        var compile = new List<double>();
        var bind = new List<double>();
        var floor = new List<double>();
        ImmutableArray<DiagnosticAnalyzer> baseline = [new OperationTreeBaseline()];
        var codeBlockFloor = new List<double>();
        ImmutableArray<DiagnosticAnalyzer> codeBlock = [new CodeBlockBaseline()];
        var manyFloor = new List<double>();
        ImmutableArray<DiagnosticAnalyzer> many = [.. Enumerable.Range(0, analyzers.Length).Select(static _ => new OperationTreeBaseline())];
        var analysis = new List<double>();
        var execution = new List<double>();
        var perAnalyzer = new Dictionary<string, List<double>>();
        for (var i = 0; i < iterations; i++)
        {
            compile.Add(Cpu(() => Emit(files)));
            bind.Add(Cpu(() => Compile(files).GetDiagnostics()));
            floor.Add(Cpu(() => Analyze(files, baseline)));
            manyFloor.Add(Cpu(() => Analyze(files, many)));
            codeBlockFloor.Add(Cpu(() => Analyze(files, codeBlock)));
            var times = new Dictionary<string, double>();
            analysis.Add(Cpu(() => times = Analyze(files, analyzers).AnalyzerMs));
            execution.Add(times.Values.Sum());
            foreach (var (name, ms) in times)
            {
                (perAnalyzer.TryGetValue(name, out var list) ? list : perAnalyzer[name] = []).Add(ms);
            }
        }

        var compileMs = Toolchain.Median(compile);
        var addedMs = Toolchain.Median(analysis.Zip(bind, static (a, b) => a - b));
        var executionMs = Toolchain.Median(execution);
        var (operationsMs, cfgMs) = RoslynWorkMs(files);
        Console.WriteLine($"    compile (parse + bind + emit), CPU, median of {iterations}: {compileMs:F0} ms  [{Join(compile)}]");
        Console.WriteLine($"    bind only: {Toolchain.Median(bind):F0} ms  [{Join(bind)}]; bind + our analyzers: {Toolchain.Median(analysis):F0} ms  [{Join(analysis)}]");
        Console.WriteLine($"    analyzers' own execution time (ReportAnalyzer's figure, wall): {executionMs:F0} ms = {100 * executionMs / compileMs:F1} % of compile time; " +
            $"of which Roslyn's, for the bodies that call the specs: operation trees {operationsMs:F0} ms, control flow graphs {cfgMs:F0} ms");
        Console.WriteLine("    per analyzer (median execution time): " + string.Join(", ", perAnalyzer
            .Select(static p => (p.Key, Ms: Toolchain.Median(p.Value)))
            .OrderByDescending(static p => p.Ms)
            .Select(static p => $"{p.Key.Replace("Analyzer", "", StringComparison.Ordinal)} {p.Ms.ToString("F0", CultureInfo.InvariantCulture)}")));
        var overFloorMs = Toolchain.Median(analysis.Zip(floor, static (a, f) => a - f));
        Console.WriteLine($"    bind + an empty operation analyzer (operation trees for every body, which any operation-based analyzer in the build forces once): {Toolchain.Median(floor):F0} ms  [{Join(floor)}]");
        Console.WriteLine($"    ours over that floor: {overFloorMs:F0} ms = {100 * overFloorMs / compileMs:F1} % of compile time (what they add to a build that already has an operation-based analyzer, as the SDK's defaults are)");
        var overCodeBlockMs = Toolchain.Median(analysis.Zip(codeBlockFloor, static (a, f) => a - f));
        Console.WriteLine($"    bind + an empty code-block analyzer (the driver's cost for any analyzer that looks at bodies, no operation trees; what ours register in ordinary code): {Toolchain.Median(codeBlockFloor):F0} ms  [{Join(codeBlockFloor)}]; " +
            $"ours over it: {overCodeBlockMs:F0} ms = {100 * overCodeBlockMs / compileMs:F1} %");
        var overManyMs = Toolchain.Median(analysis.Zip(manyFloor, static (a, f) => a - f));
        Console.WriteLine($"    bind + {many.Length} empty analyzers (that floor, and the driver's dispatch to as many analyzers as ours): {Toolchain.Median(manyFloor):F0} ms  [{Join(manyFloor)}]; " +
            $"ours over it: {overManyMs:F0} ms = {100 * overManyMs / compileMs:F1} % (what our rules' own work adds)");
        var percent = 100 * addedMs / compileMs;
        Console.WriteLine($"    added over bind only: {addedMs:F0} ms = {percent:F1} % of compile time (the driver's own floor included, which any analyzer of bodies costs)");

        // Judged: over the operation-tree floor. In a real build the SDK's analyzers have operation actions, so the
        // driver already builds every body's tree before ours run (the csc section shows that floor in every build).
        var overFloorPercent = 100 * overFloorMs / compileMs;
        var met = overFloorPercent <= TargetPercent;
        Console.WriteLine($"    target: ours over the operation-tree floor <= {TargetPercent:F0} % of compile time: {overFloorPercent:F1} %, {(met ? "MET" : "NOT MET")}");
        return met;
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(static v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static double Cpu(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }

    private static CSharpCompilation Compile(IReadOnlyList<(string Path, string Text)> files) =>
        CSharpCompilation.Create(
            "Client",
            [CSharpSyntaxTree.ParseText(Toolchain.ImplicitUsings, Toolchain.ParseOptions, "GlobalUsings.g.cs"),
             .. files.Select(static f => CSharpSyntaxTree.ParseText(f.Text, Toolchain.ParseOptions, f.Path))],
            Toolchain.References,
            Toolchain.Options);

    private static bool Emit(IReadOnlyList<(string Path, string Text)> files)
    {
        using var pe = new MemoryStream();
        var emitted = Compile(files).Emit(pe);
        return emitted.Success ? true : throw new InvalidOperationException("emit failed: " + emitted.Diagnostics.First(static d => d.Severity == DiagnosticSeverity.Error));
    }

    private static (int Findings, Dictionary<string, double> AnalyzerMs) Analyze(IReadOnlyList<(string Path, string Text)> files, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var withAnalyzers = Compile(files).WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (diagnostics.FirstOrDefault(static d => d.Id == "AD0001") is { } crash)
        {
            throw new InvalidOperationException("an analyzer threw: " + crash);
        }

        var times = new Dictionary<string, double>();
        foreach (var analyzer in analyzers)
        {
            var name = analyzer.GetType().Name;
            var ms = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
            times[name] = times.GetValueOrDefault(name) + ms;
        }

        return (diagnostics.Length, times);
    }

    /// <summary>CPU time to build the operation tree, then the CFG, of every method that calls the specs (the bodies
    /// the rules analyse), in a compilation already bound: Roslyn's share of what our analyzers' execution time holds.</summary>
    private static (double OperationsMs, double CfgMs) RoslynWorkMs(IReadOnlyList<(string Path, string Text)> files)
    {
        var compilation = Compile(files);
        _ = compilation.GetDiagnostics();
        var methods = compilation.SyntaxTrees
            .SelectMany(static t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            .Where(static m => m.Identifier.ValueText.StartsWith("Run", StringComparison.Ordinal))
            .ToList();
        var bodies = new List<IMethodBodyOperation>();
        var operationsMs = Cpu(() =>
        {
            foreach (var method in methods)
            {
                bodies.Add((IMethodBodyOperation)compilation.GetSemanticModel(method.SyntaxTree).GetOperation(method)!);
            }
        });
        var cfgMs = Cpu(() =>
        {
            foreach (var body in bodies)
            {
                _ = ControlFlowGraph.Create(body);
            }
        });
        return (operationsMs, cfgMs);
    }
}
