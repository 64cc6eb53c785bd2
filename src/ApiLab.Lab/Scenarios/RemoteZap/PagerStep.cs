namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>One step of the manager's loop: its label and the code, which returns the outcome text for the trace.</summary>
internal sealed record PagerStep(string Label, Func<string> Run, Footprint Footprint);
