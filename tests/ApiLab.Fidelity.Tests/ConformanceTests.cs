using ApiLab.Fidelity.Backends;
using ApiLab.Fidelity.Running;
using ApiLab.Fidelity.Tests.Support;

namespace ApiLab.Fidelity.Tests;

/// <summary>
/// Every conformance trace gives the same canonical log on the engine and on this machine's kernel. A trace the
/// host cannot run (not Linux, no gcc, a call it lacks) is reported as skipped with the reason, never as passed.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Traces() => new(TraceFiles.Names());

    [Theory]
    [MemberData(nameof(Traces))]
    public void Engine_and_host_kernel_agree(string name)
    {
        var trace = TraceFiles.Load(name);
        Assert.NotEmpty(trace.Description);
        using var host = HostTarget.TryStart(out var why);
        if (host is null)
        {
            Assert.Skip(why);
        }

        using var engine = new EngineTarget();
        var expected = TraceInterpreter.Run(trace, host);
        var actual = TraceInterpreter.Run(trace, engine);
        if (expected.Unsupported is { } hostLacks)
        {
            Assert.Skip($"host: {hostLacks}");
        }

        Assert.Null(actual.Unsupported);
        var line = TraceLog.FirstDifference(expected, actual);
        Assert.True(line == 0, $"first divergence at log line {line}\n--- host\n{expected.Text}--- engine\n{actual.Text}");
    }
}
