using System.Text;

namespace ApiLab.Lab;

/// <summary>
/// A schedule: which actor runs each next step, written as a string of actor indices ("0011" = actor 0 twice, then
/// actor 1 twice). The string is what findings print and what <c>apilab races --replay</c> takes.
/// </summary>
public sealed record Schedule(IReadOnlyList<int> Order)
{
    /// <summary>How many times the running actor changes: the context switches this interleaving makes. Fewer means
    /// a simpler story, so the counterexample a comparison shows is the harmful schedule with the fewest.</summary>
    public int Switches
    {
        get
        {
            var switches = 0;
            for (var i = 1; i < Order.Count; i++)
            {
                if (Order[i] != Order[i - 1])
                {
                    switches++;
                }
            }

            return switches;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder(Order.Count);
        foreach (var actor in Order)
        {
            text.Append((char)('0' + actor));
        }

        return text.ToString();
    }

    /// <summary>Parses a schedule string for actors with the given step counts; returns null and a reason if it does not fit.</summary>
    public static Schedule? TryParse(string text, IReadOnlyList<int> stepsPerActor, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        var counts = new int[stepsPerActor.Count];
        var order = new List<int>(text.Length);
        foreach (var c in text)
        {
            var actor = c - '0';
            if (actor < 0 || actor >= stepsPerActor.Count)
            {
                error = $"'{c}' is not an actor index; use digits 0-{stepsPerActor.Count - 1}";
                return null;
            }

            counts[actor]++;
            order.Add(actor);
        }

        for (var a = 0; a < counts.Length; a++)
        {
            if (counts[a] != stepsPerActor[a])
            {
                error = $"actor {a} needs exactly {stepsPerActor[a]} steps, the schedule gives it {counts[a]}";
                return null;
            }
        }

        error = "";
        return new Schedule(order);
    }
}
