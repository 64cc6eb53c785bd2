using ApiLab.Engine;

namespace ApiLab.Lab.Metrics;

/// <summary>Attributes machine counters to one actor: wraps its steps and sums the counter deltas they cause.</summary>
public sealed class CostMeter(Machine machine)
{
    private readonly MachineStats _totals = new();

    public Action Wrap(Action step) => () =>
    {
        var before = machine.Stats.Clone();
        step();
        _totals.AddDifference(machine.Stats, before);
    };

    public IReadOnlyList<KeyValuePair<string, long>> Totals() => _totals.ToPairs();
}
