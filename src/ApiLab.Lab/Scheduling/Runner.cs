using ApiLab.Engine;

namespace ApiLab.Lab;

/// <summary>Runs one schedule on a fresh world: one actor at a time, one step at a time, deterministically.</summary>
public static class Runner
{
    public static RunResult Run(Func<IRaceRun> build, Schedule schedule, bool trace)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(schedule);
        var run = build();
        var next = new int[run.Actors.Count];
        var entries = trace ? new List<TraceEntry>(schedule.Order.Count) : null;
        var recorder = trace ? new StepRecorder() : null;
        Machine? hooked = null;
        for (var i = 0; i < schedule.Order.Count; i++)
        {
            var a = schedule.Order[i];
            var actor = run.Actors[a];
            if (next[a] >= actor.Steps.Count)
            {
                throw new ArgumentException($"schedule {schedule} runs actor {a} more than its {actor.Steps.Count} steps", nameof(schedule));
            }

            var step = actor.Steps[next[a]++];
            recorder?.Current.Clear();
            if (recorder is not null && hooked is null && run is IHasMachine withMachine)
            {
                hooked = withMachine.Machine;
                hooked.Hook = recorder;
            }

            step.Run();
            entries?.Add(new TraceEntry(i, actor.Name, step.Label, recorder is null ? [] : [.. recorder.Current], run.LastOutcome));
        }

        if (hooked is not null)
        {
            hooked.Hook = null;
        }

        return new RunResult(schedule, entries ?? [], run.Harms(), run.Measure());
    }
}

/// <summary>A run that exposes its machine, so the runner can hook syscall entry for the trace.</summary>
public interface IHasMachine
{
    Machine Machine { get; }
}
