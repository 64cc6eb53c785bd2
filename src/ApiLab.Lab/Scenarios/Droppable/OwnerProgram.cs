namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>What the owner's library does, one op per state page: fill, mlock once, rekey, use.</summary>
internal enum OwnerOpKind
{
    Fill,
    Lock,
    Rekey,
    Use,
}

internal readonly record struct OwnerOp(OwnerOpKind Kind, int Page);

/// <summary>
/// The owner's program and where each of its four race steps ends. A write stuck retrying its fault holds the program
/// where it is, so a later step carries on from there: the step boundaries are targets, not promises.
/// </summary>
internal sealed class OwnerProgram
{
    public OwnerProgram(int pages)
    {
        var ops = new List<OwnerOp>();
        var ends = new int[4];
        for (var p = 0; p < pages; p++)
        {
            ops.Add(new OwnerOp(OwnerOpKind.Fill, p));
        }

        ends[0] = ops.Count;
        ops.Add(new OwnerOp(OwnerOpKind.Lock, 0));
        ends[1] = ops.Count;
        for (var p = 0; p < pages; p++)
        {
            ops.Add(new OwnerOp(OwnerOpKind.Rekey, p));
        }

        ends[2] = ops.Count;
        for (var p = 0; p < pages; p++)
        {
            ops.Add(new OwnerOp(OwnerOpKind.Use, p));
        }

        ends[3] = ops.Count;
        Ops = [.. ops];
        StepEnds = ends;
    }

    public IReadOnlyList<OwnerOp> Ops { get; }

    /// <summary>For owner step i, the op index it runs up to.</summary>
    public IReadOnlyList<int> StepEnds { get; }

    public int FillEnd => StepEnds[0];
}
