using ApiLab.Fidelity.Backends;
using ApiLab.Fidelity.Format;
using ApiLab.Fidelity.Running;
using ApiLab.Fidelity.Tests.Fuzz;
using CsCheck;

namespace ApiLab.Fidelity.Tests;

/// <summary>
/// Differential fuzzing: random valid and invalid traces run on the engine and on the host kernel must give the
/// same log. A divergence fails with the shrunk trace, ready to save as a conformance case. At least 500 traces per
/// run; set APILAB_FUZZ_TRACES for more.
/// </summary>
public sealed class DifferentialFuzzTests
{
    private static readonly Gen<FuzzOp> OneOp = Gen.Select(Gen.Int[0, RandomTrace.Kinds - 1], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16],
        Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], static (k, a, b, c, d) => new FuzzOp(k, a, b, c, d));

    [Fact]
    public void Random_traces_agree_between_engine_and_host()
    {
        using (var probe = HostTarget.TryStart(out var why))
        {
            if (probe is null)
            {
                Assert.Skip(why);
            }
        }

        var traces = int.TryParse(Environment.GetEnvironmentVariable("APILAB_FUZZ_TRACES"), out var n) ? n : 500;
        var ran = 0;
        var fileMappings = 0;
        OneOp.Array[5, 40].Sample(ops =>
        {
            var text = RandomTrace.Render(ops);
            var trace = TraceParser.Parse("random.trace", text);
            using var host = HostTarget.TryStart(out _)!;
            using var engine = new EngineTarget();
            var expected = TraceInterpreter.Run(trace, host);
            var actual = TraceInterpreter.Run(trace, engine);
            Interlocked.Increment(ref ran);
            Interlocked.Add(ref fileMappings, expected.Lines.Count(static l => l.Contains(" file f", StringComparison.Ordinal) && !l.Contains("= -", StringComparison.Ordinal)));
            var line = TraceLog.FirstDifference(expected, actual);
            return line == 0 || Fail(text, expected, actual, line);
        }, iter: traces, threads: 2, print: ops => RandomTrace.Render(ops));

        Assert.True(ran >= traces);
        // The random traces really mapped the memfd, not just failed to.
        Assert.True(fileMappings > traces / 10, $"only {fileMappings} file mappings succeeded in {traces} traces");
    }

    private static bool Fail(string text, TraceLog host, TraceLog engine, int line)
    {
        var at = (TraceLog log) => line <= log.Lines.Count ? log.Lines[line - 1] : "(end)";
        throw new Xunit.Sdk.XunitException($"divergence at log line {line}\n  host:   {at(host)}\n  engine: {at(engine)}\n--- trace\n{text}");
    }
}
