using ApiLab.Engine;

namespace ApiLab.Lab.Metrics;

/// <summary>Attributes machine counters to one actor: wraps its steps and sums the counter deltas they cause.</summary>
public sealed class CostMeter(Machine machine)
{
    private readonly long[] _totals = new long[machine.Stats.ToPairs().Count];

    public Action Wrap(Action step) => () =>
    {
        var before = machine.Stats.ToPairs();
        step();
        var after = machine.Stats.ToPairs();
        for (var i = 0; i < _totals.Length; i++)
        {
            _totals[i] += after[i].Value - before[i].Value;
        }
    };

    public IReadOnlyList<KeyValuePair<string, long>> Totals()
    {
        var names = machine.Stats.ToPairs();
        var list = new KeyValuePair<string, long>[_totals.Length];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new(names[i].Key, _totals[i]);
        }

        return list;
    }
}
