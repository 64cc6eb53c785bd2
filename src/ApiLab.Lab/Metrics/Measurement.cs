namespace ApiLab.Lab.Metrics;

/// <summary>Named cost counters of one run, in a stable order.</summary>
public sealed record Measurement(IReadOnlyList<KeyValuePair<string, long>> Counters)
{
    public long this[string name] => Counters.FirstOrDefault(c => c.Key == name).Value;
}
