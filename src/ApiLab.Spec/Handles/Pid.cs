namespace ApiLab.Spec;

/// <summary>A raw process id. Pids are recycled: the number may name another process by the time it is used.</summary>
public readonly record struct Pid(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
