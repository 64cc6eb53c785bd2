namespace ApiLab.Fidelity.Format;

/// <summary>What a name in a trace stands for.</summary>
internal enum NameKind
{
    Process,
    Address,
    Fd,
}
