using ApiLab.Engine;
using ApiLab.Lab.Metrics;
using ApiLab.Spec;

namespace ApiLab.Lab.Tests.Scheduling;

/// <summary>
/// The scheduler never runs a stopped actor's steps: between the manager's SIGSTOP and its SIGCONT the app makes no
/// progress whatever the schedule says, its waiting steps run once it is continued, and an app never continued is
/// reported as left stopped with its steps not run.
/// </summary>
public sealed class StoppedActorTests
{
    [Fact]
    public void A_slot_given_to_a_stopped_actor_runs_nothing_and_its_step_runs_after_sigcont()
    {
        var result = Runner.Run(() => new StopWorld(cont: true), Schedule.TryParse("0101", [2, 2], out _)!, trace: true);
        Assert.Equal(["stop", "(stopped)", "cont", "store 1", "store 2"], result.Trace.Select(static e => e.Step));
        Assert.Equal(Runner.StoppedOutcome, result.Trace[1].Outcome);
        Assert.Empty(result.Trace[1].Syscalls);
        Assert.Empty(result.Harms);
        Assert.Empty(result.LeftStopped);
    }

    [Fact]
    public void No_schedule_lets_the_app_run_while_it_is_stopped()
    {
        var exploration = Explorer.Explore(() => new StopWorld(cont: true), [2, 2]);
        Assert.Equal(6, exploration.Schedules);
        Assert.Equal(0, exploration.HazardCount);
        foreach (var schedule in Explorer.Enumerate([2, 2]))
        {
            var result = Runner.Run(() => new StopWorld(cont: true), schedule, trace: false);
            Assert.Empty(result.LeftStopped);
        }
    }

    [Fact]
    public void An_app_never_continued_is_left_stopped_with_its_steps_not_run()
    {
        var result = Runner.Run(() => new StopWorld(cont: false), Schedule.TryParse("0011", [2, 2], out _)!, trace: true);
        Assert.Equal(["app: stopped with 2 step(s) not run"], result.LeftStopped);
        Assert.Equal(["stop", "probe", "(stopped)", "(stopped)"], result.Trace.Select(static e => e.Step));
        Assert.Empty(result.Harms);
    }

    /// <summary>The manager stops the app, then continues it (or only probes it); the app stores twice. Harm: a store that
    /// landed while the app was stopped.</summary>
    private sealed class StopWorld : IRaceRun, IHasMachine
    {
        private readonly Process _manager;
        private readonly Process _app;
        private readonly ulong _page;
        private bool _stoppedSeen;
        private bool _ranWhileStopped;

        public StopWorld(bool cont)
        {
            Machine = new Machine(new MachineConfig { CheckInvariants = true });
            _manager = Machine.Spawn(Credentials.User(1000), "manager").Value;
            _app = Machine.Spawn(Credentials.User(1000), "app").Value;
            _page = _app.Mmap(0, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
            Actors =
            [
                new Actor("manager",
                [
                    new Step("stop", () => Report(Machine.Kill(_manager, _app.Pid, Signals.SigStop))),
                    cont
                        ? new Step("cont", () => Report(Machine.Kill(_manager, _app.Pid, Signals.SigCont)))
                        : new Step("probe", () => Report(Machine.Kill(_manager, _app.Pid, 0))),
                ], _manager),
                new Actor("app", [new Step("store 1", () => Store(1)), new Step("store 2", () => Store(2))], _app),
            ];
        }

        public Machine Machine { get; }

        public IReadOnlyList<Actor> Actors { get; }

        public string LastOutcome { get; private set; } = "";

        public IReadOnlyList<string> Harms() => _ranWhileStopped ? ["the app stored while stopped"] : [];

        public Measurement Measure() => new([new("syscalls", Machine.Stats.Syscalls)]);

        private void Report(SysResult<int> result)
        {
            _stoppedSeen |= _app.Stopped;
            LastOutcome = result.IsOk ? "0" : $"-{result.Error}";
        }

        private void Store(ulong value)
        {
            _ranWhileStopped |= _app.Stopped;
            var stored = _app.Store(_page, value);
            LastOutcome = stored.IsOk ? $"stored {value}" : $"-{stored.Error}";
            Assert.True(_stoppedSeen || stored.IsOk);
        }
    }
}
