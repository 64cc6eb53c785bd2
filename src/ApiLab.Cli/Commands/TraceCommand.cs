using System.CommandLine;
using ApiLab.Fidelity.Backends;
using ApiLab.Fidelity.Format;
using ApiLab.Fidelity.Running;

namespace ApiLab.Cli;

/// <summary><c>apilab trace run|diff FILE</c>: run a syscall trace on the engine or the host kernel, or both and compare.</summary>
internal static class TraceCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("file") { Description = "A trace file (format: docs/trace-format.md)" };
        var backend = new Option<string>("--backend") { Description = "engine (default) or host", DefaultValueFactory = _ => "engine" };
        var run = new Command("run", "Run a trace and print its canonical outcome log.\nExample: apilab trace run t.trace --backend host")
        {
            file, backend,
        };
        run.SetAction(parse =>
        {
            var trace = Load(parse.GetValue(file)!);
            using var target = Backend(parse.GetValue(backend)!);
            var log = TraceInterpreter.Run(trace, target);
            output.Write(log.Text);
            return ExitCodes.Success;
        });

        var diffFile = new Argument<string>("file") { Description = "A trace file" };
        var diff = new Command("diff", "Run a trace on the engine and on the host kernel and print the first divergence.\n"
            + "Exit code 1 when the logs differ.\nExample: apilab trace diff t.trace")
        {
            diffFile,
        };
        diff.SetAction(parse =>
        {
            var trace = Load(parse.GetValue(diffFile)!);
            using var host = Backend("host");
            using var engine = Backend("engine");
            var expected = TraceInterpreter.Run(trace, host);
            var actual = TraceInterpreter.Run(trace, engine);
            var line = TraceLog.FirstDifference(expected, actual);
            if (line == 0)
            {
                output.Write($"no divergence: {expected.Lines.Count} log lines agree\n");
                return ExitCodes.Success;
            }

            output.Write($"first divergence at log line {line}:\n  host:   {At(expected, line)}\n  engine: {At(actual, line)}\n");
            return ExitCodes.Findings;
        });

        return new Command("trace", "Syscall traces run on the engine and on the real kernel (fidelity).") { run, diff };
    }

    private static string At(TraceLog log, int line) => line <= log.Lines.Count ? log.Lines[line - 1].Trim() : "(log ended)";

    private static Trace Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read trace '{path}': {e.Message}");
        }

        try
        {
            return TraceParser.Parse(Path.GetFileName(path), text);
        }
        catch (TraceSyntaxException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static ITraceTarget Backend(string name) => name switch
    {
        "engine" => new EngineTarget(),
        "host" => HostTarget.TryStart(out var why) ?? throw new UsageException($"the host backend is unavailable: {why}"),
        _ => throw new UsageException($"unknown backend '{name}'; valid: engine, host"),
    };
}
