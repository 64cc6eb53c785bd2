namespace ApiLab.Fidelity.Format;

/// <summary>A parsed trace: its name, the header comments (what it is modelled on) and its operations in order.</summary>
public sealed record Trace(string Name, string Description, IReadOnlyList<TraceOp> Ops)
{
    /// <summary>The process every trace starts with.</summary>
    public const string FirstProcess = "p";
}
