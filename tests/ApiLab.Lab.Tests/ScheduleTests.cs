namespace ApiLab.Lab.Tests;

public sealed class ScheduleTests
{
    [Fact]
    public void Enumerate_yields_every_interleaving_once()
    {
        var all = Explorer.Enumerate([3, 2]).Select(static s => s.ToString()).ToList();
        Assert.Equal(10, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal("00011", all[0]);
        Assert.Equal("11000", all[^1]);
    }

    [Theory]
    [InlineData("0011", "actor 0 needs exactly 3 steps")]
    [InlineData("00a11", "'a' is not an actor index")]
    [InlineData("000112", "'2' is not an actor index")]
    public void Bad_schedule_strings_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.Null(Schedule.TryParse(text, [3, 2], out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_schedule_round_trips()
    {
        var schedule = Schedule.TryParse("01010", [3, 2], out var error);
        Assert.Equal("", error);
        Assert.Equal("01010", schedule!.ToString());
    }

    [Theory]
    [InlineData("000111", 1)]
    [InlineData("010101", 5)]
    [InlineData("0", 0)]
    [InlineData("001100", 2)]
    public void Switches_count_the_changes_of_running_actor(string text, int switches)
    {
        var steps = new[] { text.Count(static c => c == '0'), text.Count(static c => c == '1') };
        Assert.Equal(switches, Schedule.TryParse(text, steps, out _)!.Switches);
    }
}
