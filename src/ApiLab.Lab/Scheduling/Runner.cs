using ApiLab.Engine;

namespace ApiLab.Lab;

/// <summary>
/// Runs one schedule on a fresh world: one actor at a time, one step at a time, deterministically. A stopped actor is
/// not scheduled: a slot the schedule gives it while its process is stopped runs nothing (the trace says so) and its
/// step waits for the actor's next slot. Once the schedule is used up, the steps still waiting run, lowest actor first,
/// for every actor that has been continued meanwhile; an actor still stopped then never runs them (<see
/// cref="RunResult.LeftStopped"/>).
/// </summary>
public static class Runner
{
    /// <summary>What a trace entry reports for a slot given to a stopped actor.</summary>
    public const string StoppedOutcome = "stopped: not scheduled";

    public static RunResult Run(Func<IRaceRun> build, Schedule schedule, bool trace)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(schedule);
        var run = build();
        var next = new int[run.Actors.Count];
        var slots = new int[run.Actors.Count];
        var entries = trace ? new List<TraceEntry>(schedule.Order.Count) : null;
        var recorder = trace ? new StepRecorder() : null;
        Machine? hooked = null;
        var index = 0;
        foreach (var a in schedule.Order)
        {
            var actor = run.Actors[a];
            if (slots[a]++ >= actor.Steps.Count)
            {
                throw new ArgumentException($"schedule {schedule} runs actor {a} more than its {actor.Steps.Count} steps", nameof(schedule));
            }

            if (actor.IsStopped || next[a] >= actor.Steps.Count)
            {
                // A stopped task is not picked; a slot left over from earlier stopped slots has nothing to run.
                entries?.Add(new TraceEntry(index++, actor.Name, actor.IsStopped ? "(stopped)" : "(done)", [], StoppedOutcome));
                continue;
            }

            RunStep(run, actor, next[a]++, index++, entries, recorder, ref hooked);
        }

        // The steps that waited while their actor was stopped, for actors continued since.
        for (var progress = true; progress;)
        {
            progress = false;
            for (var a = 0; a < run.Actors.Count; a++)
            {
                var actor = run.Actors[a];
                if (next[a] < actor.Steps.Count && !actor.IsStopped)
                {
                    RunStep(run, actor, next[a]++, index++, entries, recorder, ref hooked);
                    progress = true;
                    break;
                }
            }
        }

        if (hooked is not null)
        {
            hooked.Hook = null;
        }

        var stopped = new List<string>();
        for (var a = 0; a < run.Actors.Count; a++)
        {
            var left = run.Actors[a].Steps.Count - next[a];
            if (left > 0)
            {
                stopped.Add($"{run.Actors[a].Name}: stopped with {left} step(s) not run");
            }
        }

        return new RunResult(schedule, entries ?? [], run.Harms(), run.Measure()) { LeftStopped = stopped };
    }

    private static void RunStep(IRaceRun run, Actor actor, int stepIndex, int index, List<TraceEntry>? entries, StepRecorder? recorder,
        ref Machine? hooked)
    {
        var step = actor.Steps[stepIndex];
        recorder?.Current.Clear();
        if (recorder is not null && hooked is null && run is IHasMachine withMachine)
        {
            hooked = withMachine.Machine;
            hooked.Hook = recorder;
        }

        step.Run();
        entries?.Add(new TraceEntry(index, actor.Name, step.Label, recorder is null ? [] : [.. recorder.Current], run.LastOutcome));
    }
}

/// <summary>A run that exposes its machine, so the runner can hook syscall entry for the trace.</summary>
public interface IHasMachine
{
    Machine Machine { get; }
}
