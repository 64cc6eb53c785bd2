namespace ApiLab.Lab;

/// <summary>
/// One step of an actor: plain code that makes exactly one syscall (through an adapter or the engine) plus whatever
/// local computation follows it. Steps are the explorer's atoms, so syscall boundaries are the scheduling points.
/// The optional footprint lets partial-order reduction skip orders that cannot matter.
/// </summary>
public sealed record Step(string Label, Action Run, Footprint? Footprint = null);
