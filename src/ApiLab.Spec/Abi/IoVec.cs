namespace ApiLab.Spec;

/// <summary><c>struct iovec</c>: a range in some address space.</summary>
public readonly record struct IoVec(ulong Base, ulong Length)
{
    /// <summary>UIO_MAXIOV: the most entries <c>import_iovec</c> accepts.</summary>
    public const int Max = 1024;

    public ulong End => Base + Length;

    public override string ToString() => $"{{0x{Base:x}, {Length}}}";
}
