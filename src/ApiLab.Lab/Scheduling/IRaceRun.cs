namespace ApiLab.Lab;

/// <summary>A freshly built world for one schedule: its actors, and what to judge once they have all finished.</summary>
public interface IRaceRun
{
    IReadOnlyList<Actor> Actors { get; }

    /// <summary>Outcome text for the last step (what the step's syscall returned), read right after each step.</summary>
    string LastOutcome { get; }

    /// <summary>Harm found after the run (empty when none). Judged from engine ground truth, never from the design's view.</summary>
    IReadOnlyList<string> Harms();

    /// <summary>Cost counters after the run.</summary>
    Metrics.Measurement Measure();
}
