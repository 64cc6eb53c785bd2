namespace ApiLab.Lab.Tests;

/// <summary>
/// For every scenario of every debate and every design it runs: each harmful interleaving the explorer reports
/// replays from its schedule string alone to the same harms, and exploring twice finds the same schedules (runs are
/// deterministic). Scenarios added later are covered without touching this file.
/// </summary>
public sealed class ReplayEveryScenarioTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in LabCatalog.Scenarios)
        {
            foreach (var design in scenario.Designs)
            {
                data.Add(scenario.Id, design);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reported_schedule_replays_to_the_same_harm_and_exploration_is_deterministic(string scenarioId, string design)
    {
        var scenario = LabCatalog.FindScenario(scenarioId)!;
        var first = Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor);
        var second = Explorer.Explore(() => scenario.Build(design, scenario.DefaultSize), scenario.StepsPerActor);
        Assert.Equal(first.Schedules, second.Schedules);
        Assert.Equal(first.Hazards.Select(static h => h.Schedule.ToString()), second.Hazards.Select(static h => h.Schedule.ToString()));
        foreach (var hazard in first.Hazards)
        {
            var text = hazard.Schedule.ToString();
            var parsed = Schedule.TryParse(text, scenario.StepsPerActor, out var error);
            Assert.True(parsed is not null, error);
            var replay = Runner.Run(() => scenario.Build(design, scenario.DefaultSize), parsed, trace: true);
            Assert.Equal(hazard.Harms, replay.Harms);
            Assert.Equal(parsed.Order.Count, replay.Trace.Count);
        }
    }
}
