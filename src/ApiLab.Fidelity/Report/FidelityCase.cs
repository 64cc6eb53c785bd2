namespace ApiLab.Fidelity.Report;

/// <summary>One conformance trace's result: both logs equal, a divergence (with the first differing lines), or not run.</summary>
public sealed record FidelityCase(string Name, string ModelledOn, string Description, FidelityOutcome Outcome, int Calls, string Detail);

public enum FidelityOutcome
{
    Match,
    Divergence,
    Unsupported,
}
